"""A spreadsheet file (XLSX, or CSV in UTF-8 with or without BOM, `;` or `,`) read into rows of checked
cells, for every import of the site (the bank's innovations, invitations). The kind is told by the
content, never by the file's name. A cell is data, never code: a formula, a NUL or another control
character, or text longer than its column allows is refused with the column named; the row then
fails, the others are still read.

    COLUMNS = [Column("name", "nama", "name", _("nama"), 150, required=True), ...]
    rows = read(data, COLUMNS)      # [Row(number=2, cells={"name": ...}, errors=[...]), ...]
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core import export

MAX_ROWS = 50_000
XLSX_MAGIC = b"PK\x03\x04"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Indonesian header, as the template writes it
    english: str  # accepted too, and written by an export in English
    label: object  # what an error message calls the column, in the user's language
    max_length: int
    required: bool = False
    example: str = ""


class Formula(str):
    """A cell the spreadsheet would compute: an XLSX formula cell, or CSV text starting with "="."""


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (not a spreadsheet, a missing or unknown column…)."""


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def header_key(text: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().lstrip("\ufeff").casefold())


def read(data: bytes, columns: list[Column]) -> list[Row]:
    """The rows of a spreadsheet, each with its cells by column key and the problems found in them."""
    if data.startswith(XLSX_MAGIC):
        header, rows = xlsx_rows(data)
    else:
        header, rows = csv_rows(data)
    placed = columns_of(header, columns)
    read_rows = []
    for number, values in rows:
        if not any(value not in (None, "") for value in values):
            continue  # an empty line
        if len(read_rows) >= MAX_ROWS:
            raise SpreadsheetError(_("Berkas memuat lebih dari %(max)s baris.") % {"max": f"{MAX_ROWS:,}"})
        row = Row(number)
        for column, value in zip(placed, values, strict=False):
            if column is not None:
                row.cells[column.key] = checked(column, value, row)
        read_rows.append(row)
    if not read_rows:
        raise SpreadsheetError(_("Berkas tidak memuat baris data di bawah baris judul."))
    return read_rows


def columns_of(header: list[object], columns: list[Column]) -> list[Column | None]:
    """The column of each header cell (None for an empty one); unknown, repeated or missing columns
    refuse the file."""
    by_header = {title: column for column in columns for title in (column.header, column.english)}
    keys = [header_key(title) for title in header]
    unknown = [str(title) for title, key in zip(header, keys, strict=True) if key and key not in by_header]
    if unknown:
        raise SpreadsheetError(
            _("Kolom tidak dikenal: %(columns)s. Pakai judul kolom dari templat.")
            % {"columns": ", ".join(unknown)}
        )
    placed = [by_header.get(key) for key in keys]
    seen = [column.key for column in placed if column]
    repeated = sorted({key for key in seen if seen.count(key) > 1})
    if repeated:
        headers = ", ".join(column.header for column in columns if column.key in repeated)
        raise SpreadsheetError(_("Kolom ganda: %(columns)s.") % {"columns": headers})
    missing = [column.header for column in columns if column.required and column.key not in seen]
    if missing:
        raise SpreadsheetError(_("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)})
    return placed


def checked(column: Column, value: object, row: Row) -> object:
    """The cell's value (text stripped, dates as dates, numbers as read) or None, noting its problems."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if isinstance(value, Formula):
        row.errors.append(
            _("Kolom %(column)s berisi rumus (%(start)s…); isi nilainya sebagai teks.")
            % {"column": column.label, "start": text[:20]}
        )
        return None
    if CONTROL.search(text):
        row.errors.append(_("Kolom %(column)s berisi karakter kendali atau NUL.") % {"column": column.label})
        return None
    text = text.strip()
    if len(text) > column.max_length:
        row.errors.append(
            _("Kolom %(column)s terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
            % {"column": column.label, "length": len(text), "max": column.max_length}
        )
        return None
    return text or None


def xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # a damaged or foreign zip: openpyxl raises many kinds
        raise SpreadsheetError(_("Berkas XLSX tidak dapat dibaca.")) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows()
    header = [cell_value(cell) for cell in next(rows, None) or []]
    if not any(header):
        raise SpreadsheetError(_("Baris pertama harus berisi judul kolom."))
    return header, ((number, [cell_value(c) for c in cells]) for number, cells in enumerate(rows, start=2))


def cell_value(cell):
    """A cell's value; a formula's text marked as such (a string cell starting with "=" is text)."""
    if cell.data_type == "f":
        return Formula(cell.value)
    return cell.value


def csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            _("Berkas bukan XLSX dan bukan CSV berkode UTF-8. Simpan sebagai XLSX atau CSV UTF-8.")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    if not any(header):
        raise SpreadsheetError(_("Baris pertama harus berisi judul kolom."))
    rows = enumerate(reader, start=2)
    return header, ((number, [csv_value(text) for text in texts]) for number, texts in rows)


def csv_value(text: str) -> str:
    """A CSV cell: text starting with "=" is a formula to a spreadsheet; text an export guarded with
    an apostrophe (core.export.guarded) is read as it was before."""
    if text.startswith("="):
        return Formula(text)
    return export.unguarded(text)


def excel_date(value: object) -> datetime.date:
    """A date cell: a date, an Excel serial day number, or dd/mm/yyyy (dd-mm-yyyy, yyyy-mm-dd)."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{4,5}(\.0+)?", str(value)):
        serial = float(value)
        if 1 <= serial <= 2_958_465:
            return EXCEL_EPOCH + datetime.timedelta(days=int(serial))
        raise ValueError
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError
