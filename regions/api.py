"""The regions' endpoints: provinces, regencies and agencies, read by anyone."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.api.base import PublicReadViewSet
from core.api.errors import READ_ERRORS
from core.api.filters import NO_NUL, PatternFilter, filter_parameters

from .models import Agency, AgencyLevel, Province, Regency, RegencyKind
from .signals import REFERENCE


class ProvinceSerializer(serializers.ModelSerializer):
    regency_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Province
        fields = ["code", "name", "time_zone", "regency_count"]


class RegencySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province_name = serializers.CharField(source="province.name", read_only=True)

    class Meta:
        model = Regency
        fields = ["id", "code", "name", "kind", "province", "province_name"]


class AgencySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    regency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "level", "parent", "province", "regency"]


PROVINCE_CODE = "^([0-9]{2})?$"
REGENCY_CODE = r"^([0-9]{2}\.[0-9]{2})?$"


class RegencyFilterSet(filters.FilterSet):
    province = PatternFilter(
        field_name="province__code", pattern=PROVINCE_CODE, max_length=2, label=_("Kode provinsi")
    )
    kind = filters.ChoiceFilter(choices=RegencyKind.choices, label=_("Jenis"))

    class Meta:
        model = Regency
        fields: list[str] = []


class AgencyFilterSet(filters.FilterSet):
    level = filters.ChoiceFilter(choices=AgencyLevel.choices, label=_("Tingkat"))
    province = PatternFilter(
        field_name="province__code", pattern=PROVINCE_CODE, max_length=2, label=_("Kode provinsi")
    )
    regency = PatternFilter(
        field_name="regency__code", pattern=REGENCY_CODE, max_length=5, label=_("Kode kabupaten/kota")
    )
    name = PatternFilter(lookup_expr="icontains", pattern=NO_NUL, max_length=200, label=_("Nama memuat"))

    class Meta:
        model = Agency
        fields: list[str] = []


@extend_schema(tags=["wilayah"], responses={200: ProvinceSerializer, **READ_ERRORS})
class ProvinceViewSet(PublicReadViewSet):
    """Indonesia's 38 provinces with Kemendagri codes (``13`` = Sumatera Barat)."""

    serializer_class = ProvinceSerializer
    queryset = Province.objects.annotate(regency_count=Count("regencies")).order_by("code")
    lookup_field = "code"
    lookup_value_regex = "[0-9]{2}"
    versions = (REFERENCE,)


@extend_schema(tags=["wilayah"], responses={200: RegencySerializer, **READ_ERRORS})
@extend_schema_view(list=extend_schema(parameters=filter_parameters(RegencyFilterSet)))
class RegencyViewSet(PublicReadViewSet):
    """Regencies and cities (kabupaten/kota), code ``13.74`` = Kota Padang Panjang."""

    serializer_class = RegencySerializer
    queryset = Regency.objects.select_related("province").order_by("code")
    filterset_class = RegencyFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}\.[0-9]{2}"
    versions = (REFERENCE,)


@extend_schema(tags=["wilayah"], responses={200: AgencySerializer, **READ_ERRORS})
@extend_schema_view(list=extend_schema(parameters=filter_parameters(AgencyFilterSet)))
class AgencyViewSet(PublicReadViewSet):
    """Agencies that own or adopt innovations: ministries, regional governments, their offices and units."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.listed().select_related("province", "regency").order_by("name", "pk")
    filterset_class = AgencyFilterSet
    versions = (REFERENCE,)
