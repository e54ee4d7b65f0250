"""The bank over the REST API: innovations (the search page's filters and facets), sectors, SDGs,
KIPP editions and awards. Visibility comes from the same queryset methods as the pages."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core import export
from core.api.base import PublicReadViewSet
from core.api.errors import READ_ERRORS
from core.api.filters import NO_NUL, IntegerFilter, filter_parameters
from core.api.pagination import Pagination
from regions.signals import REFERENCE

from .filters import FACET_NAMES, FacetFilter, InnovationFilterSet, build_facets
from .models import (
    PROPOSAL_PUBLIC_STATUSES,
    SDG,
    Category,
    Group,
    Innovation,
    KippAward,
    KippEdition,
    SearchDocument,
    Tier,
)
from .querysets import sees_drafts
from .signals import BANK


class BankReadViewSet(PublicReadViewSet):
    """A public read of the bank: national admins also see drafts, so their answers differ."""

    versions = (BANK, REFERENCE)

    def audience(self, request) -> str:
        return "drafts" if sees_drafts(request.user) else "public"


class AgencyBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    province = serializers.CharField(source="province.code", allow_null=True, default=None)
    regency = serializers.CharField(source="regency.code", allow_null=True, default=None)


class AwardBriefSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="edition.year")

    class Meta:
        model = KippAward
        fields = ["year", "group", "tier"]


class InnovationSerializer(serializers.ModelSerializer):
    """An innovation as a list shows it."""

    owner_agency = AgencyBriefSerializer()
    awards = AwardBriefSerializer(many=True)
    page_url = serializers.SerializerMethodField()
    matched_words = serializers.SerializerMethodField()

    class Meta:
        model = Innovation
        fields = [
            "id", "slug", "name", "long_name", "category", "summary", "owner_agency", "launch_year",
            "is_digital", "replication_count", "awards", "last_reviewed_on", "page_url", "matched_words",
        ]  # fmt: skip

    def get_page_url(self, innovation) -> str:
        return reverse("innovation-detail", args=[innovation.slug])

    def get_matched_words(self, innovation) -> list[str]:
        terms = self.context.get("terms")
        return terms.words_for(getattr(innovation, "matched", None)) if terms else []


class ReplicationSerializer(serializers.Serializer):
    """A public replication of an innovation: a proposal past review."""

    regency = serializers.CharField(source="regency.code")
    regency_name = serializers.CharField(source="regency.name")
    round = serializers.CharField(source="round.title")
    local_name = serializers.CharField()
    adopting_agency = serializers.CharField(source="adopting_agency.name", allow_null=True, default=None)
    status = serializers.CharField()


class LinkSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class InnovationDetailSerializer(InnovationSerializer):
    """An innovation's profile: what the page shows, with its awards and where it has been replicated."""

    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    links = LinkSerializer(many=True)
    replicated_from = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    replications = serializers.SerializerMethodField()

    class Meta(InnovationSerializer.Meta):
        fields = [
            f for f in InnovationSerializer.Meta.fields if f != "matched_words"
        ] + [
            "affair", "form", "stage", "sdgs", "background", "novelty", "implementation", "significance",
            "results_before", "results_after", "adaptability", "resources", "sustainability",
            "replication_prerequisites", "contact_name", "contact_email", "contact_phone", "links",
            "replicated_from", "replications",
        ]  # fmt: skip

    @extend_schema_field(ReplicationSerializer(many=True))
    def get_replications(self, innovation):
        return ReplicationSerializer(innovation.public_replications, many=True).data


FACETS_FIELD = inline_serializer(
    name="Facet",
    many=True,
    fields={
        "name": serializers.ChoiceField(choices=FACET_NAMES),
        "label": serializers.CharField(),
        "values": inline_serializer(
            name="FacetValue",
            many=True,
            fields={
                "value": serializers.CharField(),
                "label": serializers.CharField(),
                "count": serializers.IntegerField(),
                "selected": serializers.BooleanField(),
            },
        ),
    },
)


class FacetedPagination(Pagination):
    """A page of search results with every facet's counts, as on the search page.

    The search counts its matches, counts every facet and picks the page in one statement
    (``InnovationFilterSet.gather_page``); this paginator only describes the page it found.
    """

    def describe(self, request, rows: list, number: int, size: int, count: int) -> None:
        paginator = DjangoPaginator(SearchDocument.objects.none(), size)
        paginator.count = count
        if number > paginator.num_pages:
            raise exceptions.NotFound(self.invalid_page_message)
        self.request = request
        self.page = Page(rows, number, paginator)

    def get_paginated_response(self, data, facets=()):
        response = super().get_paginated_response(data)
        response.data["facets"] = [
            {"name": f.name, "label": f.label, "values": [value.__dict__ for value in f.values]}
            for f in facets
        ]
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["facets"] = {"type": "array", "items": {"$ref": "#/components/schemas/Facet"}}
        paginated["required"] = [*paginated.get("required", []), "facets"]
        return paginated


# Facets whose values come from reference tables: described by their form, not by today's rows.
DATA_FACETS = {
    "sdg": (_("Nomor tujuan SDG (1–17)"), "^[0-9]{1,2}$"),
    "province": (_("Kode provinsi Kemendagri, mis. 13"), "^[0-9]{2}$"),
    "kipp_year": (_("Tahun KIPP, mis. 2020"), "^[0-9]{4}$"),
}


def search_rules() -> dict[str, dict]:
    """Each search parameter's JSON schema, read from the page's FilterSet (facets may be repeated).

    The page forgives an unknown facet value (a stale link still works); the API refuses it with a 400,
    so a client learns of its mistake.
    """
    rules = {}
    for name, search_filter in InnovationFilterSet.base_filters.items():
        if name in DATA_FACETS:
            schema = {"type": "array", "items": {"type": "string", "pattern": DATA_FACETS[name][1]}}
        elif isinstance(search_filter, FacetFilter):
            choices = [value for value, _label in search_filter.extra["choices"]]
            schema = {"type": "array", "items": {"type": "string", "enum": choices}}
        elif "choices" in search_filter.extra:
            schema = {"type": "string", "enum": [value for value, _label in search_filter.extra["choices"]]}
        else:
            schema = {"type": "string", "maxLength": search_filter.extra["max_length"], "pattern": NO_NUL}
        rules[name] = schema
    return rules


SEARCH_RULES = search_rules()


def search_parameters() -> list[OpenApiParameter]:
    parameters = []
    for name, schema in SEARCH_RULES.items():
        search_filter = InnovationFilterSet.base_filters[name]
        label = str(search_filter.label)
        if name in DATA_FACETS:
            label = f"{label}: {DATA_FACETS[name][0]}"
        if schema["type"] == "array":
            label += str(_("; boleh diulang"))
        parameters.append(OpenApiParameter(name, schema, description=label))
    return parameters


def refuse_unknown_values(params) -> None:
    """A 400 naming each search parameter whose value its documented schema does not allow."""
    errors = {}
    for name, schema in SEARCH_RULES.items():
        item = schema.get("items", schema)
        for value in params.getlist(name):
            allowed = value in item["enum"] if "enum" in item else bool(re.fullmatch(item["pattern"], value))
            if not allowed or len(value) > item.get("maxLength", len(value)):
                errors.setdefault(name, []).append(
                    str(_("Nilai “%(value)s” tidak dikenal.") % {"value": value[:40]})
                )
    if errors:
        raise exceptions.ValidationError(errors)


def agency_place(agency) -> tuple[str, str]:
    """The names of the province and regency an agency belongs to, directly or through its parent."""
    for holder in (agency, agency.parent):
        if holder is not None and holder.regency_id:
            return holder.regency.province.name, holder.regency.name
        if holder is not None and holder.province_id:
            return holder.province.name, ""
    return "", ""


EXPORT_PLACES = (
    "owner_agency__regency__province",
    "owner_agency__province",
    "owner_agency__parent__regency__province",
    "owner_agency__parent__province",
)


