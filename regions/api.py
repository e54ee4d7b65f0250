"""The REST API's foundation and the regions' endpoints (provinces, regencies, agencies).

Every viewset of every app derives from ``ApiViewSet``: it sets authentication (personal tokens,
then the site's session), pagination with a hard maximum page size, throttling in the Redis cache
and the django-filter backend, in one place. ``PublicReadMixin`` adds ``ETag``/``Last-Modified``
with 304 answers to public reads. The error body is one shape everywhere (``exception_handler``).
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db import DataError
from django.db.models import Count
from django.http import Http404
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, pagination, serializers, status, throttling, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .authentication import TokenAuthentication
from .models import Agency, AgencyLevel, Province, Regency, RegencyKind
from .roles import roles_of
from .versions import REFERENCE_VERSION_KEY


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("Token API pribadi, dibuat di /akun/token/.")),
        }


# --- Pagination and throttling ------------------------------------------------------------------

MAX_PAGE_SIZE = 100


class Pagination(pagination.PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (1–100, default 20): anything else is a 400, a page past the
    end a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = _("Halaman tidak ada.")

    def whole_number(self, request, name: str, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
            raise exceptions.ValidationError(
                {name: [_("Harus bilangan bulat 1–%(max)s.") % {"max": maximum}]}
            )
        return int(raw)

    def get_page_size(self, request):
        self.whole_number(request, self.page_query_param, 2**31 - 1)
        return self.whole_number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["maximum"] = 2**31 - 1
                parameter["description"] = str(_("Nomor halaman, mulai dari 1."))
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = str(
                    _("Jumlah hasil per halaman (1–%(max)s, bawaan 20).") % {"max": self.max_page_size}
                )
        return parameters


class RateFromSettings:
    """Rates read from settings.API_THROTTLE_RATES at request time (so tests and deployments can set them)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(RateFromSettings, throttling.UserRateThrottle):
    pass


# --- Errors ---------------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Permintaan bertentangan dengan keadaan data saat ini.")
    default_code = "conflict"


class NotModified(exceptions.APIException):
    status_code = status.HTTP_304_NOT_MODIFIED
    default_code = "not_modified"


def exception_handler(error, context):
    """One error body for every 4xx: ``{"status", "code", "detail", "errors"}``.

    ``errors`` maps a field name to its messages (``non_field_errors`` for the whole body); messages are
    in the requester's language (Accept-Language, else the user's stored language, else Indonesian).
    """
    if isinstance(error, NotModified):
        return Response(status=status.HTTP_304_NOT_MODIFIED)
    if isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError(
            error.message_dict
            if hasattr(error, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
        )
    elif isinstance(error, DataError):  # a value PostgreSQL refuses that a serializer did not catch
        error = exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("Nilai di luar jangkauan atau bentuknya tidak sah.")]}
        )
    elif isinstance(error, Http404):
        error = exceptions.NotFound(_("Tidak ditemukan."))
    response = drf_exception_handler(error, context)
    if response is None:
        return None
    if isinstance(error, exceptions.ValidationError):
        detail = error.detail
        errors = detail if isinstance(detail, dict) else {api_settings.NON_FIELD_ERRORS_KEY: detail}
        body = {"detail": str(_("Data yang dikirim tidak sah.")), "code": "invalid", "errors": errors}
    else:
        codes = error.get_codes() if isinstance(error, exceptions.APIException) else "error"
        body = {
            "detail": str(response.data.get("detail", "")) if isinstance(response.data, dict) else "",
            "code": codes if isinstance(codes, str) else "error",
            "errors": {},
        }
    response.data = {"status": response.status_code, **body}
    return response


