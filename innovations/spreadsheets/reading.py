"""An innovations spreadsheet read into rows of checked cells, by the bank's columns (columns.py); the
rules for any spreadsheet are core.spreadsheets'."""

from __future__ import annotations

from core.spreadsheets import Row, SpreadsheetError, excel_date
from core.spreadsheets import read as read_columns

from .columns import COLUMNS

__all__ = ["Row", "SpreadsheetError", "excel_date", "read"]


def read(data: bytes) -> list[Row]:
    return read_columns(data, COLUMNS)
