"""CSV and XLSX files of a list, for spreadsheets and BI tools (the API's export actions, the bank's
spreadsheet export).

A cell is data, never code. Text a spreadsheet would run as a formula (it starts with = + - @, a tab or
a carriage return) is written as text: in XLSX as a string cell with Excel's own quote prefix, so the
value reads back unchanged; in CSV, which has no types, behind a leading apostrophe (the OWASP rule),
which ``unguarded`` takes off again when the bank's import reads the file."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_GUARD = "'"
# An export is the whole filtered list, up to this many rows (the newest or best-ranked first).
MAX_ROWS = 10_000

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=[CSV, XLSX],
    required=True,
    description="csv (UTF-8 with BOM, comma-separated) or xlsx (Excel).",
)


def export_responses(extra: dict) -> dict:
    """The schema's responses of an export action: the file in either format, then the errors."""
    return {
        (200, CONTENT_TYPES[CSV].split(";")[0]): OpenApiTypes.BINARY,
        (200, CONTENT_TYPES[XLSX]): OpenApiTypes.BINARY,
        **extra,
    }


def plain(value):
    """A cell: dates as ISO dates, instants in the site's time zone without tzinfo (Excel has none)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazily translated label, in the user's language
        return str(value)
    return value


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def guarded(value):
    """A CSV cell: text that would run as a formula behind an apostrophe."""
    return CSV_GUARD + value if is_formula_like(value) else value


def unguarded(text: str) -> str:
    """A CSV cell as written before ``guarded``."""
    return text[1:] if text.startswith(CSV_GUARD) and is_formula_like(text[1:]) else text


def xlsx_cell(sheet, value):
    """An XLSX cell: text that would run as a formula as text (openpyxl stores "=…" as a formula)."""
    from openpyxl.cell import WriteOnlyCell

    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type, cell.quotePrefix = "s", True
    return cell


def file_response(fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == XLSX:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(name[:31])
        sheet.append([str(title) for title in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, plain(cell)) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        body = buffer.getvalue()
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(title) for title in header])
        for row in rows:
            writer.writerow([guarded(plain(cell)) for cell in row])
        body = buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read UTF-8
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


def export_format(request) -> str:
    """The ``format`` asked for; a missing or unknown one is a 400 naming the choices."""
    from django.utils.translation import gettext as _
    from rest_framework.exceptions import ValidationError

    fmt = request.query_params.get("format", "")
    if fmt not in CONTENT_TYPES:
        raise ValidationError({"format": [_("Pilih csv atau xlsx.")]})
    return fmt


def page_file(fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A page's export link answered: the file, or for an unknown ``format`` a 400 naming the choices
    in the user's language (``rows`` may be a generator: nothing is read for a refused request)."""
    from django.http import HttpResponseBadRequest
    from django.utils.translation import gettext as _

    if fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest(
            _("Pilih format unduhan: csv atau xlsx."), content_type="text/plain; charset=utf-8"
        )
    return file_response(fmt, name, header, rows)


def page_query(request) -> str:
    """The page's own query string without its page number and format: what its export links carry,
    so a file holds the same rows as the page it came from."""
    query = request.GET.copy()
    for name in ("format", "page"):
        query.pop(name, None)
    return query.urlencode()
