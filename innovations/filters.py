"""The one FilterSet of the innovation list: the search page and the API read the same parameters.

Facets combine with AND across facets and OR within one facet. Each facet's counts are taken over
the records that match the query and every *other* facet's selection, so the count beside an
unselected value is the number of results its checkbox would add, and selecting a single value
shows exactly its count.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from regions.models import AgencyLevel, Province

from . import search
from .models import SDG, Category, Group, Innovation, KippAward, KippEdition, Tier


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
        NEWEST: ["-launch_year", "-created_at", "pk"],
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
        model = Innovation
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return apply_filters(queryset, self.form.cleaned_data)

    @property
    def terms(self) -> search.SearchTerms:
        if not hasattr(self, "_terms"):
            self._terms = search.prepare(self.form.cleaned_data.get("q") if self.is_valid() else "")
        return self._terms

    @property
    def chosen_sort(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_valid() else None
        if chosen:
            return chosen
        return Sort.RELEVANCE if self.terms else Sort.NEWEST

    def results(self) -> QuerySet:
        """The filtered records, searched and ordered: what the page lists and the API returns."""
        queryset = self.qs.search(self.terms)
        if self.chosen_sort == Sort.RELEVANCE and self.terms:
            return queryset.order_by_relevance()
        return queryset.order_by(*Sort.ORDERING.get(self.chosen_sort, Sort.ORDERING[Sort.NEWEST]))


def apply_filters(queryset: QuerySet, data: dict) -> QuerySet:
    """Narrow innovations by the facet selections in ``data`` (cleaned values; q and sort are not filters)."""
    if data.get("category"):
        queryset = queryset.filter(category__in=data["category"])
    if data.get("sdg"):
        through = Innovation.sdgs.through
        chosen = through.objects.filter(
            innovation=OuterRef("pk"), sdg__number__in=[int(v) for v in data["sdg"]]
        )
        queryset = queryset.filter(Exists(chosen))
    if data.get("province"):
        queryset = queryset.filter(owner_agency__province__code__in=data["province"])
    if data.get("level"):
        queryset = queryset.filter(owner_agency__level__in=data["level"])
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


# name -> SQL producing (value, count) over the candidate innovations in the CTE "base"
FACET_SQL = {
    "category": "SELECT i.category::text, count(*) FROM base JOIN innovations_innovation i ON i.id = base.id "
    "GROUP BY 1",
    "sdg": "SELECT s.number::text, count(DISTINCT base.id) FROM base "
    "JOIN innovations_innovation_sdgs link ON link.innovation_id = base.id "
    "JOIN innovations_sdg s ON s.id = link.sdg_id GROUP BY 1",
    "province": "SELECT p.code::text, count(*) FROM base JOIN innovations_innovation i ON i.id = base.id "
    "JOIN regions_agency a ON a.id = i.owner_agency_id "
    "JOIN regions_province p ON p.id = a.province_id GROUP BY 1",
    "level": "SELECT a.level::text, count(*) FROM base JOIN innovations_innovation i ON i.id = base.id "
    "JOIN regions_agency a ON a.id = i.owner_agency_id GROUP BY 1",
    "kipp_year": "SELECT e.year::text, count(DISTINCT base.id) FROM base "
    "JOIN innovations_kippaward w ON w.innovation_id = base.id "
    "JOIN innovations_kippedition e ON e.id = w.edition_id GROUP BY 1",
    "tier": "SELECT w.tier::text, count(DISTINCT base.id) FROM base "
    "JOIN innovations_kippaward w ON w.innovation_id = base.id GROUP BY 1",
    "group": "SELECT w.group::text, count(DISTINCT base.id) FROM base "
    "JOIN innovations_kippaward w ON w.innovation_id = base.id GROUP BY 1",
    "replicated": "SELECT CASE WHEN i.replication_count > 0 THEN 'yes' ELSE 'no' END, count(*) FROM base "
    "JOIN innovations_innovation i ON i.id = base.id GROUP BY 1",
}
FACET_NAMES = list(FACET_SQL)


def facet_counts(filterset: InnovationFilterSet, visible: QuerySet) -> list[Facet]:
    """Every facet's value counts in one SQL statement (one UNION ALL over per-facet candidate sets)."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    statements, params = [], []
    for name in FACET_NAMES:
        others = {key: value for key, value in data.items() if key != name}
        base = apply_filters(visible, others)
        if filterset.terms:
            base = base.filter(search.matches(filterset.terms))
        base_sql, base_params = base.values("pk").order_by().query.sql_with_params()
        statements.append(
            f"(WITH base(id) AS ({base_sql}) "
            f"SELECT %s::text AS facet, value, count FROM ({FACET_SQL[name]}) AS counts(value, count))"
        )
        params.extend([*base_params, name])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    for facet, value, count in rows:
        counts[facet][value] = count
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
