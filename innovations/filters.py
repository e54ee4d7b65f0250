"""The one FilterSet of the innovation list: the search page and the API read the same parameters.

Facets combine with AND across facets and OR within one facet. Each facet's counts are taken over
the records that match the query and every *other* facet's selection, so the count beside an
unselected value is the number of results its checkbox would add, and selecting a single value
shows exactly its count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from regions.models import AgencyLevel, Province

from . import search
from .models import SDG, Category, Group, Innovation, KippAward, KippEdition, SearchDocument, Tier


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    MOST_REPLICATED = "replicated"
    NAME = "name"

    CHOICES = [
        (RELEVANCE, _("Paling relevan")),
        (NEWEST, _("Terbaru")),
        (MOST_REPLICATED, _("Paling banyak direplikasi")),
        (NAME, _("Nama (A–Z)")),
    ]
    ORDERING = {
        NEWEST: [F("launch_year").desc(nulls_last=True), "-created_at", "pk"],
        MOST_REPLICATED: ["-replication_count", "name", "pk"],
        NAME: ["name", "pk"],
    }


REFERENCE_CHOICES_KEY = "innovations:facet-choices:v1"


def reference_choices() -> dict[str, list]:
    """Facet choices that come from reference tables, cached so a page spends no SQL on them.

    The cache is cleared when a province, SDG or KIPP edition is saved (see signals in apps.py).
    """
    choices = cache.get(REFERENCE_CHOICES_KEY)
    if choices is None:
        choices = {
            "kipp_year": [
                (str(year), str(year))
                for year in KippEdition.objects.order_by("-year").values_list("year", flat=True)
            ],
            "province": list(Province.objects.order_by("name").values_list("code", "name")),
            "sdg": list(SDG.objects.order_by("number").values_list("number", "name", "name_en")),
        }
        cache.set(REFERENCE_CHOICES_KEY, choices, timeout=3600)
    return choices


def year_choices():
    return reference_choices()["kipp_year"]


def province_choices():
    return reference_choices()["province"]


def sdg_choices():
    english = (get_language() or "id").startswith("en")
    return [
        (str(number), f"{number}. {name_en if english else name}")
        for number, name, name_en in reference_choices()["sdg"]
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
        choices=[("yes", _("Sudah direplikasi")), ("no", _("Belum direplikasi"))], label=_("Replikasi")
    )
    sort = django_filters.ChoiceFilter(choices=Sort.CHOICES, label=_("Urutkan"))

    class Meta:
        model = SearchDocument
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return apply_filters(queryset, self.form.cleaned_data)

    @property
    def data_cleaned(self) -> dict:
        return self.form.cleaned_data if self.is_valid() else {}

    @property
    def prepared_terms(self) -> search.SearchTerms:
        """The query's terms as typed, every word required (one quick query to the stemmer)."""
        if not hasattr(self, "_prepared"):
            self._prepared = search.prepare(self.data_cleaned.get("q"))
        return self._prepared

    @property
    def terms(self) -> search.SearchTerms:
        """The query's terms, resolved: every word required, or, when no record holds them all, any word.

        Costs one count (two when the query has to be relaxed), kept in ``match_count`` for the paginator.
        """
        if not hasattr(self, "_terms"):
            terms = self.prepared_terms
            self.match_count = None
            if terms:
                self.match_count = self.qs.filter(search.matches(terms)).count()
                if self.match_count == 0 and len(terms.lexemes) > 1:
                    terms = terms.relaxed()
                    self.match_count = self.qs.filter(search.matches(terms)).count()
            self._terms = terms
        return self._terms

    def restore(self, *, relaxed: bool, count: int) -> None:
        """Take the resolution of the query from a cached page instead of counting again."""
        self._terms = self.prepared_terms.relaxed() if relaxed else self.prepared_terms
        self.match_count = count

    def fingerprint(self) -> str:
        """What decides the results: the query's lexemes, the facet selections and the sort."""
        data = self.data_cleaned
        selections = sorted((k, sorted(map(str, v))) for k, v in data.items() if v and k not in {"q", "sort"})
        raw = repr((self.prepared_terms.tsquery, selections, self.chosen_sort))
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


# The facet columns of one matching innovation, gathered once per page in the CTE "m".
MATCHED_COLUMNS = {
    "id": "pk",
    "category": "category",
    "province": "province_code",
    "level": "agency_level",
    "replication_count": "replication_count",
    "sdg_numbers": "sdg_numbers",
}
AWARD_JOIN = (
    "JOIN innovations_kippaward w ON w.innovation_id = m.id "  # noqa: ISC003 (one SQL fragment)
    "JOIN innovations_kippedition e ON e.id = w.edition_id "
)
FACET_SQL = {
    "category": "SELECT m.category::text, count(*) FROM m WHERE {others} GROUP BY 1",
    "sdg": "SELECT number::text, count(*) FROM m, unnest(m.sdg_numbers) AS number WHERE {others} GROUP BY 1",
    "province": "SELECT m.province::text, count(*) FROM m WHERE {others} GROUP BY 1",
    "level": "SELECT m.level::text, count(*) FROM m WHERE {others} GROUP BY 1",
    "kipp_year": "SELECT e.year::text, count(DISTINCT m.id) FROM m "
    + AWARD_JOIN
    + "WHERE {others} {award} GROUP BY 1",
    "tier": "SELECT w.tier::text, count(DISTINCT m.id) FROM m "
    + AWARD_JOIN
    + "WHERE {others} {award} GROUP BY 1",
    "group": "SELECT w.group::text, count(DISTINCT m.id) FROM m "
    + AWARD_JOIN
    + "WHERE {others} {award} GROUP BY 1",
    "replicated": "SELECT CASE WHEN m.replication_count > 0 THEN 'yes' ELSE 'no' END, count(*) FROM m "
    "WHERE {others} GROUP BY 1",
}
FACET_NAMES = list(FACET_SQL)
AWARD_FACETS = ("kipp_year", "tier", "group")
AWARD_COLUMNS = {"kipp_year": "e.year", "tier": "w.tier", "group": "w.group"}


def facet_predicates(data: dict, leave_out: str) -> tuple[str, list]:
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
            clauses.append(
                "EXISTS (SELECT 1 FROM innovations_kippaward w2 JOIN innovations_kippedition e2 "
                f"ON e2.id = w2.edition_id WHERE w2.innovation_id = m.id {award_sql})"
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


FACET_CACHE_SECONDS = 300
BANK_VERSION_KEY = "innovations:bank-version"


def bank_version() -> int:
    """Bumped on every change to innovations, awards and replications (signals in apps.py)."""
    return cache.get_or_set(BANK_VERSION_KEY, 1, timeout=None)


def facet_counts(
    filterset: InnovationFilterSet, visible: QuerySet, *, everyone_sees_the_same: bool
) -> list[Facet]:
    """Every facet's value counts in one SQL statement over one shared scan of the matching records.

    Counts are cached for a few minutes per query, selection and bank version when the visitor sees
    what everyone sees (not for admins, who also see drafts).
    """
    data = filterset.data_cleaned
    terms = filterset.terms
    key = None
    if everyone_sees_the_same:
        key = f"innovations:facets:{bank_version()}:{filterset.fingerprint()}"
        counts = cache.get(key)
        if counts is not None:
            return build_facets(filterset, counts)
    matching = visible.filter(search.matches(terms)) if terms else visible
    base_sql, base_params = matching.values_list(*MATCHED_COLUMNS.values()).order_by().query.sql_with_params()
    statements, params = [], []
    for name in FACET_NAMES:
        others, others_params = facet_predicates(data, leave_out=name)
        award_sql, award_params = award_predicates(data, leave_out=name) if name in AWARD_FACETS else ("", [])
        facet_sql = FACET_SQL[name].format(others=others, award=award_sql)
        statements.append(
            f"(SELECT %s::text AS facet, value, count FROM ({facet_sql}) AS counts(value, count))"
        )
        params.extend([name, *others_params, *award_params])
    columns = ", ".join(MATCHED_COLUMNS)
    sql = f"WITH m({columns}) AS MATERIALIZED ({base_sql}) " + " UNION ALL ".join(statements)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*base_params, *params])
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    for facet, value, count in rows:
        counts[facet][value] = count
    if key:
        cache.set(key, counts, timeout=FACET_CACHE_SECONDS)
    return build_facets(filterset, counts)


def build_facets(filterset: InnovationFilterSet, counts: dict[str, dict[str, int]]) -> list[Facet]:
    data = filterset.data_cleaned
    facets = []
    for name in FACET_NAMES:
        field = filterset.form.fields[name]
        selected = set(data.get(name) or [])
        values = [
            FacetValue(str(value), str(label), counts[name].get(str(value), 0), str(value) in selected)
            for value, label in field.choices
            if counts[name].get(str(value)) or str(value) in selected
        ]
        facets.append(Facet(name, str(field.label), values))
    return facets
