"""What went wrong in an editor's YAML, told in the editor's words, with the line to write instead.

YAML gives a few characters a meaning at the start of a value and after a space: a title that
starts with a quote and goes on after it, or with [ { @ ` * & ! % | >, fails with "expected
<block end>, but found '<scalar>'" or silently becomes something else; "# …" after a value is
cut off as a comment. These functions read the raw line (pure functions of the text) and say
what happened, in Vietnamese, with the corrected line.
"""
from __future__ import annotations

import re

# The characters that change the meaning of a value they start, and what YAML takes them for.
SPECIAL_STARTS = {
    '"': "một đoạn trong ngoặc kép", "'": "một đoạn trong nháy đơn", "[": "một danh sách",
    "{": "một bảng khóa - giá trị", "@": "ký tự dành riêng", "`": "ký tự dành riêng",
    "*": "một tham chiếu (alias)", "&": "một nhãn (anchor)", "!": "một kiểu dữ liệu (tag)",
    "%": "một chỉ thị", "|": "một khối văn bản nhiều dòng", ">": "một khối văn bản gấp dòng",
}
_KEY_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#'\"][^:#]*?):[ \t]+(?P<value>\S.*?)\s*$")
_TOKEN = re.compile(r"^[A-Za-z0-9_./:+-]+$")
_ITEM_OR_KEY = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[^\s#:-][^:]*:)?")


def quoted(value: str) -> str:
    """A value in single quotes, which YAML reads exactly as written (inner ' doubled)."""
    return "'" + value.replace("'", "''") + "'"


def special_start(line: str) -> tuple[str, str] | None:
    """(message, hint) when `line` is `key: value` whose value starts with a special character and
    goes on after what YAML reads there; None for any other line."""
    match = _KEY_VALUE.match(line)
    if not match or match["value"][0] not in SPECIAL_STARTS:
        return None
    key, value = match["key"].strip(), match["value"]
    if value[0] in "\"'" and _closes_at_end(value):
        return None
    corrected = f"{match['indent']}{match['key']}: {quoted(value)}"
    return (f"giá trị của '{key}' bắt đầu bằng {value[0]}, nên YAML hiểu nó là {SPECIAL_STARTS[value[0]]} "
            f"chứ không phải chữ bình thường",
            f"đặt cả giá trị trong dấu nháy đơn (nháy đơn bên trong viết hai lần): {corrected.strip()}")


def _closes_at_end(value: str) -> bool:
    """Whether a quoted value is one quoted scalar: its closing quote is the last character."""
    quote = value[0]
    body = value[1:]
    if quote == "'":
        body = body.replace("''", "")
        return body.find("'") == len(body) - 1
    index = 0
    while index < len(body):
        if body[index] == "\\":
            index += 2
            continue
        if body[index] == '"':
            return index == len(body) - 1
        index += 1
    return False


def cut_comment(line: str, value_end: int) -> tuple[str, str] | None:
    """(message, hint) when a plain value ending at column `value_end` of `line` is followed by
    " #…", which YAML dropped as a comment."""
    rest = line[value_end:]
    if not re.match(r"^[ \t]+#", rest):
        return None
    match = _KEY_VALUE.match(line)
    kept = line[:value_end]
    if not match or _TOKEN.match(kept[len(match["indent"]) + len(match["key"]) + 1:].strip()):
        return None        # "category: thoi-su  # …": a comment after a key word is meant as one
    value = match["value"]
    corrected = f"{match['indent']}{match['key']}: {quoted(value)}"
    return (f"phần '{rest.strip()}' sau dấu ' #' bị YAML bỏ đi như một ghi chú; "
            f"giá trị chỉ còn là '{line[len(match['indent']) + len(match['key']) + 1:value_end].strip()}'",
            f"nếu '#' là một phần của giá trị, đặt cả giá trị trong dấu nháy đơn: {corrected.strip()}")


def indentation(lines: list[str], index: int) -> tuple[str, str] | None:
    """(message, hint) when line `index` (0-based) is indented to a column that no line above it
    at its level uses: the usual cause of "expected <block end>" and "mapping values are not
    allowed here" in a roll's entries."""
    line = lines[index]
    here = _ITEM_OR_KEY.match(line)
    if not here or not line.strip() or line.lstrip().startswith("#"):
        return None
    column, is_item = len(here["indent"]), bool(here["dash"])
    columns: list[int] = []          # nearest line first
    for above in reversed(lines[:index]):
        found = _ITEM_OR_KEY.match(above)
        if not found or not above.strip() or above.lstrip().startswith("#"):
            continue
        if is_item and found["dash"]:
            columns.append(len(found["indent"]))
        if not is_item:
            columns.append(len(found["indent"]) + len(found["dash"] or ""))
    if not columns or column in columns:
        return None
    # The closest column; between two as close, the one of the nearest line above.
    want = min(columns, key=lambda c: (abs(c - column), columns.index(c)))
    what = "mục danh sách (- …)" if is_item else "khóa"
    return (f"dòng này thụt lề {column} dấu cách, nhưng các {what} cùng cấp ở trên bắt đầu ở cột {want + 1} "
            f"({want} dấu cách)",
            f"thụt lề đúng {want} dấu cách: '{' ' * want}{line.strip()}'")
