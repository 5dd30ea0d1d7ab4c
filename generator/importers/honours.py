"""Spreadsheet rows to honour-roll entries: header mapping, row checks and the YAML text.

Pure functions over a `Table`; the command in cli.py does the file I/O.
"""
from __future__ import annotations

import json
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
               "award", "achievement", "benefit", "photo", "article", "person", "note", "section")
SUBJECT_FIELDS = ("name", "collective", "initiative")
NUMBER_HEADERS = {"stt", "so tt", "tt", "so thu tu"}                  # folded headers of the STT column
# How the title row of a list starts (folded): "DANH SÁCH …", "BẢNG VÀNG …", "BẢNG TỔNG HỢP …".
TITLE_STARTS = ("danh sach", "bang ")
KIND_NOTES = {"collective": "; its names are collectives (tập thể)", "name": "; its names are persons (cá nhân)"}
_NUMBER = re.compile(r"^\d+[.)]?$")                                    # an STT alone
_STT_MARK = re.compile(r"^(?:[IVX]+|[A-ZĐa-zđ]|\d+(?:\.\d+)+)[.)]?$")    # a section mark in the STT column
_MARK = re.compile(r"^(?:(?P<roman>[IVX]+)|(?P<letter>[A-ZĐa-zđ])|(?P<number>\d+(?:\.\d+)*))\s*[.)/:–-]\s*(?=\S)")
_MONEY = re.compile(r"^(\d{1,3}(?:([.,\s])\d{3})*(?:\2\d{3})*|\d+)(?:\s*(?:đ|đồng|vnđ|vnd|d))?$", re.IGNORECASE)


@dataclass
class Mapped:
    """The outcome of an import: entries, problems (errors) and warnings by row, notes, the title
    found above the header, and what became of every row below it."""

    entries: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title: str = ""
    imported: int = 0        # rows that became entries
    headings: int = 0        # section headings
    skipped: int = 0         # blank rows (or a number alone) between the header and the last row
    reported: int = 0        # rows with an error or a warning

    def counts(self, done: bool) -> str:
        """Every row below the header, in one line: imported (or good), headings, blank, reported."""
        good = "dòng đã nhập" if done else "dòng đúng"
        return (f"{self.imported} {good}, {self.headings} dòng tiêu đề nhóm, {self.skipped} dòng trống bỏ qua, "
                f"{self.reported} dòng được báo")


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


def is_header(cells: list[str]) -> bool:
    """A header row names who is honoured ('Họ và tên', 'Tập thể'…), or has two known headings."""
    known = [HEADER_ALIASES[key] for key in (fold_header(c) for c in cells if c) if key in HEADER_ALIASES]
    return any(k in SUBJECT_FIELDS for k in known) or len(known) > 1


