"""Splitting a Markdown file into YAML front matter and body, keeping line numbers."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import frontmatter as python_frontmatter

from generator.diagnostics import ContentError, Diagnostic, ERROR, WARNING
from generator.yamlread import LineMap, load_yaml

_BOUNDARY = python_frontmatter.YAMLHandler.FM_BOUNDARY
# A news article is tens of kilobytes, but lists pasted into one are real on union portals (a relief
# list of 71,700 table rows is 4.4 million characters, ~20 s of Markdown): they build, with a
# warning that suggests an attachment. Past MAX_DOCUMENT_CHARS (pasted images, whole archives) a
# file would hold the build for minutes and its page would not open on a phone: it is refused.
LARGE_DOCUMENT_CHARS = 1_000_000
MAX_DOCUMENT_CHARS = 10_000_000


@dataclass(frozen=True, slots=True)
class FrontMatterDocument:
    meta: dict
    lines: LineMap
    body: str
    body_line: int
    closing_line: int = 0      # the line of the closing '---'


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is allowed), with CRLF and CR line ends made LF, in Unicode NFC."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(Diagnostic(path, line, ERROR, f"file is not UTF-8 text ({_guess_encoding(data)})",
                                      "open it in an editor and save it as UTF-8")) from None
    if "\x00" in text:
        raise ContentError(Diagnostic(path, 1, ERROR, "file contains NUL bytes; it is not a text file"))
    # NFC: text typed on some systems arrives decomposed ("a" + combining marks), which would
    # otherwise differ from the same words elsewhere in sorting, search, slugs and comparisons.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _guess_encoding(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a declared dependency
        return "unknown encoding"
    best = from_bytes(data[:65536]).best()
    return f"it looks like {encoding_name(best.encoding)}" if best else "its encoding is unknown"


def encoding_name(codec: str) -> str:
    """The name editors see in their editor's "save as" menu: cp1258 -> Windows-1258."""
    codec = codec.lower().replace("-", "_")
    if codec.startswith("cp") and codec[2:].isdigit() and codec[2:].startswith("125"):
        return f"Windows-{codec[2:]}" + (" (Vietnamese)" if codec == "cp1258" else "")
    return {"utf_16": "UTF-16", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16", "utf_32": "UTF-32",
            "latin_1": "ISO-8859-1", "iso8859_1": "ISO-8859-1", "ascii": "ASCII"}.get(codec, codec)


def split(text: str, path: str) -> FrontMatterDocument:
    """Front matter between a first line `---` and the next `---` line, then the body."""
    if not text.strip():
        raise ContentError(Diagnostic(path, 1, ERROR, "file is empty",
                                      "start it with a front matter block: ---, title: …, ---"))
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ContentError(Diagnostic(path, 1, ERROR,
                                      f"file is too large ({len(text) / 1e6:.1f} million characters; "
                                      f"the limit is {MAX_DOCUMENT_CHARS / 1e6:.0f} million)",
                                      "split it into several articles, and put images and attachments "
                                      "under content/media/ instead of pasting them into the text"))
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
    return FrontMatterDocument(meta, lines, body, body_line, text.count("\n", 0, closing.start()) + 1)


def size_warnings(doc: FrontMatterDocument, path: str) -> list[Diagnostic]:
    """A warning for a body past LARGE_DOCUMENT_CHARS: it builds, but a reader on a phone waits."""
    if len(doc.body) <= LARGE_DOCUMENT_CHARS:
        return []
    return [Diagnostic(path, doc.body_line, WARNING,
                       f"the text is very long ({len(doc.body) / 1e6:.1f} million characters): the page is slow "
                       "to open on a phone",
                       "put a long list in a spreadsheet or PDF under content/media/ and link it from the article")]


def key_lines(doc: FrontMatterDocument, rendered=None) -> dict[str, int]:
    """Line of each top-level front-matter key, kept on documents for cross-file messages.

    With the rendered body, also the line of each link ("link:<href>") and image ("image:<src>"),
    so a broken one is reported where the editor wrote it, not at the front matter.
    """
    lines = {str(key): doc.lines.line(key) for key in doc.meta} | {"": doc.lines.first_line}
    if rendered is not None:
        lines |= body_lines(doc, rendered.links, "link:") | body_lines(doc, rendered.images, "image:")
    return lines


def body_lines(doc: FrontMatterDocument, targets, prefix: str) -> dict[str, int]:
    """Line of the first place each link or image target is written in the body."""
    found = {}
    for target in targets:
        index = doc.body.find(target) if target else -1
        if index >= 0:
            found[prefix + target] = doc.body_line + doc.body.count("\n", 0, index)
    return found