def matched_document(pk: int, matched: list[str]) -> SearchDocument:
    document = SearchDocument(pk=pk)
    document.matched = matched
    return document


@extend_schema(tags=["bank"])
class InnovationViewSet(BankReadViewSet):
    """The innovation bank: published innovations for everyone, drafts too for national admins."""

    serializer_class = InnovationSerializer
    filter_backends: list = []  # the FilterSet is applied in list(), as on the search page
    pagination_class = FacetedPagination
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    queryset = SearchDocument.objects.none()  # for the schema; requests read visible_to(user)

    @extend_schema(
        summary=str(_("Cari dan telusuri bank inovasi")),
        description=str(
            _(
                "Pencarian teks penuh berbahasa Indonesia (kata diturunkan ke kata dasar), faset dengan "
                "jumlahnya dan urutan, dengan parameter yang sama seperti halaman /inovasi/. Faset yang "
                "tidak dikenal diabaikan. Jumlah per faset dihitung atas hasil dan pilihan faset lain."
            )
        ),
        parameters=search_parameters(),
        responses={200: InnovationSerializer(many=True), **READ_ERRORS},
    )
    def list(self, request, *args, **kwargs):
        refuse_unknown_values(request.query_params)
        size = self.paginator.get_page_size(request)  # a malformed page or page_size is a 400
        number = int(request.query_params.get("page") or 1)
        filterset = InnovationFilterSet.for_user(request.query_params, request.user)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        found = filterset.gather_page(number, size)
        self.paginator.describe(request, found.rows, number, size, found.count)
        documents = [matched_document(pk, matched) for pk, matched in found.rows]
        innovations = (
            Innovation.objects.for_cards().select_related("owner_agency__province").in_order_of(documents)
        )
        context = {"terms": filterset.terms, "request": request}
        data = self.get_serializer(innovations, many=True, context=context).data
        return self.paginator.get_paginated_response(data, build_facets(filterset, found.counts))

    @extend_schema(
        summary=str(_("Unduh hasil pencarian sebagai CSV atau XLSX")),
        description=str(
            _("Seluruh hasil dengan parameter yang sama seperti daftar (maksimal %(max)s baris).")
            % {"max": export.MAX_ROWS}
        ),
        parameters=[export.FORMAT_PARAMETER, *search_parameters()],
        responses=export.export_responses(READ_ERRORS),
    )
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request):
        fmt = export.export_format(request)
        refuse_unknown_values(request.query_params)
        filterset = InnovationFilterSet.for_user(request.query_params, request.user)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        filterset.terms  # noqa: B018 (resolves the query: every word required, or any when none holds all)
        pks = list(filterset.results().values_list("pk", flat=True)[: export.MAX_ROWS])
        innovations = (
            Innovation.objects.for_cards()
            .select_related(*EXPORT_PLACES)
            .in_order_of([matched_document(pk, []) for pk in pks])
        )
        header = [
            _("nama inovasi"), _("slug"), _("kategori KIPP"), _("instansi pemilik"), _("provinsi"),
            _("kabupaten/kota"), _("tahun mulai"), _("jumlah replikasi"), _("penghargaan KIPP"),
            _("ringkasan"), _("tautan"),
        ]  # fmt: skip
        rows = (
            [
                innovation.name,
                innovation.slug,
                innovation.get_category_display(),
                innovation.owner_agency.name,
                *agency_place(innovation.owner_agency),
                innovation.launch_year,
                innovation.replication_count,
                "; ".join(
                    f"{a.edition.year} {a.get_tier_display()} ({a.get_group_display()})"
                    for a in innovation.awards.all()
                ),
                innovation.summary,
                settings.SITE_URL + reverse("innovation-detail", args=[innovation.slug]),
            ]  # fmt: skip
            for innovation in innovations
        )
        return export.file_response(fmt, "inovasi", header, rows)

    @extend_schema(responses={200: InnovationDetailSerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        proposal = Innovation._meta.get_field("proposals").related_model
        replications = (
            proposal.objects.filter(status__in=PROPOSAL_PUBLIC_STATUSES)
            .select_related("regency", "round", "adopting_agency")
            .order_by("-round__deadline", "regency__name")
        )
        innovation = (
            Innovation.objects.visible_to(request.user)
            .with_place()
            .select_related("replicated_from")
            .prefetch_related(
                "sdgs",
                "links",
                Prefetch("awards", KippAward.objects.select_related("edition")),
                Prefetch("proposals", replications, to_attr="public_replications"),
            )
            .filter(slug=kwargs["slug"])
            .first()
        )
        if innovation is None:
            raise exceptions.NotFound(_("Tidak ditemukan."))
        return Response(InnovationDetailSerializer(innovation, context={"request": request}).data)


SECTOR_SERIALIZER = inline_serializer(
    name="Sector",
    fields={"code": serializers.ChoiceField(choices=Category.values), "name": serializers.CharField()},
)


@extend_schema(tags=["bank"])
class SectorViewSet(BankReadViewSet):
    """The KIPP categories (sectors) an innovation belongs to, by code."""

    queryset = SearchDocument.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(responses={200: SECTOR_SERIALIZER, **READ_ERRORS})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset([{"code": code, "name": str(name)} for code, name in Category.choices])
        return self.get_paginated_response(page)

    @extend_schema(responses={200: SECTOR_SERIALIZER, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        names = dict(Category.choices)
        if kwargs["code"] not in names:
            raise exceptions.NotFound(_("Tidak ditemukan."))
        return Response({"code": kwargs["code"], "name": str(names[kwargs["code"]])})


class SDGSerializer(serializers.ModelSerializer):
    class Meta:
        model = SDG
        fields = ["number", "name", "name_en"]


@extend_schema(tags=["bank"], responses={200: SDGSerializer, **READ_ERRORS})
class SDGViewSet(BankReadViewSet):
    """The 17 Sustainable Development Goals (Tujuan Pembangunan Berkelanjutan)."""

    serializer_class = SDGSerializer
    queryset = SDG.objects.order_by("number")
    lookup_field = "number"


class EditionSerializer(serializers.ModelSerializer):
    winner_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = KippEdition
        fields = ["year", "number", "top_tier", "has_outstanding", "legal_basis", "winner_count"]


@extend_schema(tags=["kipp"], responses={200: EditionSerializer, **READ_ERRORS})
class EditionViewSet(BankReadViewSet):
    """KIPP editions (Kompetisi Inovasi Pelayanan Publik) since 2014, with their number of awards."""

    serializer_class = EditionSerializer
    lookup_field = "year"

    def get_queryset(self):
        visible = Innovation.objects.visible_to(self.request.user)
        return KippEdition.objects.annotate(
            winner_count=Count("awards", filter=Q(awards__innovation__in=visible))
        ).order_by("-year")


class AwardSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="edition.year")
    innovation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    innovation_name = serializers.CharField(source="innovation.name")

    class Meta:
        model = KippAward
        fields = ["id", "year", "group", "tier", "innovation", "innovation_name"]


class AwardFilterSet(filters.FilterSet):
    year = IntegerFilter(field_name="edition__year", label=_("Tahun KIPP"))
    group = filters.ChoiceFilter(choices=Group.choices, label=_("Kelompok"))
    tier = filters.ChoiceFilter(choices=Tier.choices, label=_("Peringkat"))

    class Meta:
        model = KippAward
        fields: list[str] = []


@extend_schema(tags=["kipp"], responses={200: AwardSerializer, **READ_ERRORS})
@extend_schema_view(list=extend_schema(parameters=filter_parameters(AwardFilterSet)))
class AwardViewSet(BankReadViewSet):
    """KIPP awards of visible innovations, newest edition first."""

    serializer_class = AwardSerializer
    filterset_class = AwardFilterSet

    def get_queryset(self):
        return (
            KippAward.objects.filter(innovation__in=Innovation.objects.visible_to(self.request.user))
            .select_related("edition", "innovation")
            .order_by("-edition__year", "group", "tier", "innovation__name", "pk")
        )
