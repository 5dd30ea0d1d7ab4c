"""The shapes templates receive: the documented surface a theme may rely on (docs/themes.md).

Views (generator/views.py) build plain dicts; these TypedDicts name their keys and types so a
theme author, a reviewer and a type checker read the same contract. Every URL in a view already
carries the deploy's base path (`Links.href`); `canonical` and Open Graph images are absolute.
"""
from __future__ import annotations

from typing import Optional, TypedDict

from generator.fingerprint import BodyHTML


class ImageView(TypedDict):
    """A picture: variants for `srcset`, and the size of `src` so the page reserves its space."""

    src: str                 # JPEG fallback, about 800 px wide (or the file itself: SVG, GIF, http URL)
    srcset_webp: str         # "… 400w, … 800w, … 1600w"; "" when the image has no variants
    srcset_jpeg: str
    width: Optional[int]     # of `src`; None when unknown (external or vector image)
    height: Optional[int]
    original: str            # the file as the editor uploaded it


class Link(TypedDict):
    title: str
    url: str


class CategoryRef(TypedDict):
    key: str
    name: str
    url: str
    description: str


class Crumb(TypedDict):
    name: str
    url: str


class Card(TypedDict):
    """The short form of an article, shared by every list that shows it."""

    key: str                 # "category/slug"
    title: str
    url: str
    date_iso: str
    date_short: str          # "22/11/2026"
    date_long: str           # "Chủ Nhật, 22/11/2026 08:30"
    sapo: str
    source: str              # "LĐTĐ", shown as "(LĐTĐ)"
    image: Optional[ImageView]
    image_caption: str
    format: str              # article | video | interview | photo
    series: str
    category: CategoryRef


class PageMeta(TypedDict):
    """`page`: what every page is, for <head>, the breadcrumb and the menu's current item."""

    kind: str                # home | article | category | tag | author | series | page | 404 | feature kinds
    url: str
    canonical: str           # absolute
    title: str
    description: str
    image: Optional[str]     # absolute URL of the 1200 px Open Graph variant
    breadcrumb: list[Crumb]
    feeds: list[dict]        # feeds announced in <head> (generator/feeds.py)
    structured_data: list[dict]  # JSON-LD objects (generator/metadata.py)


class Pagination(TypedDict):
    current: int
    total: int
    prev: Optional[str]
    next: Optional[str]
    pages: list[dict]        # {number, url, current, gap: False} or {gap: True}: first, last, 2 either side of current


class BrandingView(TypedDict):
    """`site.branding`: site.yaml `branding:`, for any theme."""

    logo: Optional[ImageView]
    favicon: Optional[str]
    css_variables: list[tuple[str, str]]   # ("brand", "#0b4a8f"), ("brand-dark", …), ("accent", …)
    head_html: str           # emitted as is, unescaped: it is the site owner's
    footer_links: list[Link]
    member_links: list[Link]


class SiteView(TypedDict):
    """`site`: globals of every template."""

    title: str
    tagline: str
    description: str
    base_url: str
    base_path: str
    language: str
    home_url: str
    organisation: dict       # name, licence, responsible, address, phone, fax, email (each "" when unset)
    menu: list[Link]
    categories: list[dict]   # CategoryRef + children: list[CategoryRef], top-level only
    featured: list[Card]
    latest: list[Card]
    search_url: str
    feeds_url: str
    branding: BrandingView


class ThemeView(TypedDict):
    """`theme`: the resolved theme chain."""

    name: str
    chain: list[str]         # child first, e.g. ["tinh", "congdoan"]
    stylesheets: list[str]   # hrefs of the chain's extra stylesheets, parent's first
    settings: dict           # theme.yaml `settings:`, child over parent


class ArticleView(Card):
    """`article` on article.html: the card plus the full piece."""

    body_html: BodyHTML      # sanitised HTML (shown by |safe or str()); images become <picture> after rendering
    toc: list[dict]          # {id, title, level}; empty for short pieces
    byline: str
    authors: list[dict]      # {name, url}
    tags: list[dict]         # {name, url}
    related: list[Card]
    video: Optional[dict]    # {kind: youtube|file|link, src, url}
    updated_iso: Optional[str]
    updated_long: Optional[str]
    campaign: Optional[dict]  # {title, url}
    share: dict              # {url, facebook, zalo}


# ---- per template: the context each page template is rendered with, besides site/ui/theme ----
class HomeContext(TypedDict):            # home.html
    page: PageMeta
    lead: Optional[Card]
    latest: list[Card]
    blocks: list[dict]                   # {category: CategoryRef, articles: list[Card]}
    # Campaigns under way, then upcoming (2 at most; none once ended): a campaign ref as on
    # campaigns.html (title, url, status, status_label, start, start_iso, end, end_iso, …) plus
    # targets: the first 3 with a result and a goal, as campaigns.target_progress (label, text, bar, met…).
    campaigns: list[dict]
    # The newest honour rolls (4 at most; [] without the honours feature): title, url, year,
    # kind_label, count, count_text, subjects [{subject, count}] (honours.views.HonourViews.roll_ref).
    honour_rolls: list[dict]
    videos: list[Card]                   # the newest `format: video` articles but the lead (3 at most)
    more_links: dict                     # {campaigns, honours}: hrefs of their index pages, None when nothing shown


class ArticleContext(TypedDict):         # article.html
    page: PageMeta
    article: ArticleView
    same_category: list[Card]
    newer: list[Card]
    older: list[Card]
    interesting: list[Card]


class Listing(TypedDict):
    kind: str
    title: str
    description: str
    count: int
    articles: list[Card]
    pagination: Optional[Pagination]


class ListingContext(TypedDict):         # list.html (categories, tags, authors, series)
    page: PageMeta
    listing: Listing


class PageContext(TypedDict):            # page.html
    page: PageMeta
    content: dict                        # {title, body_html}


class NotFoundContext(TypedDict):        # 404.html
    page: PageMeta
