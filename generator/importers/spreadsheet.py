"""Reading a spreadsheet (CSV or XLSX) into a header row and numbered data rows, as text.

Offices keep lists in Excel, or in CSV saved by Excel: UTF-8 with or without a BOM, or the old
Windows-1258 code page, separated by commas, semicolons or tabs. Row numbers are the ones the
editor sees in the spreadsheet: every row counts, title and blank rows included (the header is
row 1 when it is the first line; a CSV record that spans lines is one row, as Excel shows it).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

SEPARATORS = ",;\t"
SAMPLE_ROWS = 30        # rows looked at to find the separator and the header

HeaderTest = Callable[[list[str]], bool]


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong format, no header, bad encoding)."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]   # (row number in the sheet, cells as text), blank rows skipped
    encoding: str = ""                  # for CSV: the encoding it was read in
    header_row: int = 1                 # the header's row number
    above: tuple = ()                   # (row number, cells) of the non-blank rows above the header
    blank: tuple[int, ...] = ()         # blank rows between the header and the last non-blank row
    separator: str = ""                 # for CSV: the separator; "" for a workbook, whose rows have no
                                        # cell count of their own (only filled cells mean anything)

    @property
    def width(self) -> int:
        """Columns up to the last one with a heading."""
        return max((i + 1 for i, h in enumerate(self.headers) if h), default=0)


def read_table(path: Path, encoding: str | None = None, is_header: HeaderTest | None = None) -> Table:
    """`is_header` picks the header among the first rows (a title may sit above it); without it,
    or when no row passes, the header is the first row with two filled cells, else the first row."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, is_header)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv_bytes(path.read_bytes(), encoding, is_header)
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


def read_csv_bytes(data: bytes, encoding: str | None = None, is_header: HeaderTest | None = None) -> Table:
    text, used = decode_csv(data, encoding)
    sample = [line for line in text.splitlines()[:SAMPLE_ROWS] if line.strip()]
    if not sample:
        raise SpreadsheetError("the file is empty")
    delimiter = _separator(sample, is_header)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _table(enumerate(reader, start=1), used, is_header, delimiter)   # record numbers are the rows Excel shows


def _separator(sample: list[str], is_header: HeaderTest | None) -> str:
    """The separator that splits a recognisable header into the most cells; else what the csv
    sniffer decides on; else the separator used most in the line that has the most of them (a
    title line above the header usually has none)."""
    if is_header:
        found = []
        for separator in SEPARATORS:
            row = next((r for r in csv.reader(sample, delimiter=separator) if len(r) > 1 and is_header(r)), None)
            if row:
                found.append((len(row), -SEPARATORS.index(separator), separator))
        if found:
            return max(found)[2]
    try:
        return csv.Sniffer().sniff("\n".join(sample), delimiters=SEPARATORS).delimiter
    except csv.Error:
        busiest = max(sample, key=lambda line: sum(line.count(s) for s in SEPARATORS))
        return max(SEPARATORS, key=busiest.count)


def read_xlsx(path: Path, is_header: HeaderTest | None = None) -> Table:
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
        # The stored dimension (A1:G20) may be stale: a value beyond it would be cut off unseen.
        sheet.reset_dimensions()
        rows = ((number, [_cell(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1))
        return _table(rows, "", is_header, "")
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


def _table(rows: Iterable[tuple[int, list[str]]], encoding: str, is_header: HeaderTest | None,
           separator: str) -> Table:
    """Split the non-blank rows into those above the header, the header, and the data rows."""
    filled: list[tuple[int, list[str]]] = []
    blank: list[int] = []
    for number, cells in rows:
        cells = [c.strip() for c in cells]
        if any(cells):
            filled.append((number, cells))
        else:
            blank.append(number)
    if not filled:
        raise SpreadsheetError("the file is empty")
    at = _header_index(filled[:SAMPLE_ROWS], is_header)
    header_row, headers = filled[at]
    last = filled[-1][0]
    return Table(headers, filled[at + 1:], encoding, header_row=header_row, above=tuple(filled[:at]),
                 blank=tuple(n for n in blank if header_row < n < last), separator=separator)


def _header_index(rows: list[tuple[int, list[str]]], is_header: HeaderTest | None) -> int:
    if is_header:
        for index, (_, cells) in enumerate(rows):
            if is_header(cells):
                return index
    for index, (_, cells) in enumerate(rows):
        if sum(1 for c in cells if c) > 1:
            return index
    return 0
