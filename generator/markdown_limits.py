"""Openers that never close are made plain text before Markdown sees them.

Python-Markdown looks forward from every `[` for its `]`, from every `](` for its `)`, and its
raw-HTML reader from every `<tag` for the tag's end; the sanitiser walks its stack of open
elements at every tag. Openers that never close make each of those walks run to the end of the
text: a 64 KB body of `[a](` took 110 s, `<div>` x 50,000 and `<a` x 8,000 grew with the square
of their count. An opener that never closes starts no link and no tag, so escaping it changes
nothing a reader sees; only the cost goes. Raw HTML nested deeper than MAX_DEPTH (no article
needs a hundred nested boxes) is shown as text.

Text with few such openers (every real article) is returned as it is: the escaping starts only
past ALLOWED unclosed openers in one document, and each pass is linear in the text's length.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ALLOWED = 50        # unclosed openers left as they are: each costs at most one scan of the text
MAX_DEPTH = 100     # raw HTML elements open at once
# Links in one paragraph: Python-Markdown rebuilds the paragraph's text after each link it finds,
# so a paragraph of n links costs n^2 (400 links 1.35 s, 800 links 5.2 s, 2,000 links 33 s here).
# Each item of a list is a paragraph of its own: a list of links costs what it holds.
MAX_PARAGRAPH_LINKS = 300
# Every inline match does it too, more cheaply: 32,000 escapes or entities or bold runs in one
# paragraph cost 2 to 6 s, and 4 x as many 8 to 30 x as much. No written paragraph has 3,000 marks.
MAX_PARAGRAPH_MARKS = 3_000
_MARK_CHARS = ("\\", "[", "*", "_", "`", "&", "<")

# A backslash and the character it escapes, or a mark: the escapes are matched so they are skipped.
_BRACKET_MARKS = re.compile(r"\\.|(?P<mark>[\[\]])", re.S)
_PAREN_MARKS = re.compile(r"\\.|(?P<mark>[()]|\n[ \t]*\n)", re.S)
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#|>)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_OPENER = re.compile(r"<[/A-Za-z!?]")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True, slots=True)
class Neutralised:
    text: str
    first: int | None = None       # offset in the text of the first opener made plain, if any
    what: str = ""                 # what kind of opener, for the editor's message


def neutralise(text: str) -> Neutralised:
    """`text` with the unclosed link brackets, unclosed tag openers and over-deep raw HTML of a
    document that has more than ALLOWED of them escaped."""
    for step, what in ((_brackets, "'[' or '(' that never close"), (_tag_openers, "'<' that never close"),
                       (_deep_html, f"HTML nested more than {MAX_DEPTH} deep")):
        changed, first = step(text)
        if first is not None:
            rest = neutralise(changed)
            return Neutralised(rest.text, min(first, rest.first) if rest.first is not None else first,
                               what if rest.first is None or first <= rest.first else rest.what)
    return Neutralised(text)


def _escape_at(text: str, positions: list[int], replacement: str) -> str:
    """`text` with the one character at each of `positions` (ascending) replaced."""
    parts, last = [], 0
    for at in positions:
        parts += [text[last:at], replacement if replacement != "\\" else "\\" + text[at]]
        last = at + 1
    parts.append(text[last:])
    return "".join(parts)


def _brackets(text: str) -> tuple[str, int | None]:
    """Escape each `[` without its `]`, and each `[` of a `[…](` whose `(` never closes."""
    if text.count("[") <= ALLOWED:          # C-speed count: every real article stops here
        return text, None
    closed = _closed_parens(text)
    unclosed: list[int] = []
    stack: list[int] = []
    for index, char in _marks(text, _BRACKET_MARKS):
        if char == "[":
            stack.append(index)
        elif stack:
            start = stack.pop()
            if text.startswith("(", index + 1) and index + 1 not in closed:
                unclosed.append(start)
    unclosed += stack
    if len(unclosed) <= ALLOWED:
        return text, None
    unclosed.sort()
    return _escape_at(text, unclosed, "\\"), unclosed[0]


def _closed_parens(text: str) -> set[int]:
    """Offsets of every `(` that has its `)` in the same paragraph: one pass with a stack."""
    closed: set[int] = set()
    stack: list[int] = []
    for index, char in _marks(text, _PAREN_MARKS):
        if char == "(":
            stack.append(index)
        elif char == ")":
            if stack:
                closed.add(stack.pop())
        else:
            stack.clear()              # a blank line: a link never spans one
    return closed


def _marks(text: str, pattern: re.Pattern):
    """(offset, mark) of each mark `pattern` finds that no backslash escapes."""
    for match in pattern.finditer(text):
        if match.lastgroup == "mark":
            yield match.start(), match.group()


def _tag_openers(text: str) -> tuple[str, int | None]:
    """Escape each `<` that starts a tag-like run with no `>` before the next `<`."""
    if text.count("<") <= ALLOWED:
        return text, None
    marks = [(m.start(), m.group()) for m in re.finditer("[<>]", text)]
    found = [at for i, (at, mark) in enumerate(marks)
             if mark == "<" and _OPENER.match(text, at) and (i + 1 == len(marks) or marks[i + 1][1] != ">")]
    if len(found) <= ALLOWED:
        return text, None
    return _escape_at(text, found, "&lt;"), found[0]


def _deep_html(text: str) -> tuple[str, int | None]:
    """Escape the start tags of raw HTML open deeper than MAX_DEPTH."""
    if text.count("<") <= MAX_DEPTH:
        return text, None
    depth, deep = 0, []
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(depth - 1, 0)
        elif name not in _VOID and not self_closing:
            depth += 1
            if depth > MAX_DEPTH:
                deep.append(match.start())
    if not deep:
        return text, None
    return _escape_at(text, deep, "&lt;"), deep[0]


def crowded_paragraph(text: str) -> tuple[int, int, str] | None:
    """(0-based line, count, "links" or "marks") of the first paragraph holding more than
    MAX_PARAGRAPH_LINKS links or MAX_PARAGRAPH_MARKS Markdown marks. A list item, a table row, a
    heading or a quote line starts an inline run of its own."""
    if (text.count("](") + text.count("][") <= MAX_PARAGRAPH_LINKS
            and sum(map(text.count, _MARK_CHARS)) <= MAX_PARAGRAPH_MARKS):
        return None
    start, links, marks, crowded = 0, 0, 0, None
    for number, line in enumerate(text.split("\n")):
        if not line.strip() or _BLOCK_START.match(line):
            if crowded:
                break
            start, links, marks = number + (not line.strip()), 0, 0
        links += line.count("](") + line.count("][") - line.count("\\[")      # escaped: no link
        marks += sum(map(line.count, _MARK_CHARS))
        crowded = ((links, "links") if links > MAX_PARAGRAPH_LINKS else
                   (marks, "marks") if marks > MAX_PARAGRAPH_MARKS else None)
    return (start, *crowded) if crowded else None
