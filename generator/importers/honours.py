"""Spreadsheet rows to honour-roll entries: header mapping, row checks and the YAML text.

Pure functions over a `Table`; the command in cli.py does the file I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from generator.importers.spreadsheet import Table
from generator.vietnamese import search_fold

# Folded header (no diacritics, lower case, single spaces) -> entry field. None: known, not imported.
HEADER_ALIASES: dict[str, str | None] = {
    "stt": None, "so tt": None, "tt": None, "so thu tu": None,
    "ho va ten": "name", "ho ten": "name", "ho, ten": "name", "ten": "name", "ten ca nhan": "name",
    "ho va ten ca nhan": "name", "nguoi duoc khen": "name",
    "chuc vu": "position", "chuc danh": "position", "nghe nghiep": "position", "cong viec": "position",
    "chuc vu, don vi": "position", "vi tri": "position",
    "don vi": "unit", "don vi cong tac": "unit", "noi cong tac": "unit", "co quan": "unit",
    "co quan, don vi": "unit", "doanh nghiep": "unit", "cong ty": "unit",
    "dia phuong": "locality", "dia ban": "locality", "quan huyen": "locality", "quan, huyen": "locality",
    "tinh thanh": "locality", "phuong xa": "locality", "khu vuc": "locality",
    "danh hieu": "award", "hinh thuc khen thuong": "award", "hinh thuc khen": "award", "khen thuong": "award",
    "muc khen": "award", "giai": "award", "giai thuong": "award", "xep loai": "award",
    "thanh tich": "achievement", "thanh tich noi bat": "achievement", "tom tat thanh tich": "achievement",
    "ten sang kien": "initiative", "sang kien": "initiative", "ten giai phap": "initiative",
    "giai phap": "initiative", "ten de tai": "initiative", "ten sang kien, giai phap": "initiative",
    "tac gia": "authors", "tac gia sang kien": "authors", "nhom tac gia": "authors", "dong tac gia": "authors",
    "tac gia, dong tac gia": "authors",
    "linh vuc": "field", "nganh": "field", "linh vuc ap dung": "field",
    "gia tri lam loi": "benefit", "gia tri lam loi (dong)": "benefit", "gia tri lam loi (vnd)": "benefit",
    "gia tri lam loi (d)": "benefit", "loi ich": "benefit", "gia tri": "benefit", "so tien lam loi": "benefit",
    "tap the": "collective", "ten tap the": "collective", "tap the duoc khen": "collective",
    "ghi chu": "note", "anh": "photo", "hinh anh": "photo", "anh chan dung": "photo",
    "bai viet": "article", "ma ca nhan": "person", "ma so": "person", "ma": "person",
}
# Field order in the written YAML: what an editor reads first.
FIELD_ORDER = ("name", "collective", "initiative", "position", "authors", "unit", "locality", "field",
               "award", "achievement", "benefit", "photo", "article", "person", "note")
_MONEY = re.compile(r"^(\d{1,3}(?:([.,\s])\d{3})*(?:\2\d{3})*|\d+)(?:\s*(?:đ|đồng|vnđ|vnd|d))?$", re.IGNORECASE)


@dataclass
class Mapped:
    """The outcome of an import: entries, problems by row, and notes (ignored columns)."""

    entries: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def fold_header(text: str) -> str:
    folded = search_fold(text).replace("\n", " ")
    folded = re.sub(r"[*:.]+$", "", folded.strip())
    return " ".join(folded.split())


def map_headers(headers: list[str]) -> tuple[dict[int, str], list[str], list[str]]:
    """Column index -> entry field; plus problems (duplicates) and notes (ignored columns)."""
    columns: dict[int, str] = {}
    problems, notes = [], []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = fold_header(header)
        target = HEADER_ALIASES.get(key, "?")
        if target == "?":
            notes.append(f"column '{header}' is not a known heading and is left out")
        elif target is None:
            continue
        elif target in seen:
            problems.append(f"columns '{seen[target]}' and '{header}' both give '{target}'; keep one of them")
        else:
            seen[target] = header
            columns[index] = target
    if not {"name", "collective", "initiative"} & set(columns.values()):
        problems.append("no column names who is honoured: add a 'Họ và tên', 'Tập thể' or 'Tên sáng kiến' column")
    return columns, problems, notes


def parse_money(text: str) -> int | None:
    """"120.000.000", "120,000,000", "120 000 000 đ" or "120000000" -> 120000000."""
    cleaned = text.strip()
    match = _MONEY.match(cleaned)
    if not match:
        return None
    return int(re.sub(r"\D", "", match.group(1)))


def map_rows(table: Table) -> Mapped:
    """Every row to an entry dict; each bad row is reported by its number in the sheet."""
    columns, problems, notes = map_headers(table.headers)
    result = Mapped(problems=problems, notes=notes)
    if problems:
        return result
    for number, cells in table.rows:
        values = {name: cells[i].strip() for i, name in columns.items() if i < len(cells) and cells[i].strip()}
        if not values:
            continue   # only an STT or an ignored column: a blank line in all but name
        entry, row_problems = _entry(values)
        result.problems.extend(f"row {number}: {p}" for p in row_problems)
        if not row_problems:
            result.entries.append(entry)
    if not result.entries and not result.problems:
        result.problems.append("the sheet has a header but no entries")
    return result


def _entry(values: dict[str, str]) -> tuple[dict, list[str]]:
    problems = []
    subjects = [k for k in ("name", "collective", "initiative") if k in values]
    if not subjects:
        problems.append("no name: fill 'Họ và tên', 'Tập thể' or 'Tên sáng kiến'")
    elif len(subjects) > 1:
        # A person row may name the collective they belong to only through 'Đơn vị'.
        problems.append(f"both {' and '.join(repr(s) for s in subjects)} are filled: one row honours one person, "
                        "collective or initiative")
    entry: dict = {}
    for key in FIELD_ORDER:
        if key not in values:
            continue
        value = values[key]
        if key == "authors":
            entry[key] = [a.strip() for a in re.split(r"[;,\n]", value) if a.strip()]
        elif key == "benefit":
            amount = parse_money(value)
            if amount is None:
                problems.append(f"'Giá trị làm lợi' is not an amount in đồng: '{value}' (write 120000000 or 120.000.000)")
            entry[key] = amount
        else:
            entry[key] = " ".join(value.split())
    subject = subjects[0] if len(subjects) == 1 else None
    if subject and subject != "initiative":
        for key in ("authors", "field", "benefit"):
            if key in entry:
                problems.append(f"'{key}' only belongs to an initiative ('Tên sáng kiến'), not to this {subject} row")
    return entry, problems


def roll_yaml(title: str, kind: str, year: int, entries: list[dict], issuer: str = "", decision: str = "",
              campaign: str = "", source: str = "") -> str:
    """The roll as YAML in the DESIGN.md layout, keys in the order an editor reads them."""
    head: dict = {"title": title, "kind": kind, "year": year}
    if campaign:
        head["campaign"] = campaign
    if issuer:
        head["issuer"] = issuer
    if decision:
        head["decision"] = decision
    comment = f"# Nhập từ {source} bằng `python build.py import-honours`; sửa trực tiếp tệp này nếu cần.\n" if source else ""
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    body = dump(head) + "entries:\n"
    for entry in entries:
        lines = dump([entry]).splitlines()
        body += "".join(f"  {line}\n" for line in lines)
    return comment + body
