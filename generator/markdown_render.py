"""Markdown bodies to sanitised HTML, with figures, a table of contents and the links they use."""
from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass, replace

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

from generator.diagnostics import ERROR, WARNING, Diagnostic
from generator.markdown_limits import Neutralised, crowded_paragraph, neutralise
from generator.pickling import quick_state
from generator.sanitize import sanitize_html
from generator.vietnamese import slugify

# A piece with at least this many headings is "long" and gets a table of contents.
TOC_MIN_HEADINGS = 4


@quick_state
@dataclass(frozen=True, slots=True)
class Heading:
    id: str
    title: str
    level: int


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    html: str
    lead: str                    # plain text of the first paragraph ("" when there is none)
    toc: tuple[Heading, ...]     # empty for short pieces
    links: tuple[str, ...]       # every href, as written in the source
    images: tuple[str, ...]      # every img src, as written in the source
    words: int
    limited: tuple[int, str] | None = None   # (0-based line, what) where openers were made text
    crowded: tuple[int, int, str] | None = None   # (0-based line, count, what) of a paragraph too full


def limit_warnings(rendered: RenderedMarkdown, path: str, first_line: int) -> list[Diagnostic]:
    """The editor's warning when the body's unclosed openers were shown as text, and the error for
    a paragraph crowded with links (markdown_limits)."""
    if rendered.crowded is not None:
        line, count, what = rendered.crowded
        if what == "links":
            return [Diagnostic(path, first_line + line, ERROR,
                               f"this paragraph holds {count} links: Markdown takes minutes on so many in one "
                               "paragraph", "make them a list, one link a line starting with '- ', or split the "
                               "paragraph with blank lines")]
        return [Diagnostic(path, first_line + line, ERROR,
                           f"this paragraph holds {count} Markdown marks ([ * _ ` & < \\): Markdown takes minutes "
                           "on so many in one paragraph", "split it with blank lines, or check that it is text "
                           "and not pasted code or data")]
    if rendered.limited is None:
        return []
    line, what = rendered.limited
    return [Diagnostic(path, first_line + line, WARNING, f"the text holds many {what}: they are shown as text",
                       "close each '[' with ']' and each '(' with ')' (or write \\[), and each HTML tag with '>'")]


class _BodyProcessor(Treeprocessor):
    """Turns captioned images into figures, records links, and makes site paths deploy-aware."""

    def __init__(self, md, base_path: str):
        super().__init__(md)
        self.base_path = base_path
        self.extract_lead = False
        self.reset()

    def reset(self):
        self.lead = ""
        self.links: list[str] = []
        self.images: list[str] = []

    def run(self, root: etree.Element) -> None:
        self._figures(root)
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self.links.append(element.get("href"))
                element.set("href", self._site_url(element.get("href")))
            elif element.tag == "img" and element.get("src") is not None:
                self.images.append(element.get("src"))
                element.set("src", self._site_url(element.get("src")))
                element.set("loading", "lazy")
                element.set("decoding", "async")
        first = next(iter(root), None)
        # A raw-HTML block (a <div>, an HTML comment) is a placeholder paragraph wrapped in STX/ETX
        # at this stage: it is no lead, and its control characters must not reach feeds or <meta>.
        if (first is not None and first.tag == "p" and len(first) == 0 and (first.text or "").strip()
                and markdown.util.STX not in first.text):
            self.lead = first.text.strip()
            if self.extract_lead:
                root.remove(first)

    def _figures(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag != "p" or len(child) != 1 or (child.text or "").strip():
                    continue
                image = child[0]
                if image.tag != "img" or not image.get("title") or (image.tail or "").strip():
                    continue
                figure = etree.Element("figure")
                caption = image.attrib.pop("title")
                image.tail = None
                figure.append(image)
                etree.SubElement(figure, "figcaption").text = caption
                parent.remove(child)
                parent.insert(index, figure)

    def _site_url(self, url: str) -> str:
        """"/media/a.jpg" -> "/ldld/media/a.jpg" when the site lives under a sub-path."""
        if url.startswith("/") and not url.startswith("//") and self.base_path != "/":
            return self.base_path + url[1:]
        return url


class _BodyExtension(Extension):
    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md):
        self.processor = _BodyProcessor(md, self.base_path)
        md.treeprocessors.register(self.processor, "union_body", 5)


class MarkdownRenderer:
    """One configured Python-Markdown instance, reused across documents (set-up is costly)."""

    def __init__(self, base_path: str = "/"):
        self._body = _BodyExtension(base_path)
        # Extensions as objects, not names: a name is looked up among the installed packages'
        # entry points (importlib.metadata), ~0.03 s of every build that parses anything.
        self._md = markdown.Markdown(
            extensions=[TableExtension(), FootnoteExtension(BACKLINK_TITLE="Quay lại chú thích %d",
                                                            SUPERSCRIPT_TEXT="{}"),
                        AttrListExtension(), SaneListExtension(),
                        TocExtension(slugify=lambda text, sep: slugify(text) or "muc", toc_depth="2-3"),
                        self._body],
            output_format="html",
        )

    def render(self, text: str, extract_lead: bool = False) -> RenderedMarkdown:
        """See `render_text`; a paragraph crowded with links (markdown_limits) is not rendered: the
        reader reports it (`limit_warnings`)."""
        safe = neutralise(text)          # openers that never close: plain text (quadratic otherwise)
        crowded = crowded_paragraph(safe.text)
        if crowded is not None:
            return replace(self.render_text(""), crowded=crowded)
        return self.render_text(text, extract_lead, safe)

    def render_text(self, text: str, extract_lead: bool = False, safe: Neutralised | None = None) -> RenderedMarkdown:
        """Render one body; with `extract_lead` the first paragraph is returned apart, not in html."""
        processor = self._body.processor
        self._md.reset()
        processor.reset()
        processor.extract_lead = extract_lead
        safe = safe or neutralise(text)
        html = sanitize_html(self._md.convert(safe.text))
        headings = tuple(_flatten(self._md.toc_tokens))
        return RenderedMarkdown(
            html=html,
            lead=processor.lead,
            toc=headings if len(headings) >= TOC_MIN_HEADINGS else (),
            links=tuple(processor.links),
            images=tuple(processor.images),
            words=len(text.split()),
            limited=None if safe.first is None else (safe.text.count("\n", 0, safe.first), safe.what),
        )


def _flatten(tokens) -> list[Heading]:
    out = []
    for token in tokens:
        out.append(Heading(token["id"], token["name"], token["level"]))
        out.extend(_flatten(token.get("children", [])))
    return out
