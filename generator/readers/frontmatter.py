"""Splitting a Markdown file into YAML front matter and body, keeping line numbers."""
from __future__ import annotations

from dataclasses import dataclass

import frontmatter as python_frontmatter

from generator.diagnostics import ContentError, Diagnostic, ERROR
from generator.yamlread import LineMap, load_yaml

_BOUNDARY = python_frontmatter.YAMLHandler.FM_BOUNDARY


@dataclass(frozen=True, slots=True)
class FrontMatterDocument:
    meta: dict
    lines: LineMap
    body: str
    body_line: int


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is allowed), with CRLF and CR line ends made LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(Diagnostic(path, line, ERROR, f"file is not UTF-8 text ({_guess_encoding(data)})",
                                      "open it in an editor and save it as UTF-8")) from None
    if "\x00" in text:
        raise ContentError(Diagnostic(path, 1, ERROR, "file contains NUL bytes; it is not a text file"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a declared dependency
        return "unknown encoding"
    best = from_bytes(data[:65536]).best()
    return f"looks like {best.encoding}" if best else "unknown encoding"


def split(text: str, path: str) -> FrontMatterDocument:
    """Front matter between a first line `---` and the next `---` line, then the body."""
    if not text.strip():
        raise ContentError(Diagnostic(path, 1, ERROR, "file is empty",
                                      "start it with a front matter block: ---, title: …, ---"))
    opening = _BOUNDARY.match(text)
    if not opening:
        raise ContentError(Diagnostic(path, 1, ERROR, "no front matter: the file must start with a line '---'",
                                      "add '---', the title, date and category lines, then '---'"))
    closing = _BOUNDARY.search(text, opening.end())
    if not closing:
        raise ContentError(Diagnostic(path, 1, ERROR, "front matter is not closed",
                                      "add a line '---' after the last front-matter line"))
    first_line = text.count("\n", 0, opening.end()) + 1
    meta_text = text[opening.end():closing.start()]
    meta, lines = load_yaml(meta_text, path, first_line)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(Diagnostic(path, first_line, ERROR, "front matter must be 'key: value' lines"))
    body = text[closing.end():].lstrip("\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return FrontMatterDocument(meta, lines, body, body_line)


def key_lines(doc: FrontMatterDocument) -> dict[str, int]:
    """Line of each top-level front-matter key, kept on documents for cross-file messages."""
    return {str(key): doc.lines.line(key) for key in doc.meta} | {"": doc.lines.first_line}