def map_rows(table: Table) -> Mapped:
    """Every row to an entry dict, a section heading, a skipped blank row or a reported problem;
    each reported row is named by its number in the sheet."""
    columns, problems, notes = map_headers(table.headers)
    result = Mapped(problems=problems, notes=notes)
    result.title = _title(table, result.notes)
    if problems:
        return result
    numbers = {i for i, h in enumerate(table.headers) if h and fold_header(h) in NUMBER_HEADERS}
    heading_columns = {0} | numbers | {i for i, name in columns.items() if name in SUBJECT_FIELDS}
    sections = _Sections()
    first_of: dict[str, int] = {}               # an entry's values -> the row it first came from
    heading_notes: dict[int, str] = {}          # row -> what its heading does
    trailing: list[tuple[int, str]] = []        # headings no row has followed yet
    for number, cells in table.rows:
        filled = [(i, c) for i, c in enumerate(cells) if c]
        heading = _heading(filled, numbers, heading_columns) if table.width > 1 else ""
        if heading:
            section, kind = sections.add(heading)
            result.headings += 1
            trailing.append((number, heading))
            heading_notes[number] = (f"row {number}: heading '{heading}': the entries below are in section '{section}'"
                                     + (KIND_NOTES[kind] if heading_kind(heading) else ""))
            continue
        if all(i in numbers for i, _ in filled):
            result.skipped += 1       # only an STT: a blank line in all but its number
            continue
        sections.rows()
        trailing.clear()
        shape = _shape(number, cells, table)
        if shape:
            result.problems.append(shape)
            result.reported += 1
            continue
        values = {name: cells[i] for i, name in columns.items() if i < len(cells) and cells[i]}
        lone = [(i, text) for i, text in filled if i not in numbers]
        if len(lone) == 1 and not set(values) & set(SUBJECT_FIELDS):
            (column, text), = lone
            result.problems.append(f"row {number}: no name, only '{table.headers[column] or column_letter(column)}' "
                                   f"is filled ('{text}'): delete the row if it is not an entry (a total, a signature, "
                                   "a note), else fill 'Họ và tên', 'Tập thể' or 'Tên sáng kiến'")
            result.reported += 1
            continue
        if not values:
            left_out = ", ".join(f"'{table.headers[i]}'" for i, _ in filled if i not in numbers)
            result.problems.append(f"row {number}: only columns that are left out are filled ({left_out}); "
                                   "fill 'Họ và tên', 'Tập thể' or 'Tên sáng kiến', or delete the row")
            result.reported += 1
            continue
        entry, row_problems = _entry(_switch_kind(values, sections.kind))
        if sections.section:
            entry["section"] = sections.section
        result.problems.extend(f"row {number}: {p}" for p in row_problems)
        if row_problems:
            result.reported += 1
            continue
        key = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        if key in first_of:
            result.warnings.append(f"row {number} repeats row {first_of[key]}: the same values in every imported "
                                   "column; it is left out (delete one of the two rows, or if both are meant, "
                                   "tell them apart, e.g. by 'Chức vụ' or 'Đơn vị')")
            result.reported += 1
            continue
        first_of[key] = number
        result.entries.append(entry)
        result.imported += 1
    for number, heading in trailing:
        del heading_notes[number]
        result.warnings.append(f"row {number}: '{heading}' looks like a section heading (one filled cell) but no row "
                               "follows it; it is left out (delete it if it is a total or a signature line)")
        result.headings -= 1
        result.reported += 1
    result.notes.extend(heading_notes.values())
    result.skipped += len(table.blank)
    if not result.entries and not result.problems:
        result.problems.append("the sheet has a header but no entries")
    return result


def _title(table: Table, notes: list[str]) -> str:
    """The roll title from a row above the header with one filled cell ("DANH SÁCH CÔNG NHÂN GIỎI
    NĂM 2024"): the first that starts like a list's title, with the one-cell rows right below it
    ("NĂM 2024"), else the one nearest the header; a line in brackets ("(Kèm theo Quyết định số …)")
    is not a title. Every other row above the header is noted as left out."""
    single = {n: " ".join(" ".join(c for c in cells if c).split())
              for n, cells in table.above if sum(1 for c in cells if c) == 1}
    single = {n: text for n, text in single.items() if not text.startswith("(")}
    start = next((n for n, text in single.items() if search_fold(text).startswith(TITLE_STARTS)), None)
    used = []
    if start is not None:
        while start in single:
            used.append(start)
            start += 1
    elif single:
        used = [max(single)]
    for number, cells in table.above:
        if number not in used:
            notes.append(f"row {number} above the header is left out: '{' · '.join(c for c in cells if c)}'")
    return " ".join(single[n] for n in used)


def heading_kind(text: str) -> str:
    """'name' for a heading naming persons (cá nhân), 'collective' for collectives (tập thể)."""
    folded = search_fold(text)
    collective, person = re.search(r"\btap the\b", folded), re.search(r"\bca nhan\b", folded)
    return "collective" if collective and not person else "name" if person and not collective else ""


def _heading(filled: list[tuple[int, str]], numbers: set[int], columns: set[int]) -> str:
    """The text of a section heading row, else "": one filled cell (not a bare number) in the first,
    STT or name column; or a mark in the STT column ("A", "II") and one such cell ("TẬP THỂ")."""
    if len(filled) == 1:
        (column, text), = filled
        return " ".join(text.split()) if column in columns and not _NUMBER.match(text) else ""
    if len(filled) == 2 and filled[0][0] in numbers and filled[1][0] in columns and _STT_MARK.match(filled[0][1]):
        mark, text = filled[0][1], " ".join(filled[1][1].split())
        return f"{mark} {text}" if mark[-1] in ".)" else f"{mark}. {text}"
    return ""


