"""Light rows for the long lists of the public pages: replications, KIPP winners, regencies.

Built as model instances, each with its related models, its choice label translated and its links
reversed one row at a time, a table of a hundred rows cost its page several times the page's own SQL
(DESIGN.md, issue 3's budget: a page within 3x its SQL). These lists read only the columns they show
(``values()``), translate each label once per page and reverse each kind of link once per page.
Rows are plain dicts; templates/includes/replications_table.html shows the replication rows.
"""

from functools import cache
from urllib.parse import quote

from django.db.models import BigIntegerField, Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.db.prepared import Argument, Statement, counting
from regions.models import agency_label

from .models import PROPOSAL_PUBLIC_STATUSES, Group, Innovation, KippAward, KippEdition, SearchDocument, Tier
from .querysets import published_or_drafts

# What reverse() leaves unquoted in a path argument (django.urls.resolvers._reverse_with_prefix).
SAFE_IN_PATH = "!$&'()*+,;=/~:@"


class Link:
    """The URL of one named route for many values of its one argument, the last part of its path.

    reverse() costs about 25 µs; a page reverses once per kind of link and joins strings per row.
    """

    def __init__(self, name: str, sample: str = "0") -> None:
        self.head, _, self.tail = reverse(name, args=[sample]).rpartition(sample)

    def __call__(self, value) -> str:
        return f"{self.head}{quote(str(value), safe=SAFE_IN_PATH)}{self.tail}"


def proposal_model():
    """The bank sits below the replications app and reaches its proposals through the reverse relation."""
    return Innovation._meta.get_field("proposals").related_model


def public_replications():
    """Proposals the public may see, newest round first."""
    return (
        proposal_model()
        .objects.filter(status__in=PROPOSAL_PUBLIC_STATUSES)
        .order_by("-round__deadline", "regency__name", "pk")
    )


# The columns a replications table is narrowed on, for each kind of page that shows one. A proposal's
# regency lies in its round's province (Proposal.clean): the round's column lets PostgreSQL start
# from the province's few rounds (3 ms for a province's count, against 15 through its regencies).
REPLICATIONS_OF = {
    "innovation": ("innovation_id",),
    "province": ("round__province_id", "regency__province_id"),
    "regency": ("regency_id",),
    "adopting agency": ("adopting_agency_id",),
}


@cache
def replication_statements(of: str) -> tuple[Statement, Statement]:
    """How many public replications of visible innovations have ``value`` in the columns of
    ``REPLICATIONS_OF[of]``, and what a table shows of each. Compiled once (regions.prepared)."""
    narrowed = {column: Argument("value", BigIntegerField()) for column in REPLICATIONS_OF[of]}
    proposals = public_replications().filter(published_or_drafts("innovation__"), **narrowed)
    rows = proposals.values(
        "status",
        "local_name",
        "adopting_agency_id",
        innovation_name=F("innovation__name"),
        innovation_slug=F("innovation__slug"),
        regency_code=F("regency__code"),
        regency_name=F("regency__name"),
        province_name=F("regency__province__name"),
        agency_name=F("adopting_agency__name"),
        deadline=F("round__deadline"),
    )
    return Statement(counting(proposals)), Statement(rows)


def replication_count(of: str, value: int, *, drafts: bool) -> int:
    return replication_statements(of)[0].rows(value=value, drafts=drafts)[0]["count"]


def replication_rows(of: str, value: int, offset: int, limit: int, *, drafts: bool) -> list[dict]:
    """A page of the replications table of one innovation, province, regency or adopting agency:
    replications of published innovations, and of drafts too with ``drafts``."""
    status_labels = {value: str(label) for value, label in proposal_model()._meta.get_field("status").choices}
    innovation_url, regency_url = Link("innovation-detail"), Link("regency-detail", "00.00")
    agency_url = Link("agency-detail")
    rows = replication_statements(of)[1].rows(value=value, drafts=drafts, offset=offset, limit=limit)
    for row in rows:
        row["innovation_url"] = innovation_url(row["innovation_slug"])
        row["regency_url"] = regency_url(row["regency_code"])
        agency = row["adopting_agency_id"]
        row["agency_url"] = agency_url(agency) if agency is not None else None
        row["status_label"] = status_labels.get(row["status"], row["status"])
        row["year"] = str(row["deadline"].year)  # a string: templates localize numbers, slowly
    return rows


