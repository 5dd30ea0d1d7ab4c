"""Reading a spreadsheet (CSV or XLSX) into a header row and numbered data rows, as text.

Offices keep lists in Excel, or in CSV saved by Excel: UTF-8 with or without a BOM, or the old
Windows-1258 code page, separated by commas, semicolons or tabs. Row numbers are the ones the
editor sees in the spreadsheet (the header is row 1 when it is the first line).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SEPARATORS = ",;\t"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong format, no header, bad encoding)."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]   # (row number in the sheet, cells as text), blank rows skipped
    encoding: str = ""                  # for CSV: the encoding it was read in


def read_table(path: Path, encoding: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv_bytes(path.read_bytes(), encoding)
    raise SpreadsheetError(f"'{path.name}' is not a .csv or .xlsx file (an old .xls must be saved as .xlsx first)")


def decode_csv(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text of a CSV file and the encoding used: UTF-8 (BOM or not), else Windows-1258."""
    candidates = [encoding] if encoding else ["utf-8-sig", "cp1258"]
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        # Windows-1258 writes tone marks as separate combining characters: compose them.
        return unicodedata.normalize("NFC", text), name
    raise SpreadsheetError("the file is neither UTF-8 nor Windows-1258 text; save it as 'CSV UTF-8' from Excel")


def read_csv_bytes(data: bytes, encoding: str | None = None) -> Table:
    text, used = decode_csv(data, encoding)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise SpreadsheetError("the file is empty")
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=SEPARATORS)
        delimiter = dialect.delimiter
    except csv.Error:
        # One column, or a sample the sniffer cannot decide on: the separator used most in the header.
        delimiter = max(SEPARATORS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _table(enumerate(reader, start=1), used)   # record numbers are the rows Excel shows


def read_xlsx(path: Path) -> Table:
    try:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a declared dependency
        raise SpreadsheetError("reading .xlsx needs openpyxl: pip install openpyxl") from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise SpreadsheetError(f"cannot open '{path.name}' as an Excel workbook: {exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = ((number, [_cell(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1))
        return _table(rows, "")
    finally:
        book.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return unicodedata.normalize("NFC", str(value))


def _table(rows, encoding: str) -> Table:
    """The first non-blank row is the header; blank rows after it are skipped."""
    headers: list[str] | None = None
    data: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        data.append((number, cells))
    if headers is None:
        raise SpreadsheetError("the file is empty")
    return Table(headers, data, encoding)