class _Sections:
    """The section the next entries belong to, as headings come.

    Headings nest like an outline: a heading right below another one (no rows between) is its
    sub-heading, and the section is both joined ("A. TẬP THỂ – I. KHỐI DOANH NGHIỆP"). A later
    heading replaces the one of its own style: the same kind of mark ("II." replaces "I.", "B."
    replaces "A."), or for unmarked headings the same case ("KHỐI HCSN" replaces "KHỐI DOANH
    NGHIỆP"); a heading naming persons or collectives replaces the one naming the other kind.
    Any other heading after rows starts again from the top. The entry kind a heading names stays
    until another heading names the other kind."""

    def __init__(self):
        self.stack: list[tuple[tuple, str, bool]] = []    # (style, text, names a kind)
        self.kind = ""
        self.after_heading = False

    @property
    def section(self) -> str:
        return " – ".join(text for _, text, _ in self.stack)

    def add(self, text: str) -> tuple[str, str]:
        """Take a heading in; the section and the entry kind from here on."""
        style, kind = _style(text), heading_kind(text)
        marked = bool(style[0])
        at = None
        if kind:
            at = next((i for i, (_, _, names) in enumerate(self.stack) if names), None)
        if at is None and marked:
            at = next((i for i, (s, _, _) in enumerate(self.stack) if s == style), None)
        if at is None and not self.after_heading:
            same = [i for i, (s, _, _) in enumerate(self.stack) if s == style and not marked]
            at = same[-1] if same else 0
        if at is not None:
            del self.stack[at:]
        self.stack.append((style, text, bool(kind)))
        self.kind = kind or self.kind
        self.after_heading = True
        return self.section, self.kind

    def rows(self) -> None:
        self.after_heading = False


def _style(text: str) -> tuple:
    """What makes two headings siblings: the kind of mark they start with, and upper case."""
    match = _MARK.match(text)
    body = text[match.end():] if match else text
    upper = body == body.upper() and body != body.lower()
    if not match:
        return "", upper
    if match["number"]:
        return "number", match["number"].count("."), upper
    if match["roman"]:
        return "roman", upper
    return "letter", match["letter"].isupper(), upper


def _switch_kind(values: dict[str, str], kind: str) -> dict[str, str]:
    """Under a heading naming collectives, the name column gives a collective; and the other way."""
    named = [k for k in ("name", "collective") if k in values]
    if kind and len(named) == 1 and named[0] != kind and "initiative" not in values:
        values = dict(values)
        values[kind] = values.pop(named[0])
    return values


def _shape(number: int, cells: list[str], table: Table) -> str:
    """A row whose cells do not line up with the header's: its values sit in the wrong columns."""
    header = len(table.headers)
    if table.separator and len(cells) > header:
        name = {",": "a comma", ";": "a semicolon", "\t": "a tab"}.get(table.separator, repr(table.separator))
        return (f"row {number} has {len(cells)} cells but the header has {header}: a field probably holds an unquoted "
                f"separator ({name}), which moved the values after it to the right; "
                "put that field in double quotes or remove the separator")
    if table.separator and len(cells) < header:
        return (f"row {number} has {len(cells)} cells but the header has {header}: a cell is missing, so the values "
                "after it sit in the wrong columns; add the missing cell (an empty cell is two separators "
                "with nothing between them)")
    last = max(i for i, c in enumerate(cells) if c) + 1
    if last > table.width:
        beyond = next(i for i, c in enumerate(cells) if c and i >= table.width)
        return (f"row {number} has {last} cells but the header has {table.width}: column {column_letter(beyond)} "
                "has no heading; give it one, or move the value into the table")
    return ""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel and LibreOffice name a column."""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    if subject and subject != "name" and "position" in entry:
        problems.append(f"'position' only belongs to a person ('Họ và tên'), not to this {subject} row")
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
    comment = f"# Nhập từ {source} bằng lệnh import-honours; sửa trực tiếp tệp này nếu cần.\n" if source else ""
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    body = dump(head) + "entries:\n"
    for entry in entries:
        lines = dump([entry]).splitlines()
        body += "".join(f"  {line}\n" for line in lines)
    return comment + body
