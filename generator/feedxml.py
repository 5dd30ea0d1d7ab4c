"""Writing one feed as RSS 2.0 or Atom 1.0 with feedgen (a maintained library, not templates).

Entry identity: an entry's GUID / atom:id must survive edits, or readers show an edited story as
new. It is a tag URI (RFC 4151) built from things an editor does not touch when revising a story:

    tag:<host>,<publication day>:<base path/><file path under content/articles without .md>
    e.g. tag:congdoan-sonha.example.vn,2026-06-18:2026/dien-luc-don-nhan-co-thi-dua

Title, body, slug, category and tags can all change without changing it. Moving or renaming the
file, or changing its date, would: an `id:` line in the front matter pins it ("id: 2026/old-name"
is used as the last part, a value with a ":" is used whole).
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree
from lxml import html as lxml_html

from generator import urls
from generator.documents import Article
from generator.feed_specs import FeedSpec, cover_enclosure
from generator.model import SiteModel

GENERATOR = "congdoan-ssg"
ARTICLES_DIR = "content/articles/"


def entry_id(article: Article, host: str, base_path: str = "/") -> str:
    """The permanent identifier of an article in every feed (see the module docstring)."""
    if article.feed_id and ":" in article.feed_id:
        return article.feed_id
    stable = article.feed_id or article.path.removeprefix(ARTICLES_DIR).removesuffix(".md")
    prefix = base_path.strip("/")
    specific = quote(f"{prefix}/{stable}" if prefix else stable, safe="/-._~")
    return f"tag:{host},{article.date:%Y-%m-%d}:{specific}"


def absolute_html(fragment: str, base_url: str) -> str:
    """Every href and src of an HTML fragment made absolute against `base_url` (lxml does the
    resolving, including "#note" and "../x" forms)."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(base_url, resolve_base_href=False)
    text = lxml_html.tostring(root, encoding="unicode", method="html")
    return text[len("<div>"):-len("</div>")]


def as_feed_text(text: str, fmt: str) -> str:
    """Plain text for an element that feed readers take as HTML: RSS's <description> (channel and
    item) is read as HTML by every reader, so a sapo holding "<img onerror=…>" would run, and one
    holding "&" or "<" would show wrongly. Atom's <summary> and <subtitle> are text by default."""
    return html.escape(text, quote=False) if fmt == "rss" else text


class _Entry(FeedEntry):
    """feedgen 1.0.0 drops the rel, type and length of an Atom entry's links (a loop variable is
    shadowed: lkiesow/python-feedgen#135), which turns the cover enclosure into a second
    "alternate" link. Put the attributes back; harmless once feedgen is fixed."""

    def atom_entry(self, extensions=True):
        entry = super().atom_entry(extensions)
        elements = [child for child in entry if etree.QName(child).localname == "link"]
        for element, data in zip(elements, self.link() or []):
            for key in ("rel", "type", "hreflang", "title", "length"):
                if data.get(key):
                    element.set(key, str(data[key]))
        return entry


@dataclass
class FeedWriter:
    """Renders feed specs; knows the deploy's URLs and the sizes and types of media files."""

    model: SiteModel
    links: object                                   # views.Links
    media: dict[str, Path]
    _bodies: dict[str, str] = field(default_factory=dict)   # article key -> full-content HTML

    @classmethod
    def for_model(cls, model: SiteModel, links) -> "FeedWriter":
        return cls(model, links, model.media)

    @property
    def host(self) -> str:
        return urlsplit(self.model.config.base_url).hostname or "localhost"

    def render(self, spec: FeedSpec, fmt: str) -> bytes:
        feed = self._feed(spec, fmt)
        if fmt == "rss":
            return feed.rss_str(pretty=True)
        return feed.atom_str(pretty=True)

    # ---- the feed --------------------------------------------------------------------------
    def _feed(self, spec: FeedSpec, fmt: str) -> FeedGenerator:
        config, absolute = self.model.config, self.links.absolute
        fg = FeedGenerator()
        # RSS's own <author> must be an e-mail address, so RSS names authors in dc:creator.
        fg.load_extension("dc", atom=False)
        fg.id(absolute(spec.page))
        fg.title(spec.title)
        fg.subtitle(as_feed_text(spec.description, fmt))
        fg.link(href=absolute(spec.path(fmt)), rel="self")
        fg.link(href=absolute(spec.page), rel="alternate", type="text/html")   # last: RSS's <link>
        fg.language(config.language)
        fg.author({"name": config.organisation.name or config.title})
        if config.organisation.licence:
            fg.rights(config.organisation.licence)
        fg.generator(GENERATOR)
        fg.updated(self._updated(spec))       # never "now": two builds give identical bytes
        for article in spec.articles:
            self._entry(fg.add_entry(_Entry(), order="append"), article, fmt)
        return fg

    def _updated(self, spec: FeedSpec) -> dt.datetime:
        stamps = [a.updated or a.date for a in spec.articles]
        if stamps:
            return max(stamps)
        today = self.model.today
        return dt.datetime(today.year, today.month, today.day, tzinfo=self.model.config.tz)

    def _entry(self, fe, article: Article, fmt: str) -> None:
        config, absolute = self.model.config, self.links.absolute
        page = absolute(urls.article(article, config.permalinks.article))
        fe.id(entry_id(article, self.host, config.base_path))
        fe.title(article.title)
        fe.link(href=page, rel="alternate", type="text/html")
        fe.published(article.date)
        fe.updated(article.updated or article.date)
        authors = article.authors or ((article.byline,) if article.byline else ())
        if authors:
            fe.author([{"name": name} for name in authors])
            for name in authors:
                fe.dc.dc_creator(name)
        category = config.category(article.category)
        terms = [category.name if category else article.category, *article.tags]
        fe.category([{"term": term} for term in dict.fromkeys(terms)])
        if article.sapo:
            fe.summary(as_feed_text(article.sapo, fmt))
        if config.feeds.full_content:
            fe.content(self._full_body(article, page), type="html")
        enclosure = self.enclosure(article.image)
        if enclosure:
            fe.enclosure(*enclosure)

    def _full_body(self, article: Article, page: str) -> str:
        """Lead, cover photo and body, with every link and image absolute."""
        found = self._bodies.get(article.key)
        if found is None:
            parts = []
            if article.sapo:
                source = f"<strong>({html.escape(article.source)})</strong> – " if article.source else ""
                parts.append(f"<p>{source}{html.escape(article.sapo)}</p>")
            if article.image:
                caption = article.image_caption or article.title
                parts.append(f'<figure><img src="{html.escape(self.links.href(article.image))}" '
                             f'alt="{html.escape(caption)}"><figcaption>{html.escape(caption)}</figcaption></figure>')
            parts.append(article.body_html)
            found = self._bodies[article.key] = absolute_html("\n".join(parts), page)
        return found

    def enclosure(self, image: str) -> tuple[str, str, str] | None:
        return cover_enclosure(image, self.media, self.links)