ERROR_BODY = inline_serializer(
    name="Error",
    fields={
        "status": serializers.IntegerField(),
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that names no endpoint: the API's 404 body, not the site's HTML page."""
    from django.http import JsonResponse

    detail = str(_("Tidak ditemukan."))
    return JsonResponse({"status": 404, "code": "not_found", "detail": detail, "errors": {}}, status=404)


def error(description, example_status: int, code: str, detail: str, errors=None) -> OpenApiResponse:
    return OpenApiResponse(
        ERROR_BODY,
        description=str(description),
        examples=[
            OpenApiExample(
                code,
                value={"status": example_status, "code": code, "detail": detail, "errors": errors or {}},
                response_only=True,
                status_codes=[str(example_status)],
            )
        ],
    )


ERRORS = {
    400: error(_("Data tidak sah; ``errors`` menyebut tiap isian."), 400, "invalid",
               "Data yang dikirim tidak sah.", {"letter_date": ["Tanggal surat tidak boleh di masa depan."]}),
    401: error(_("Tidak masuk, atau token tidak dikenal/dicabut."), 401, "not_authenticated",
               "Kredensial autentikasi tidak diberikan."),
    403: error(_("Peran Anda tidak mengizinkan tindakan ini."), 403, "permission_denied",
               "Anda tidak memiliki izin untuk melakukan tindakan ini."),
    404: error(_("Tidak ada, atau di luar wilayah Anda."), 404, "not_found", "Tidak ditemukan."),
    409: error(_("Bertentangan dengan status data saat ini."), 409, "conflict",
               "Usulan ini sekarang berstatus “Diajukan”, sehingga tidak dapat diverifikasi."),
    415: error(_("Jenis isi permintaan tidak didukung untuk operasi ini."), 415, "unsupported_media_type",
               "Tipe media “text/plain” pada permintaan tidak didukung."),
    429: error(_("Terlalu banyak permintaan; ulangi setelah Retry-After detik."), 429, "throttled",
               "Permintaan dibatasi. Coba lagi dalam 60 detik."),
}  # fmt: skip


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


# --- Base viewset and conditional GET -------------------------------------------------------------


class ApiViewSet(viewsets.GenericViewSet):
    """Authentication, pagination, throttling and filter backends of every API endpoint."""

    # The token's challenge comes first, so a request without credentials gets 401, not 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    pagination_class = Pagination
    throttle_classes = [AnonThrottle, UserThrottle]
    filter_backends = [filters.DjangoFilterBackend]
    lookup_value_regex = "[0-9]+"


READ_ERRORS = errors(400, 401, 404, 429)


class PublicReadMixin:
    """``ETag`` and ``Last-Modified`` on public reads, with 304 for a matching conditional GET.

    The validators come from version counters that every write of the data behind the endpoint bumps
    (``version_keys``), so answering 304 costs no SQL. What a user may see is part of the ETag.
    """

    version_keys: tuple[str, ...] = ()

    def validators(self, request) -> tuple[str, float]:
        versions = [cache.get_or_set(key, 1, timeout=None) for key in self.version_keys]
        seen_key = "api:changed-at:" + ":".join(
            f"{key}={version}" for key, version in zip(self.version_keys, versions, strict=True)
        )
        changed_at = cache.get_or_set(seen_key, lambda: timezone.now().timestamp(), timeout=86400 * 30)
        who = "all" if roles_of(request.user).is_national_admin else "public"
        raw = repr((versions, who, translation.get_language(), request.get_full_path()))
        return f'"{hashlib.sha1(raw.encode()).hexdigest()}"', int(changed_at)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return
        request.etag, request.last_modified = self.validators(request)
        match = request.META.get("HTTP_IF_NONE_MATCH")
        if match is not None:
            if (
                request.etag in [tag.strip().removeprefix("W/") for tag in match.split(",")]
                or match.strip() == "*"
            ):
                raise NotModified
            return
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        if since is not None and request.last_modified <= since:
            raise NotModified

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(request, "etag", None) and response.status_code in (200, 304):
            response["ETag"] = request.etag
            response["Last-Modified"] = http_date(request.last_modified)
            response["Cache-Control"] = (
                "private, no-cache" if request.user.is_authenticated else "public, no-cache"
            )
            response["Vary"] = "Accept-Language, Authorization, Cookie"
        return response


class PublicReadViewSet(PublicReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A read-only endpoint anyone may call."""


# --- Regions ----------------------------------------------------------------------------------------


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


class PatternFilter(filters.CharFilter):
    """A text parameter of a known form (a code, a slug): checked by its pattern, documented with it.

    Empty means "no filter", as django-filter reads it, so the documented pattern accepts it too.
    """

    def __init__(self, *args, pattern: str, max_length: int, **kwargs):
        self.pattern = pattern
        super().__init__(*args, max_length=max_length, validators=[RegexValidator(pattern)], **kwargs)

    def parameter(self, name: str) -> OpenApiParameter:
        return OpenApiParameter(
            name,
            {"type": "string", "pattern": self.pattern, "maxLength": self.extra["max_length"]},
            description=str(self.label),
        )


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """The documented form of a FilterSet's pattern-checked and integer parameters."""
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        if isinstance(declared, PatternFilter):
            parameters.append(declared.parameter(name))
        elif isinstance(declared, IntegerFilter):
            parameters.append(OpenApiParameter(name, int, description=str(declared.label)))
        elif isinstance(declared, filters.ChoiceFilter):  # empty means "no filter", as django-filter reads it
            values = ["", *(value for value, _label in declared.extra["choices"])]
            parameters.append(
                OpenApiParameter(name, {"type": "string", "enum": values}, description=str(declared.label))
            )
    return parameters


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


PROVINCE_CODE = "^([0-9]{2})?$"
REGENCY_CODE = r"^([0-9]{2}\.[0-9]{2})?$"
NO_NUL = "^[^\\x00]*$"


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
    version_keys = (REFERENCE_VERSION_KEY,)


@extend_schema(tags=["wilayah"], responses={200: RegencySerializer, **READ_ERRORS})
@extend_schema_view(list=extend_schema(parameters=filter_parameters(RegencyFilterSet)))
class RegencyViewSet(PublicReadViewSet):
    """Regencies and cities (kabupaten/kota), code ``13.74`` = Kota Padang Panjang."""

    serializer_class = RegencySerializer
    queryset = Regency.objects.select_related("province").order_by("code")
    filterset_class = RegencyFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}\.[0-9]{2}"
    version_keys = (REFERENCE_VERSION_KEY,)


@extend_schema(tags=["wilayah"], responses={200: AgencySerializer, **READ_ERRORS})
@extend_schema_view(list=extend_schema(parameters=filter_parameters(AgencyFilterSet)))
class AgencyViewSet(PublicReadViewSet):
    """Agencies that own or adopt innovations: ministries, regional governments, their offices and units."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.select_related("province", "regency").order_by("name", "pk")
    filterset_class = AgencyFilterSet
    version_keys = (REFERENCE_VERSION_KEY,)
