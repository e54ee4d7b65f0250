"""The one FilterSet of the innovation list: the search page and the API read the same parameters.

Facets combine with AND across facets and OR within one facet. Each facet's counts are taken over
the records that match the query and every *other* facet's selection, so the count beside an
unselected value is the number of results its checkbox would add, and selecting a single value
shows exactly its count.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.caching import versioned_key
from regions.models import AgencyLevel, Province

from . import search, search_index, signals
from .models import SDG, Category, Group, Innovation, KippAward, KippEdition, SearchDocument, Tier
from .querysets import sees_drafts
from .search import Sort
from .search_index import FACET_NAMES, Gathered, PageRequest


def reference_choices() -> dict[str, list]:
    """Facet choices that come from reference tables, cached so a page spends no SQL on them.

    Keyed by their own version, which a write to a province, SDG or KIPP edition bumps (signals.py).
    """
    key = versioned_key("facet-choices", (signals.FACET_CHOICES,))
    choices = cache.get(key)
    if choices is None:
        choices = {
            "kipp_year": [
                (str(year), str(year))
                for year in KippEdition.objects.order_by("-year").values_list("year", flat=True)
            ],
            "province": list(Province.objects.order_by("name").values_list("code", "name")),
            "sdg": list(SDG.objects.order_by("number").values_list("number", "name", "name_en")),
        }
        cache.set(key, choices, timeout=3600)
    return choices


def year_choices(reference: dict | None = None):
    return (reference or reference_choices())["kipp_year"]


def province_choices(reference: dict | None = None):
    return (reference or reference_choices())["province"]


def sdg_choices(reference: dict | None = None):
    english = (get_language() or "id").startswith("en")
    return [
        (str(number), f"{number}. {name_en if english else name}")
        for number, name, name_en in (reference or reference_choices())["sdg"]
    ]


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the valid values of a facet and drops unknown ones, so a stale or hand-made link still works."""

    def clean(self, value):
        value = self.to_python(value)
        return [item for item in value if self.valid_value(item)]


class FacetFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class InnovationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), max_length=search.MAX_QUERY_CHARS * 4)
    category = FacetFilter(choices=Category.choices, label=_("Sektor"))
    sdg = FacetFilter(choices=sdg_choices, label=_("Tujuan SDG"))
    province = FacetFilter(choices=province_choices, label=_("Provinsi"))
    level = FacetFilter(choices=AgencyLevel.choices, label=_("Tingkat instansi"))
    kipp_year = FacetFilter(choices=year_choices, label=_("Tahun KIPP"))
    tier = FacetFilter(choices=Tier.choices, label=_("Peringkat KIPP"))
    group = FacetFilter(choices=Group.choices, label=_("Kelompok KIPP"))
    replicated = FacetFilter(
        # "Replicated" as the profile counts it: a commitment signed (committed, implementing, replicated).
        choices=[("yes", _("Sudah direplikasi (komitmen ditandatangani)")), ("no", _("Belum direplikasi"))],
        label=_("Replikasi"),
    )
    sort = django_filters.ChoiceFilter(choices=Sort.CHOICES, label=_("Urutkan"))

    class Meta:
        model = SearchDocument
        fields: list[str] = []

    def __init__(self, *args, drafts: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether the queryset holds drafts: the search index counts the drafts' bitmap only then.
        self.drafts = drafts
        # The reference facets' choices, read at most once per request (one cache read) and only when
        # needed: the declared callables would read them each time a field's choices are iterated.
        reference = functools.cache(reference_choices)
        self.filters["kipp_year"].extra["choices"] = lambda: year_choices(reference())
        self.filters["province"].extra["choices"] = lambda: province_choices(reference())
        self.filters["sdg"].extra["choices"] = lambda: sdg_choices(reference())

    @classmethod
    def for_user(cls, data, user) -> InnovationFilterSet:
        """The filterset over the documents ``user`` may see (drafts for national admins only)."""
        return cls(data, queryset=SearchDocument.objects.visible_to(user), drafts=sees_drafts(user))

    def filter_queryset(self, queryset):
        return apply_filters(queryset, self.form.cleaned_data)

    @property
    def data_cleaned(self) -> dict:
        return self.form.cleaned_data if self.is_valid() else {}

    @property
    def prepared_terms(self) -> search.SearchTerms:
        """The query's terms (one quick query to the stemmer): any word matches, ranked by evidence."""
        if not hasattr(self, "_prepared"):
            self._prepared = search.prepare(self.data_cleaned.get("q"))
        return self._prepared

    @property
    def terms(self) -> search.SearchTerms:
        """The query's terms, with the number of results counted once (``match_count``, for the
        paginator) unless a cached page told it (restore)."""
        if not hasattr(self, "_terms"):
            terms = self.prepared_terms
            if not hasattr(self, "_relaxed"):
                self.match_count = self.qs.filter(search.matches(terms)).count() if terms else None
            self._terms = terms
        return self._terms

    def gather_page(self, number, size: int) -> Gathered:
        """The page asked for, the number of results and every facet's counts: one statement."""
        request = PageRequest(page_number(number), size, self.chosen_sort)
        terms = self.prepared_terms
        found = self.gather(terms, request)
        self.restore(relaxed=terms.is_relaxed, count=found.count)
        return found

    def gather(self, terms: search.SearchTerms, request: PageRequest) -> Gathered:
        """From the search index's bitmaps when it knows every word, from the documents otherwise."""
        if search_index.answers(terms):
            return search_index.gather(self.data_cleaned, terms, request, drafts=self.drafts)
        return gather(self.data_cleaned, self.queryset, terms, request)

    def restore(self, *, relaxed: bool, count: int) -> None:
        """Take the resolution of the query from a cached page instead of counting again (the terms
        are stemmed only if asked for)."""
        self._relaxed = relaxed
        self.match_count = count

    @property
    def query_text(self) -> str:
        """The query as searched: its plain words, as the search box shows them (no SQL)."""
        return search.clean_query(self.data_cleaned.get("q"))

    def fingerprint(self) -> str:
        """What decides the results, read without SQL: the query's words, the facet selections and the
        sort asked for."""
        data = self.data_cleaned
        selections = sorted((k, sorted(map(str, v))) for k, v in data.items() if v and k not in {"q", "sort"})
        raw = repr((search.query_words(self.query_text), selections, data.get("sort") or ""))
        return hashlib.sha1(raw.encode()).hexdigest()

    @property
    def chosen_sort(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_valid() else None
        if chosen:
            return chosen
        return Sort.RELEVANCE if self.prepared_terms else Sort.NEWEST

    def results(self) -> QuerySet:
        """The filtered search documents, searched and ordered: what the page lists and the API returns."""
        queryset = self.qs.search(self.terms)
        if self.chosen_sort == Sort.RELEVANCE and self.terms:
            return queryset.order_by_relevance()
        return queryset.order_by(*Sort.ORDERING.get(self.chosen_sort, Sort.ORDERING[Sort.NEWEST]))


def apply_filters(queryset: QuerySet, data: dict) -> QuerySet:
    """Narrow search documents by the facet selections in ``data`` (cleaned; q and sort are not filters)."""
    if data.get("category"):
        queryset = queryset.filter(category__in=data["category"])
    if data.get("sdg"):
        through = Innovation.sdgs.through
        chosen = through.objects.filter(
            innovation=OuterRef("pk"), sdg__number__in=[int(v) for v in data["sdg"]]
        )
        queryset = queryset.filter(Exists(chosen))
    if data.get("province"):
        queryset = queryset.filter(province_code__in=data["province"])
    if data.get("level"):
        queryset = queryset.filter(agency_level__in=data["level"])
    # The three award facets describe one award together: KIPP 2020 + Top 45 means a Top 45 of 2020.
    awards = award_condition(data)
    if awards is not None:
        queryset = queryset.filter(Exists(awards.filter(innovation=OuterRef("pk"))))
    replicated = set(data.get("replicated") or [])
    if replicated == {"yes"}:
        queryset = queryset.filter(replication_count__gt=0)
    elif replicated == {"no"}:
        queryset = queryset.filter(replication_count=0)
    return queryset


def award_condition(data: dict):
    conditions = {}
    if data.get("kipp_year"):
        conditions["edition__year__in"] = [int(year) for year in data["kipp_year"]]
    if data.get("tier"):
        conditions["tier__in"] = data["tier"]
    if data.get("group"):
        conditions["group__in"] = data["group"]
    return KippAward.objects.filter(**conditions) if conditions else None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


# The columns of one matching innovation, gathered once per statement in the CTE "m": the facets'
# values and the sort keys of every ordering.
MATCHED_COLUMNS = {
    "id": "pk",
    "category": "category",
    "province": "province_code",
    "level": "agency_level",
    "replication_count": "replication_count",
    "sdg_numbers": "sdg_numbers",
    "name": "name",
    "launch_year": "launch_year",
    "created_at": "created_at",
}
AWARD_FACETS = ("kipp_year", "tier", "group")
AWARD_COLUMNS = {"kipp_year": "e.year", "tier": "w.tier", "group": "w.group"}
# Facets read from the columns of "m", counted together in one pass with GROUPING SETS; the SDG
# facet is grouped by the whole list of an innovation's SDGs, then added up per SDG.
GROUPED = {
    "category": ("m.category", "m.category"),
    "province": ("m.province", "m.province"),
    "level": ("m.level", "m.level"),
    "replicated": ("(m.replication_count > 0)", "CASE WHEN m.replication_count > 0 THEN 'yes' ELSE 'no' END"),
    "sdg": ("m.sdg_numbers", "NULL"),
}
# How the page is ordered, over the columns of "m" (the same orderings as Sort.ORDERING).
PAGE_ORDER = {
    Sort.NEWEST: ["launch_year DESC NULLS LAST", "created_at DESC", "id"],
    Sort.MOST_REPLICATED: ["replication_count DESC", "name", "id"],
    Sort.NAME: ["name", "id"],
    Sort.RELEVANCE: ["rank DESC", "replication_count DESC", "name", "id"],
}


def facet_predicates(data: dict, leave_out: str | None) -> tuple[str, list]:
    """SQL over the CTE row ``m`` for every facet selection except ``leave_out``.

    The same selections as apply_filters(), written against the gathered columns so that all facets
    share one scan; tests/innovations/test_pages.py checks that both agree.
    """
    clauses, params = ["TRUE"], []
    for name, column in [("category", "m.category"), ("province", "m.province"), ("level", "m.level")]:
        if name != leave_out and data.get(name):
            clauses.append(f"{column} = ANY(%s)")
            params.append(list(data[name]))
    if leave_out != "sdg" and data.get("sdg"):
        clauses.append("m.sdg_numbers && %s::smallint[]")
        params.append([int(value) for value in data["sdg"]])
    if leave_out not in AWARD_FACETS:
        award_sql, award_params = award_predicates(data, leave_out=None, alias_w="w2", alias_e="e2")
        if award_params:
            # Not correlated: the awarded innovations are hashed once, then each row is a lookup
            # (the condition is evaluated in several aggregates of every row).
            clauses.append(
                "m.id IN (SELECT w2.innovation_id FROM innovations_kippaward w2 "
                f"JOIN innovations_kippedition e2 ON e2.id = w2.edition_id WHERE TRUE {award_sql})"
            )
            params.extend(award_params)
    replicated = set(data.get("replicated") or []) if leave_out != "replicated" else set()
    if replicated == {"yes"}:
        clauses.append("m.replication_count > 0")
    elif replicated == {"no"}:
        clauses.append("m.replication_count = 0")
    return " AND ".join(clauses), params


def award_predicates(
    data: dict, leave_out: str | None, alias_w: str = "w", alias_e: str = "e"
) -> tuple[str, list]:
    """Conditions on one award row: the award facets describe one award together."""
    sql, params = "", []
    for name in AWARD_FACETS:
        if name != leave_out and data.get(name):
            column = AWARD_COLUMNS[name].replace("w.", f"{alias_w}.").replace("e.", f"{alias_e}.")
            sql += f" AND {column} = ANY(%s)"
            params.append([int(v) for v in data[name]] if name == "kipp_year" else list(data[name]))
    return sql, params


def page_number(raw) -> int:
    """A page number from the query string: not a number gives the first page, below 1 the last one."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 2**31 else 0


def gather(data: dict, visible: QuerySet, terms: search.SearchTerms, page: PageRequest) -> Gathered:
    """Count the results, count every facet and pick one page, all from one scan of the matches.

    The way for a query holding a lexeme that has no bitmap in the search index, a rare one, so the
    matches are few (search_index.gather answers every other query, and the list without one). The
    records matching the query are gathered once with their rank (the CTE "m"); the facet selections
    are then applied as filters inside the aggregates, so each facet is counted over the other facets'
    selections while the total and the page obey all of them. A page number past the end gives the
    last page, as Paginator.get_page() does.
    """
    columns = {**MATCHED_COLUMNS, "rank": "rank"}
    if terms:
        columns |= {"matched": "matched"}
    base_sql, base_params = (
        visible.search(terms).values_list(*columns.values()).order_by().query.sql_with_params()
    )
    params: list = [*base_params]
    everything, everything_params = facet_predicates(data, leave_out=None)
    counted = []
    for name in GROUPED:
        others, others_params = facet_predicates(data, leave_out=name)
        counted.append(count_where(others))
        params.extend(others_params)
    counted.append(count_where(everything))
    params.extend(everything_params)
    sets = ", ".join(f"({expression})" for expression, _ in GROUPED.values())
    facet_of = " ".join(
        f"WHEN GROUPING({expression}) = 0 THEN '{name}'" for name, (expression, _) in GROUPED.items()
    )
    value_of = " ".join(
        f"WHEN GROUPING({expression}) = 0 THEN {value}" for expression, value in GROUPED.values()
    )
    pick = " ".join(f"WHEN '{name}' THEN c{index}" for index, name in enumerate(GROUPED))
    # The award facets: one award row at a time, the three describing one award together.
    award_counted = []
    for name in AWARD_FACETS:
        award_sql, award_params = award_predicates(data, leave_out=name)
        award_counted.append(count_where(f"TRUE{award_sql}", "DISTINCT m.id"))
        params.extend(award_params)
    non_award, non_award_params = facet_predicates(data, leave_out=AWARD_FACETS[0])
    params.extend(non_award_params)
    award_of = " ".join(f"WHEN GROUPING({AWARD_COLUMNS[name]}) = 0 THEN '{name}'" for name in AWARD_FACETS)
    award_value_of = " ".join(
        f"WHEN GROUPING({AWARD_COLUMNS[name]}) = 0 THEN {AWARD_COLUMNS[name]}::text" for name in AWARD_FACETS
    )
    award_pick = " ".join(f"WHEN '{name}' THEN a{index}" for index, name in enumerate(AWARD_FACETS))
    award_sets = ", ".join(f"({AWARD_COLUMNS[name]})" for name in AWARD_FACETS)
    sql = f"""
        WITH m({", ".join(columns)}) AS MATERIALIZED ({base_sql}),
        g AS (
            SELECT CASE {facet_of} ELSE '' END AS facet, CASE {value_of} END AS value,
                   m.sdg_numbers AS sdgs, {", ".join(f"{c} AS c{i}" for i, c in enumerate(counted))}
            FROM m GROUP BY GROUPING SETS ({sets}, ())
        ),
        a AS (
            SELECT CASE {award_of} END AS facet, CASE {award_value_of} END AS value,
                   {", ".join(f"{c} AS a{i}" for i, c in enumerate(award_counted))}
            FROM m JOIN innovations_kippaward w ON w.innovation_id = m.id
                   JOIN innovations_kippedition e ON e.id = w.edition_id
            WHERE {non_award}
            GROUP BY GROUPING SETS ({award_sets})
        )
        SELECT facet, value, sdgs, CASE facet {pick} ELSE c{len(GROUPED)} END, NULL::text[] FROM g
        UNION ALL SELECT facet, value, NULL::smallint[], CASE facet {award_pick} END, NULL FROM a"""
    order = PAGE_ORDER[page.sort]
    keys = [key.split()[0] for key in order]
    page_order = ", ".join(f"p.{key}" for key in order)
    matched = "m.matched" if terms else "NULL::text[]"
    sql += f"""
    UNION ALL (
        WITH numbered AS (
            SELECT CASE WHEN %s::bigint BETWEEN 1 AND pages THEN %s::bigint ELSE pages END AS number
            FROM (SELECT greatest(1, ceil(c{len(GROUPED)} / %s::numeric))::int AS pages
                  FROM g WHERE facet = '') AS total
        ),
        p AS (
            SELECT {", ".join(dict.fromkeys(f"m.{key}" for key in keys))}, {matched} AS matched FROM m
            WHERE {everything}
            ORDER BY {", ".join(f"m.{key}" for key in order)}
            LIMIT %s OFFSET (SELECT (number - 1) * %s FROM numbered)
        )
        SELECT 'page', p.id::text, NULL::smallint[], row_number() OVER (ORDER BY {page_order}),
               p.matched
        FROM p
        UNION ALL SELECT 'number', NULL, NULL, number, NULL FROM numbered
    )"""
    params.extend([page.number, page.number, page.size, *everything_params, page.size, page.size])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    total, number, page_rows = 0, 1, []
    for facet, value, sdgs, count, matched in rows:
        if facet == "":
            total = count
        elif facet == "sdg":
            for sdg in sdgs or ():
                counts["sdg"][str(sdg)] = counts["sdg"].get(str(sdg), 0) + count
        elif facet == "page":
            page_rows.append((count, int(value), list(matched) if matched is not None else terms.lexemes))
        elif facet == "number":
            number = count
        else:
            counts[facet][value] = count
    counts = {name: {value: n for value, n in values.items() if n} for name, values in counts.items()}
    ordered = [(pk, matched) for _, pk, matched in sorted(page_rows)]
    return Gathered(count=total, counts=counts, page_number=number, rows=ordered)


def count_where(condition: str, what: str = "*") -> str:
    return f"count({what})" if condition == "TRUE" else f"count({what}) FILTER (WHERE {condition})"


def build_facets(filterset: InnovationFilterSet, counts: dict[str, dict[str, int]]) -> list[Facet]:
    data = filterset.data_cleaned
    facets = []
    for name in FACET_NAMES:
        form_field = filterset.form.fields[name]
        selected = set(data.get(name) or [])
        values = [
            FacetValue(str(value), str(label), counts[name].get(str(value), 0), str(value) in selected)
            for value, label in form_field.choices
            if counts[name].get(str(value)) or str(value) in selected
        ]
        facets.append(Facet(name, str(form_field.label), values))
    return facets
