"""Typed content documents, as readers produce them. Frozen: later stages never mutate them."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields

from generator.markdown_render import Heading
from generator.pickling import quick_state
from generator.stored_text import lazy_text

FORMATS = ("article", "video", "interview", "photo")


@quick_state
@lazy_text("body_html")          # from the document cache, read when asked for (stored_text.py)
@dataclass(frozen=True, slots=True)
class Article:
    path: str                      # relative to the site folder, e.g. content/articles/2026/x.md
    slug: str
    title: str
    date: dt.datetime              # aware, in the site's time zone
    category: str
    sapo: str
    body_html: str = field(compare=False)     # compared (and hashed) through body_digest: not read
    toc: tuple[Heading, ...] = ()
    source: str = ""
    authors: tuple[str, ...] = ()
    byline: str = ""
    tags: tuple[str, ...] = ()
    image: str = ""
    image_caption: str = ""
    related: tuple[str, ...] = ()
    campaign: str = ""
    series: str = ""
    featured: bool = False
    format: str = "article"
    video: str = ""
    updated: dt.datetime | None = None
    draft: bool = False
    feed_id: str = ""               # `id:` front matter: pins the feed GUID (see generator/feeds.py)
    aliases: tuple[str, ...] = ()   # old addresses that redirect to this article (addresses.py)
    links: tuple[str, ...] = ()    # hrefs in the body, for link checks
    images: tuple[str, ...] = ()   # img srcs in the body, for media checks
    words: int = 0
    body_d_words: str = ""          # the body's words holding "đ", folded: the search supplement
                                    # (search_records), made here so the document cache keeps it
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)  # front-matter key -> line
    surface: str = field(default="", compare=False, repr=False)   # see surface_digest, set by the reader
    body_digest: str = field(default="", init=False, repr=False)  # sha256 of body_html, set here

    def __post_init__(self):
        object.__setattr__(self, "body_digest", text_digest(self.body_html))

    @property
    def key(self) -> str:
        """Unique reference: "category/slug" (two categories may hold the same slug)."""
        return f"{self.category}/{self.slug}"


# What of an article only its own page, its feed entries and its search record show (and the
# link checks and diagnostics read): everything else is its *surface*, what lists, cards, menus,
# the sitemap and other articles' pages may show of it. See generator/edits.py.
BODY_FIELDS = frozenset({"body_html", "toc", "links", "images", "words", "body_d_words", "key_lines", "surface",
                         "body_digest"})


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def surface_digest(article: Article) -> str:
    """A digest of every field of `article` but its body fields (BODY_FIELDS).

    repr is exact for the values an Article holds (str, int, bool, tuples, aware datetimes
    with their zone key), and cheap: it is made once per read, kept by the document cache."""
    values = tuple((f.name, getattr(article, f.name)) for f in fields(article) if f.name not in BODY_FIELDS)
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()


@quick_state
@dataclass(frozen=True, slots=True)
class Page:
    path: str
    slug: str
    title: str
    body_html: str
    description: str = ""
    links: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Target:
    label: str
    target: float | None = None
    achieved: float | None = None
    unit: str = ""


@quick_state
@dataclass(frozen=True, slots=True)
class Campaign:
    path: str
    slug: str
    title: str
    start: dt.date | None
    end: dt.date | None
    body_html: str
    summary: str = ""
    issuer: str = ""
    document: str = ""
    image: str = ""
    targets: tuple[Target, ...] = ()
    links: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)
    draft: bool = False
    aliases: tuple[str, ...] = ()