def award_rows(edition_id: int | None = None, *, drafts: bool = False, limit: int | None = None) -> list:
    """What a list of KIPP winners shows of each award: the innovation, its owner and the award.

    The winners of one edition by group, tier and name; without ``edition_id``, the newest awards of
    every edition first. Drafts' awards too with ``drafts``, for those who may see them.
    """
    tiers, groups = labels(Tier), labels(Group)
    arguments = {"drafts": drafts} if edition_id is None else {"drafts": drafts, "edition": edition_id}
    rows = with_links(awards_statement(of_edition=edition_id is not None).rows(limit=limit, **arguments))
    for row in rows:
        row["tier_label"] = tiers.get(row["tier"], row["tier"])
        row["group_label"] = groups.get(row["group"], row["group"])
    return rows


@cache
def awards_statement(of_edition: bool) -> Statement:
    awards = KippAward.objects.filter(published_or_drafts("innovation__"))
    if of_edition:
        awards = awards.filter(edition_id=Argument("edition", BigIntegerField()))
        awards = awards.order_by("group", "tier", "innovation__name", "pk")
    else:
        awards = awards.order_by("-edition__year", "tier", "innovation__name", "pk")
    columns = innovation_columns("innovation__")
    return Statement(awards.values("group", "tier", year=F("edition__year"), **columns))


def most_replicated_rows(limit: int) -> list[dict]:
    """The published innovations replicated most, read from their search documents."""
    return with_links(most_replicated_statement().rows(limit=limit))


@cache
def most_replicated_statement() -> Statement:
    documents = SearchDocument.objects.filter(is_published=True, replication_count__gt=0)
    return Statement(
        documents.order_by("-replication_count", "name", "pk").values(
            "replication_count", **innovation_columns("innovation__")
        )
    )


def innovation_columns(path: str) -> dict[str, F]:
    """What a row naming an innovation reads of it (reached through ``path``) and of its owner."""
    return {
        "innovation_name": F(f"{path}name"),
        "innovation_slug": F(f"{path}slug"),
        "agency_name": F(f"{path}owner_agency__name"),
        "regency_name": F(f"{path}owner_agency__regency__name"),
        "province_name": F(f"{path}owner_agency__province__name"),
    }


def with_links(rows: list[dict]) -> list[dict]:
    """Rows of innovation_columns() given the innovation's link and its owner's label."""
    innovation_url = Link("innovation-detail")
    for row in rows:
        row["innovation_url"] = innovation_url(row["innovation_slug"])
        row["owner"] = agency_label(row["agency_name"], row["regency_name"] or row["province_name"])
    return rows


def edition_rows(*, drafts: bool) -> list[dict]:
    """Every KIPP edition, newest first, with its top tier's label and how many of its winners the
    bank holds (published ones, and drafts too with ``drafts``)."""
    tiers, edition_url = labels(Tier), Link("edition-detail", "2020")
    rows = editions_statement().rows(drafts=drafts)
    for row in rows:
        row["url"] = edition_url(row["year"])
        row["top_tier_label"] = tiers.get(row["top_tier"], row["top_tier"])
        row["year"] = str(row["year"])  # a string: templates localize numbers, slowly
    return rows


@cache
def editions_statement() -> Statement:
    # A correlated count per edition: its awards' innovations are probed by key (a few ms), where a
    # filtered Count hashed every visible innovation first (140 ms at 100,000).
    winners = (
        KippAward.objects.filter(published_or_drafts("innovation__"))
        .filter(edition=OuterRef("pk"))
        .order_by()
        .values("edition")
        .annotate(count=Count("pk"))
        .values("count")
    )
    editions = KippEdition.objects.order_by("-year").values("year", "number", "top_tier")
    return Statement(editions.annotate(winner_count=Coalesce(Subquery(winners), 0)))


class Winners(list):
    """Rows of award_rows(), with ``html``: their list items on an edition page.

    An edition has about a hundred winners. Printed by the template's loop they cost the page half a
    millisecond more, a tenth of its time (issue 3's budget: a page within 3x its SQL, here 1.7 ms).
    """

    @property
    def html(self) -> SafeString:
        escape = conditional_escape
        return mark_safe(
            "".join(
                f'<li><a href="{escape(row["innovation_url"])}">{escape(row["innovation_name"])}</a> — '
                f'<span class="muted">{escape(row["owner"])}</span></li>'
                for row in self
            )
        )


def winners_by_group_and_tier(edition_id: int, *, drafts: bool) -> dict[str, dict[str, Winners]]:
    """An edition's winners by group then tier."""
    groups: dict[str, dict[str, Winners]] = {}
    for row in award_rows(edition_id, drafts=drafts):
        groups.setdefault(row["group_label"], {}).setdefault(row["tier_label"], Winners()).append(row)
    return groups


def labels(choices) -> dict[str, str]:
    """Each choice's label, translated once for the page."""
    return {value: str(label) for value, label in choices.choices}
