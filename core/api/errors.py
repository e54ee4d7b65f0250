"""One error body for every 4xx, and the OpenAPI descriptions of those errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """A 409; ``extra`` adds keys to the error body (e.g. the record that exists already)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Permintaan bertentangan dengan keadaan data saat ini.")
    default_code = "conflict"

    def __init__(self, detail=None, code=None, extra: dict | None = None):
        super().__init__(detail, code)
        self.extra = extra or {}


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
    response.data = {"status": response.status_code, **body, **getattr(error, "extra", {})}
    return response


ERROR_BODY = inline_serializer(
    name="Error",
    fields={
        "status": serializers.IntegerField(),
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        # A 409 of a create whose record exists already (a double click, a client's retry) names it.
        "existing": inline_serializer(
            name="ExistingRecord",
            fields={"id": serializers.IntegerField(), "url": serializers.CharField()},
            required=False,
            allow_null=True,
            help_text=_("Pada 409 karena data yang sama sudah ada: data itu (id dan alamat halamannya)."),
        ),
    },
)


def server_error(request, *args, **kwargs):
    """A server error: the API's error body under /api/, the site's page elsewhere (``handler500``)."""
    if request.path.startswith("/api/"):
        detail = str(_("Terjadi galat di server. Coba lagi nanti."))
        body = {"status": 500, "code": "server_error", "detail": detail, "errors": {}}
        return JsonResponse(body, status=500)
    return defaults.server_error(request, *args, **kwargs)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that names no endpoint: the API's 404 body, not the site's HTML page."""
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


READ_ERRORS = errors(400, 401, 404, 429)
