"""An import of innovations, planned row by row before anything is written, then applied whole.

    plan = plan_import(reading.read(data))   # reads the bank, writes nothing
    plan.rows[8].action, plan.rows[8].errors  # new / changed (which fields) / unchanged / error
    apply(plan)                               # one transaction; refused while any row has an error

A row's innovation is found by its natural key: its owner agency (by name within the row's region)
and its name, compared without case, spacing or punctuation. Importing a file twice changes nothing;
a changed cell changes that field only. Agencies not in the bank yet are created (the plan says so).
Names that are nearly those of another innovation of the same agency, or the same within the same
region under another agency, are flagged as possible duplicates, never merged silently.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from regions.matching import RegionMatcher, RegionNotFound, normalised
from regions.models import Agency, AgencyLevel, Province, Regency

from .. import links
from ..models import (
    SDG,
    Affair,
    Category,
    Group,
    Innovation,
    InnovationLink,
    KippAward,
    KippEdition,
    PossibleDuplicate,
    Tier,
)
from .columns import COLUMNS
from .reading import Row, excel_date

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
TEXT_FIELDS = [
    "name", "long_name", "summary", "background", "novelty", "implementation", "significance",
    "results_before", "results_after", "adaptability", "resources", "sustainability",
    "replication_prerequisites", "contact_name", "contact_email", "contact_phone",
]  # fmt: skip
FIELDS = [*TEXT_FIELDS, "category", "affair", "is_digital", "launch_year", "is_published", "last_reviewed_on"]
LABELS = {column.key: column.label for column in COLUMNS}
YES = {"ya", "y", "yes", "true", "1", "benar"}
NO = {"tidak", "t", "no", "n", "false", "0", "salah"}
NEARLY_THE_SAME = 0.88
BATCH = 1000  # new innovations per statement, and between two reports of progress


@dataclass
class RowPlan:
    number: int
    name: str = ""
    action: str = NEW
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # the keys of the columns that change
    values: dict = field(default_factory=dict)
    sdgs: set[int] | None = None  # None: the column is absent, the innovation's SDGs stay
    awards: set[tuple[int, str, str]] | None = None  # (year, tier, group)
    links: dict[str, str] | None = None  # url -> title
    region: Province | Regency | None = None
    agency_name: str = ""
    agency: Agency | None = None
    innovation: Innovation | None = None
    similar_to: Innovation | RowPlan | None = None  # a possible duplicate, in the bank or the file


@dataclass
class ImportPlan:
    rows: list[RowPlan]

    @property
    def counts(self) -> Counter:
        """Rows by action."""
        return Counter(row.action for row in self.rows)

    @property
    def errors(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    @property
    def new_agencies(self) -> list[Agency]:
        """The agencies the import creates, each government before the offices under it."""
        new = {}
        for row in self.rows:
            if row.agency and not row.agency.pk:
                if row.agency.parent and not row.agency.parent.pk:
                    new[id(row.agency.parent)] = row.agency.parent
                new[id(row.agency)] = row.agency
        return list(new.values())


def compact(name: str) -> str:
    """A name without case, spacing or punctuation: what two spellings of one name share."""
    return re.sub(r"\W|_", "", normalised(name))


@functools.cache
def spellings(choices) -> dict[str, str]:
    """Each way of writing a choice, normalised, to its code: the code and the label in either
    language ("health", "Kesehatan", "Health"), so a file exported in English imports the same."""
    found = {}
    for code, text in choices.choices:
        for language in ("id", "en"):
            with translation.override(language):
                found[normalised(str(text))] = code
        found[normalised(code)] = code
    return found


def nearly_the_same(one: str, other: str) -> bool:
    """Two compact names alike enough to be one innovation spelt twice (the cheap bounds first)."""
    matcher = difflib.SequenceMatcher(None, one, other)
    return (
        matcher.real_quick_ratio() >= NEARLY_THE_SAME
        and matcher.quick_ratio() >= NEARLY_THE_SAME
        and matcher.ratio() >= NEARLY_THE_SAME
    )


def choice(choices, value: str, label) -> str:
    """A choice from its code or its label, in any case."""
    code = spellings(choices).get(normalised(value))
    if code is not None:
        return code
    raise ValueError(
        _("%(column)s “%(value)s” tidak dikenal. Pilihan: %(choices)s.")
        % {
            "column": label,
            "value": value,
            "choices": ", ".join(str(text) for _code, text in choices.choices),
        }
    )


def yes_no(value, label) -> bool:
    text = normalised(str(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(
        _("%(column)s harus “ya” atau “tidak”, bukan “%(value)s”.") % {"column": label, "value": value}
    )


class Planner:
    """What the bank holds that an import needs, read once: regions, SDGs, KIPP editions."""

    def __init__(self):
        self.matcher = RegionMatcher()
        self.sdgs = dict(SDG.objects.values_list("number", "pk"))
        self.editions = {edition.year: edition for edition in KippEdition.objects.all()}

    def plan(self, rows: list[Row]) -> ImportPlan:
        plans = [self.parse(row) for row in rows]
        self.find_agencies(plans)
        self.find_innovations(plans)
        return ImportPlan(plans)

    # --- one row's cells ---------------------------------------------------------------------

    def parse(self, row: Row) -> RowPlan:
        plan = RowPlan(row.number, errors=list(row.errors))
        cells = row.cells
        plan.name = str(cells.get("name") or "")
        for key in ("name", "agency", "region", "category", "summary"):
            if key in cells and cells[key] is None and not any(str(LABELS[key]) in e for e in plan.errors):
                plan.errors.append(_("Kolom %(column)s wajib diisi.") % {"column": LABELS[key]})
        for key in TEXT_FIELDS:
            if key in cells:
                plan.values[key] = str(cells[key] or "")
        steps = {
            "region": self.parse_region, "category": self.parse_category, "affair": self.parse_affair,
            "sdgs": self.parse_sdgs, "is_digital": self.parse_flag, "is_published": self.parse_flag,
            "launch_year": self.parse_year, "last_reviewed_on": self.parse_date, "links": self.parse_links,
            "awards": self.parse_awards, "contact_email": self.parse_email,
        }  # fmt: skip
        for key, step in steps.items():
            if key in cells and cells[key] is not None:
                try:
                    step(plan, key, cells[key])
                except ValueError as error:
                    plan.errors.append(str(error))
            elif key in cells and key in ("is_digital", "is_published"):
                plan.values[key] = False
            elif key in cells and key in ("launch_year", "last_reviewed_on"):
                plan.values[key] = None
            elif key in cells and key in ("sdgs", "awards", "links"):
                setattr(plan, key, set() if key != "links" else {})
            elif key in cells and key == "affair":
                plan.values["affair"] = ""
        plan.agency_name = " ".join(str(cells.get("agency") or "").split())
        if plan.errors:
            plan.action = ERROR
        return plan

    def parse_region(self, plan, key, value):
        try:
            plan.region = self.matcher.find(str(value))
        except RegionNotFound as error:
            raise ValueError(_("Wilayah: %(reason)s") % {"reason": error.message}) from error

    def parse_category(self, plan, key, value):
        plan.values["category"] = choice(Category, str(value), LABELS[key])

    def parse_affair(self, plan, key, value):
        plan.values["affair"] = choice(Affair, str(value), LABELS[key])

    def parse_flag(self, plan, key, value):
        plan.values[key] = yes_no(value, LABELS[key])

    def parse_year(self, plan, key, value):
        text = str(value).removesuffix(".0")
        if not text.isdigit() or not 1945 <= int(text) <= 2100:
            raise ValueError(
                _("Tahun mulai “%(value)s” harus tahun antara 1945 dan 2100.") % {"value": value}
            )
        plan.values[key] = int(text)

    def parse_date(self, plan, key, value):
        try:
            plan.values[key] = excel_date(value)
        except ValueError as error:
            raise ValueError(
                _("%(column)s “%(value)s” bukan tanggal (tulis dd/mm/yyyy).")
                % {"column": LABELS[key], "value": value}
            ) from error

    def parse_email(self, plan, key, value):
        try:
            validate_email(str(value))
        except ValidationError as error:
            raise ValueError(_("Surel narahubung “%(value)s” tidak sah.") % {"value": value}) from error

    def parse_sdgs(self, plan, key, value):
        numbers = set()
        for part in re.split(r"[,;\s]+", str(value).strip()):
            number = part.removeprefix("SDG").removeprefix("sdg").removesuffix(".0")
            if not number.isdigit() or int(number) not in self.sdgs:
                raise ValueError(_("SDG “%(value)s” harus nomor 1 sampai 17.") % {"value": part})
            numbers.add(int(number))
        plan.sdgs = numbers

    def parse_links(self, plan, key, value):
        plan.links = {url: title for title, url in links.parse(str(value))}

    def parse_awards(self, plan, key, value):
        awards = set()
        for entry in re.split(r"[\n;]+", str(value)):
            words = normalised(entry).split()
            if not words:
                continue
            year = next((int(w) for w in words if re.fullmatch(r"(19|20)\d\d", w)), None)
            rest = " ".join(w for w in words if w != str(year))
            squeezed = rest.replace(" ", "")
            tiers = sorted(Tier.choices, key=lambda tier: -len(tier[0]))  # "top45" before "top4…"
            tier = next(
                (code for code, label in tiers if code in squeezed or normalised(str(label)) in rest), None
            )
            group = next(
                (code for code, label in Group.choices if code in words or normalised(str(label)) in rest),
                Group.GENERAL,
            )
            if year is None or tier is None:
                raise ValueError(
                    _(
                        "Penghargaan KIPP “%(value)s” harus berisi tahun, peringkat dan kelompok, "
                        "mis. “2021 top45 umum”."
                    )
                    % {"value": entry.strip()}
                )
            if year not in self.editions:
                raise ValueError(_("Belum ada edisi KIPP tahun %(year)s di bank.") % {"year": year})
            awards.add((year, tier, group))
        plan.awards = awards

    # --- agencies and innovations ------------------------------------------------------------

    def find_agencies(self, plans: list[RowPlan]) -> None:
        regions = [plan.region for plan in plans if plan.region is not None]
        regency_ids = {r.pk for r in regions if isinstance(r, Regency)}
        province_ids = {r.pk for r in regions if isinstance(r, Province)}
        self.known: dict[tuple, Agency] = {}  # (kind, region id, compact name) -> agency
        self.governments: dict[tuple, Agency] = {}  # (kind, region id) -> its first government
        agencies = Agency.objects.filter(regency_id__in=regency_ids) | Agency.objects.filter(
            province_id__in=province_ids, regency=None
        )
        for agency in agencies.order_by("pk"):
            place = ("regency", agency.regency_id) if agency.regency_id else ("province", agency.province_id)
            self.remember(place, agency)
        for plan in plans:
            if plan.region is None or not plan.agency_name:
                continue
            place = ("regency" if isinstance(plan.region, Regency) else "province", plan.region.pk)
            key = (*place, compact(plan.agency_name))
            if key not in self.known:
                self.remember(place, self.new_agency(plan.agency_name[:200], plan.region, place))
            plan.agency = self.known[key]
            if not plan.agency.pk:
                plan.notes.append(
                    _("Instansi baru akan dibuat: %(agency)s (%(region)s).")
                    % {"agency": plan.agency.name, "region": plan.region.name}
                )

    def remember(self, place: tuple, agency: Agency) -> None:
        self.known.setdefault((*place, compact(agency.name)), agency)
        government = (
            AgencyLevel.REGENCY_GOVERNMENT if place[0] == "regency" else AgencyLevel.PROVINCIAL_GOVERNMENT
        )
        if agency.level == government and agency.parent_id is None and agency.parent is None:
            self.governments.setdefault(place, agency)

    def new_agency(self, name: str, region: Province | Regency, place: tuple) -> Agency:
        """An agency the bank does not hold yet: the region's government if the name says so, else an
        office under that government (created too when the bank has none)."""
        regency = isinstance(region, Regency)
        fields = {"regency": region if regency else None, "province": region.province if regency else region}
        government_level = AgencyLevel.REGENCY_GOVERNMENT if regency else AgencyLevel.PROVINCIAL_GOVERNMENT
        if normalised(name).startswith("pemerintah"):
            return Agency(name=name, level=government_level, **fields)
        if place not in self.governments:
            title = region.name if regency else f"Provinsi {region.name}"
            self.remember(place, Agency(name=f"Pemerintah {title}", level=government_level, **fields))
        return Agency(name=name, level=AgencyLevel.OFFICE, parent=self.governments[place], **fields)

    def find_innovations(self, plans: list[RowPlan]) -> None:
        agency_ids = {plan.agency.pk for plan in plans if plan.agency and plan.agency.pk}
        existing = defaultdict(dict)  # agency id -> compact name -> innovation
        region_names = defaultdict(dict)  # region key -> compact name -> innovation
        innovations = (
            Innovation.objects.filter(owner_agency_id__in=agency_ids)
            .select_related("owner_agency")
            .prefetch_related("sdgs", "awards__edition", "links")
        )
        for innovation in innovations:
            existing[innovation.owner_agency_id][compact(innovation.name)] = innovation
        regency_ids = {p.region.pk for p in plans if isinstance(p.region, Regency)}
        for pk, name, agency_name, regency_id in Innovation.objects.filter(
            owner_agency__regency_id__in=regency_ids
        ).values_list("pk", "name", "owner_agency__name", "owner_agency__regency_id"):
            region_names[("regency", regency_id)][compact(name)] = (pk, name, agency_name)
        in_file: dict[tuple, int] = {}
        in_file_by_agency = defaultdict(list)
        for plan in plans:
            if plan.agency is None or not plan.name:
                continue
            name_key = compact(plan.name)
            key = (id(plan.agency), name_key)
            if key in in_file:
                plan.errors.append(
                    _("Baris ini inovasi yang sama dengan baris %(row)s (instansi dan nama sama).")
                    % {"row": in_file[key]}
                )
                plan.action = ERROR
                continue
            in_file[key] = plan.number
            plan.innovation = existing[plan.agency.pk].get(name_key) if plan.agency.pk else None
            if plan.innovation is None:
                self.flag_duplicates(plan, existing, region_names, in_file_by_agency)
            in_file_by_agency[id(plan.agency)].append(plan)
            if plan.errors:
                plan.action = ERROR
            elif plan.innovation is None:
                plan.action = NEW
            else:
                plan.changes = self.changes(plan)
                plan.action = CHANGED if plan.changes else UNCHANGED

    def flag_duplicates(self, plan, existing, region_names, in_file_by_agency) -> None:
        """Note a name nearly that of another innovation of the same agency (in the bank or earlier in
        the file), or the same as one of another agency of the same regency; ``plan.similar_to`` keeps
        it, so the import lists the pair for review."""
        name_key = compact(plan.name)
        others = list(existing[plan.agency.pk].values()) if plan.agency.pk else []
        others += in_file_by_agency[id(plan.agency)]
        for other in others:
            if nearly_the_same(name_key, compact(other.name)):
                plan.notes.append(
                    "⚠ " + _("Mungkin duplikat: “%(other)s” di instansi yang sama.") % {"other": other.name}
                )
                plan.similar_to = other
                return
        if isinstance(plan.region, Regency):
            same = region_names[("regency", plan.region.pk)].get(name_key)
            if same:
                pk, name, agency_name = same
                plan.notes.append(
                    "⚠ "
                    + _("Mungkin duplikat: “%(other)s” milik %(agency)s di wilayah yang sama.")
                    % {"other": name, "agency": agency_name}
                )
                plan.similar_to = Innovation(pk=pk, name=name)

    def changes(self, plan: RowPlan) -> list[str]:
        innovation = plan.innovation
        changed = [key for key, value in plan.values.items() if getattr(innovation, key) != value]
        if plan.sdgs is not None and plan.sdgs != {s.number for s in innovation.sdgs.all()}:
            changed.append("sdgs")
        if plan.awards is not None and plan.awards != {
            (a.edition.year, a.tier, a.group) for a in innovation.awards.all()
        }:
            changed.append("awards")
        if plan.links is not None and plan.links != {link.url: link.title for link in innovation.links.all()}:
            changed.append("links")
        return changed


def change_labels(row: RowPlan) -> list[str]:
    return [str(LABELS[key]) for key in row.changes]


def plan_import(rows: list[Row]) -> ImportPlan:
    return Planner().plan(rows)


class ImportRefused(ValueError):
    pass


def apply(plan: ImportPlan, *, progress=None, user=None, source: str = "", job=None) -> Counter:
    """Write the plan in one transaction; refused whole while any row has an error. ``progress(done)``
    is called as rows are written. Each new or changed innovation gets a history record by ``user``
    naming the ``source`` file and the columns that changed; each new one flagged as a possible
    duplicate is listed for review (PossibleDuplicate, found by ``job``). Returns the rows by action."""
    if plan.errors:
        raise ImportRefused(_("Impor ditolak: %(count)s baris bermasalah.") % {"count": len(plan.errors)})
    rows = [row for row in plan.rows if row.action in (NEW, CHANGED)]
    report = progress or (lambda done: None)
    done, created = len(plan.rows) - len(rows), 0  # unchanged rows are done already
    with transaction.atomic():
        new_agencies = plan.new_agencies
        Agency.objects.bulk_create([agency for agency in new_agencies if agency.parent is None])
        Agency.objects.bulk_create([agency for agency in new_agencies if agency.parent is not None])
        for row in rows:  # the agencies have their ids now
            row.values["owner_agency_id"] = row.agency.pk
        history = {"default_user": user, "source": source}
        changed = [row for row in rows if row.action == CHANGED]
        update_innovations(changed, history)
        report(done := done + len(changed))
        new = [row for row in rows if row.action == NEW]
        for start in range(0, len(new), BATCH):
            created += create_innovations(new[start : start + BATCH], history)
            report(done := done + len(new[start : start + BATCH]))
        write_relations(rows)
        flag_possible_duplicates(new, job)
    from .. import tasks

    # The search index takes the texts in now, not a second from now: a large import in one batch
    # (each lexeme's bitmap rewritten once, no lexeme looked up again in the batch before).
    tasks.catch_up(min(max(tasks.BATCH, created), tasks.LARGE_BATCH))
    return Counter({**plan.counts, "created": created})


def history_reason(source: str, changes: list[str] = ()) -> str:
    reason = _("Impor dari %(file)s") % {"file": source} if source else _("Impor spreadsheet")
    if changes:
        reason += ": " + ", ".join(str(LABELS[key]) for key in changes)
    return reason[:100]  # simple-history's change_reason column


def create_innovations(rows: list[RowPlan], history: dict) -> int:
    bases = {row.number: slugify(row.name)[:180] or "inovasi" for row in rows}
    taken = set(Innovation.objects.filter(slug__in=set(bases.values())).values_list("slug", flat=True))
    for base in list(taken):  # a base already taken: its numbered slugs too (rare)
        taken |= set(Innovation.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
    objects = []
    for row in rows:
        slug, number = bases[row.number], 1
        while slug in taken:
            number += 1
            slug = f"{bases[row.number]}-{number}"
        taken.add(slug)
        values = {"category": Category.GOVERNANCE, **row.values}
        row.innovation = Innovation(slug=slug, **values)
        objects.append(row.innovation)
    # One INSERT: the database writes the batch's search documents in one statement too, so the
    # index rewrites each facet bitmap once for the batch and queues the texts together.
    bulk_create_with_history(
        objects,
        Innovation,
        default_user=history["default_user"],
        default_change_reason=history_reason(history["source"]),
    )
    return len(objects)


def update_innovations(rows: list[RowPlan], history: dict) -> None:
    """The changed fields of each row, and one history record per innovation naming every changed
    column (its SDGs, awards and links included, which have no field of their own)."""
    by_fields, now = defaultdict(list), timezone.now()
    for row in rows:
        fields = tuple(
            sorted(key for key, value in row.values.items() if getattr(row.innovation, key) != value)
        )
        for key in fields:
            setattr(row.innovation, key, row.values[key])
        row.innovation.updated_at = now
        row.innovation._change_reason = history_reason(history["source"], row.changes)
        by_fields[fields].append(row.innovation)
    for fields, innovations in by_fields.items():
        bulk_update_with_history(
            innovations,
            Innovation,
            [*fields, "updated_at"],
            batch_size=1000,
            default_user=history["default_user"],
        )


def flag_possible_duplicates(new: list[RowPlan], job) -> None:
    pairs = []
    for row in new:
        if row.similar_to is None:
            continue
        other = row.similar_to.innovation if isinstance(row.similar_to, RowPlan) else row.similar_to
        reason = next(note for note in row.notes if note.startswith("⚠"))
        pairs.append(
            PossibleDuplicate(
                innovation=row.innovation, similar_to_id=other.pk, reason=reason[2:], found_by=job
            )
        )
    PossibleDuplicate.objects.bulk_create(pairs, batch_size=1000)


def write_relations(rows: list[RowPlan]) -> None:
    """SDGs, KIPP awards and links, for the rows whose file holds those columns."""
    through = Innovation.sdgs.through
    planner_sdgs = dict(SDG.objects.values_list("number", "pk"))
    editions = {edition.year: edition.pk for edition in KippEdition.objects.all()}

    def rewritten(row: RowPlan, key: str) -> bool:
        return getattr(row, key) is not None and (row.action == NEW or key in row.changes)

    with_sdgs = [row for row in rows if rewritten(row, "sdgs")]
    through.objects.filter(innovation_id__in=[row.innovation.pk for row in with_sdgs]).delete()
    through.objects.bulk_create(
        [
            through(innovation_id=row.innovation.pk, sdg_id=planner_sdgs[n])
            for row in with_sdgs
            for n in row.sdgs
        ],
    )
    with_awards = [row for row in rows if rewritten(row, "awards")]
    KippAward.objects.filter(innovation_id__in=[row.innovation.pk for row in with_awards]).delete()
    KippAward.objects.bulk_create(
        [
            KippAward(innovation_id=row.innovation.pk, edition_id=editions[year], tier=tier, group=group)
            for row in with_awards
            for year, tier, group in row.awards
        ],
    )
    with_links = [row for row in rows if rewritten(row, "links")]
    InnovationLink.objects.filter(innovation_id__in=[row.innovation.pk for row in with_links]).delete()
    InnovationLink.objects.bulk_create(
        [InnovationLink(innovation_id=row.innovation.pk, url=url, title=title)
         for row in with_links for url, title in row.links.items()],
    )  # fmt: skip
