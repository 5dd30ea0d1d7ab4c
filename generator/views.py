"""View data for templates: plain dicts of what a theme may show (documented in docs/themes.md).

Templates never see the model. Cards (the short form of an article used in every list) are made
once per article and shared by every page that lists it.
"""
from __future__ import annotations

import re
from itertools import islice
from urllib.parse import parse_qs, quote

from generator import url_policy, urls
from generator.config import SiteConfig
from generator.documents import Article
from generator.fingerprint import BodyHTML, Shared
from generator.features import FEATURES
from generator.feed_specs import page_feeds
from generator.metadata import breadcrumb_list, news_article
from generator.images import ImageCatalog
from generator.view_types import (ArticleContext, BrandingView, Card, HomeContext, ImageView, ListingContext,
                                  NotFoundContext, PageContext, PageMeta, SiteView)
from generator.model import SiteModel
from generator.model_reads import ModelReads
from generator.vietnamese import format_datetime, format_short

PAGE_WINDOW = 2       # page links either side of the current one in a list's pagination
# The home page's side column: campaigns under way (or about to start), newest honour rolls, videos.
HOME_VIDEOS = 3
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


class Links:
    """Turns site paths into the hrefs and absolute URLs of this deploy (base path aware)."""

    def __init__(self, config: SiteConfig):
        self.base_path = config.base_path
        self.base_url = config.base_url

    def href(self, path: str) -> str:
        if path.startswith(("http://", "https://", "//", "#", "mailto:", "tel:")):
            return path
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + path.lstrip("/")


class Views:
    """Builds every view dict from one model; memoises the shared parts."""

    def __init__(self, model: SiteModel, strings: dict[str, str], images: ImageCatalog | None = None,
                 reads: ModelReads | None = None):
        # Page views read the model through recorded queries (model_reads.py); `model` is the
        # whole of it, recorded as such.
        self.reads = reads or ModelReads(model, {})
        self.images = images or ImageCatalog()
        self.config = model.config
        self.language = model.config.language
        self.links = Links(model.config)
        self.ui = strings
        self._cards: dict[int, tuple[Article, dict]] = {}
        self._categories = {c.key: c for c in model.config.categories}

    @property
    def model(self) -> SiteModel:
        """The whole model: a page view reading it is made again after any change of content."""
        return self.reads.whole()

    # ---- shared pieces -------------------------------------------------------------------
    def site(self) -> SiteView:
        """Globals every template receives as `site`."""
        c, href = self.config, self.links.href
        top = [cat for cat in c.categories if not cat.parent]
        return {
            "title": c.title,
            "tagline": c.tagline,
            "description": c.description,
            "base_url": c.base_url,
            "base_path": c.base_path,
            "language": c.language,
            "home_url": href("/"),
            "organisation": {k: getattr(c.organisation, k) for k in ("name", "licence", "responsible", "address", "phone", "fax", "email")},
            "menu": [{"title": m.title, "url": href(m.url)} for m in c.menu],
            "categories": [
                {**self.category_ref(cat.key),
                 "children": [self.category_ref(ch.key) for ch in c.categories if ch.parent == cat.key]}
                for cat in top
            ],
            "featured": [self.card(a) for a in self.featured()],
            "latest": self.cards(self.reads.members("all", None, 0, 6)),
            "search_url": href(urls.search()),
            "feeds_url": href(urls.feeds_page()),
            "branding": self.branding(),
        }

    def branding(self) -> BrandingView:
        """site.yaml `branding:` for templates (documented in docs/themes.md)."""
        b, href = self.config.branding, self.links.href
        return {
            "logo": self.image(b.logo),
            "favicon": href(b.favicon) if b.favicon else None,
            "css_variables": b.css_variables(),
            "head_html": b.head_html,
            "footer_links": [{"title": link.title, "url": href(link.url)} for link in b.footer_links],
            "member_links": [{"title": link.title, "url": href(link.url)} for link in b.member_links],
        }

    def image(self, url: str) -> ImageView | None:
        """An image dict (src, srcset_webp, srcset_jpeg, width, height, original) or None."""
        return self.images.view(url, self.links.href)

    def featured(self, limit: int = 6) -> list[Article]:
        picks = [a for a in self.model.articles if a.featured][:limit]
        return picks or list(self.model.articles[:limit])

    def category_ref(self, key: str) -> dict:
        category = self._categories.get(key)
        return {"key": key, "name": category.name if category else key, "url": self.links.href(urls.category(key)),
                "description": category.description if category else ""}

    def card(self, article: Article) -> Card:
        """The short form of an article, shared by every list that shows it."""
        known = self._cards.get(id(article))     # by identity: Article.key builds a string per call
        if known is not None and known[0] is article:
            return known[1]
        found = Shared({      # made once, shown on many pages: fingerprinted once (fingerprint.py)
            "key": article.key,
            "title": article.title,
            "url": self.links.href(urls.article(article, self.config.permalinks.article)),
            "date_iso": article.date.isoformat(),
            "date_short": format_short(article.date, self.language),
            "date_long": format_datetime(article.date, self.language),
            "sapo": article.sapo,
            "source": article.source,
            "image": self.image(article.image),
            "image_caption": article.image_caption,
            "format": article.format,
            "series": article.series,
            "category": self.category_ref(article.category),
        })
        self._cards[id(article)] = (article, found)
        return found

    def cards(self, articles) -> list[dict]:
        return [self.card(a) for a in articles]

    def page_meta(self, kind: str, path: str, title: str, description: str = "", image: str = "",
                  breadcrumb: list | None = None) -> PageMeta:
        return {
            "kind": kind,
            "url": self.links.href(path),
            "canonical": self.links.absolute(path),
            "title": title,
            "description": description or self.config.description,
            "image": self.links.absolute(self.images.og_path(image)) if image else None,
            "breadcrumb": breadcrumb or [],
            # Feeds announced in <head> (and shown on category and campaign pages).
            "feeds": page_feeds(self, kind, path),
            # JSON-LD objects for search engines; article() adds its NewsArticle first.
            "structured_data": [breadcrumb_list(self.config, breadcrumb, title, self.links.absolute(path))]
                               if breadcrumb else [],
        }

    def crumb(self, name: str, path: str) -> dict:
        return {"name": name, "url": self.links.href(path)}

    def pagination(self, base_path_of, number: int, total: int, window: int | None = PAGE_WINDOW) -> dict | None:
        """Links between the pages of a list. `pages` holds the first and last page, `window`
        pages either side of the current one, and a `gap` entry where a run is left out
        (`window` None: every page, for rolls whose page links each name a range).

        Windowed, because every page of a list carries its own `pages`: all of them would grow
        with the square of the list's length (500 pages of a category at 100,000 articles:
        250,000 links held, fingerprinted and looped over)."""
        if total <= 1:
            return None
        href = self.links.href
        if window is None:
            shown = range(1, total + 1)
        else:
            shown = sorted({1, total} | set(range(max(1, number - window - 1), min(total, number + window + 1) + 1)))
        pages = []
        for n in shown:
            if window is None or n in (1, total) or abs(n - number) <= window:
                pages.append({"number": n, "url": href(base_path_of(n)), "current": n == number, "gap": False})
            else:                                  # just outside the window: stands for the run it hides
                pages.append({"gap": True})
        return {
            "current": number,
            "total": total,
            "prev": href(base_path_of(number - 1)) if number > 1 else None,
            "next": href(base_path_of(number + 1)) if number < total else None,
            "pages": pages,
        }

    # ---- pages ---------------------------------------------------------------------------
    def home(self, blocks_per_category: int = 5) -> HomeContext:
        articles = self.model.articles
        lead = next((a for a in articles if a.featured), articles[0] if articles else None)
        rest = [a for a in articles if a is not lead]
        blocks = []
        for category in self.config.categories:
            if category.parent:
                continue
            members = [a for a in self.model.by_category.get(category.key, ()) if a is not lead]
            if members:
                blocks.append({"category": self.category_ref(category.key),
                               "articles": self.cards(members[:blocks_per_category])})
        # What features show on the home page (campaigns under way, the newest honour rolls):
        # each feature with a `home(views)` gives its part (features.py).
        parts = {key: value for feature in FEATURES if hasattr(feature, "home")
                 for key, value in feature.home(self).items()}
        campaigns, rolls = parts.get("campaigns", []), parts.get("honour_rolls", [])
        return {
            "page": self.page_meta("home", "/", self.config.title),
            "lead": self.card(lead) if lead else None,
            "latest": self.cards(rest[:8]),
            "blocks": blocks,
            "campaigns": campaigns,
            "honour_rolls": rolls,
            "videos": self.cards(islice((a for a in rest if a.format == "video"), HOME_VIDEOS)),
            # The pages listing them all (each exists whenever there is something to list).
            "more_links": {"campaigns": self.links.href(urls.campaigns()) if campaigns else None,
                           "honours": self.links.href(urls.honours()) if rolls else None},
        }

    def article(self, key: str) -> ArticleContext:
        article, reads, href = self.reads.article(key), self.reads, self.links.href
        category = self._categories[article.category]
        path = urls.article(article, self.config.permalinks.article)
        crumbs = [self.crumb(self.ui.get("home", "Trang chủ"), "/")]
        if category.parent:
            crumbs.append(self.crumb(self._categories[category.parent].name, urls.category(category.parent)))
        crumbs.append(self.crumb(category.name, urls.category(category.key)))
        same = [a for a in reads.members("category", article.category, 0, 6) if a is not article][:5]
        campaign = reads.campaign_title(article.campaign) if article.campaign else None
        canonical = self.links.absolute(path)
        quoted = quote(canonical, safe="")
        view = {
            **self.card(article),
            "body_html": BodyHTML(article),
            "toc": [{"id": h.id, "title": h.title, "level": h.level} for h in article.toc],
            "byline": article.byline,
            "authors": [{"name": n, "url": href(urls.author(n))} for n in article.authors],
            "tags": [{"name": t, "url": href(urls.tag(t))} for t in article.tags],
            "series": {"name": article.series, "url": href(urls.series(article.series))} if article.series else None,
            "related": self.cards(reads.members("related", key)),
            "video": video_embed(article.video, href),
            "updated_iso": article.updated.isoformat() if article.updated else None,
            "updated_long": format_datetime(article.updated, self.language) if article.updated else None,
            "campaign": {"title": campaign, "url": href(urls.campaign(article.campaign))} if campaign else None,
            "share": {
                "url": canonical,
                "facebook": "https://www.facebook.com/sharer/sharer.php?u=" + quoted,
                "zalo": "https://sp.zalo.me/share_to_zalo?url=" + quoted,
            },
        }
        page = self.page_meta("article", path, article.title, article.sapo, article.image, crumbs)
        page["structured_data"].insert(0, news_article(self.config, view, page))
        return {
            "page": page,
            "article": view,
            "same_category": self.cards(same),
            "newer": self.cards(reads.newer(key, 3)),
            "older": self.cards(reads.older(key, 3)),
            "interesting": self.cards(reads.members("interesting", key)),
        }

    def listing(self, kind: str, key: str, number: int) -> ListingContext:
        """Page `number` of a category's, tag's, author's or series' list of articles."""
        crumbs, description = [], ""
        if kind == "category":
            category = self._categories[key]
            title, description = category.name, category.description
            if category.parent:
                parent = self._categories[category.parent]
                crumbs.append(self.crumb(parent.name, urls.category(parent.key)))

            def path_of(n: int) -> str:
                return urls.category(key, n)
        else:
            name = self.reads.taxon_name(kind, key)
            title, url_of = self.taxon_title(kind, name), {"tag": urls.tag, "author": urls.author,
                                                             "series": urls.series}[kind]

            def path_of(n: int) -> str:
                return url_of(name, n)
        per_page = self.config.per_page
        count = self.reads.size(kind, key)
        total = max(1, -(-count // per_page))
        chunk = self.reads.members(kind, key, (number - 1) * per_page, number * per_page)
        heading = title if number == 1 else f"{title} – {self.ui.get('page', 'Trang')} {number}"
        return {
            "page": self.page_meta(kind, path_of(number), heading, description,
                                   breadcrumb=[self.crumb(self.ui.get("home", "Trang chủ"), "/"), *crumbs]),
            "listing": {
                "kind": kind,
                "title": title,
                "description": description,
                "count": count,
                "articles": self.cards(chunk),
                "pagination": self.pagination(path_of, number, total),
            },
        }

    def taxon_title(self, kind: str, name: str) -> str:
        label = {"tag": "tag", "author": "author", "series": "series"}[kind]
        return f"{self.ui.get(label, label)}: {name}" if kind != "series" else name

    def page(self, page) -> PageContext:
        path = urls.page(page.slug)
        return {
            "page": self.page_meta("page", path, page.title, page.description,
                                   breadcrumb=[self.crumb(self.ui.get("home", "Trang chủ"), "/")]),
            "content": {"title": page.title, "body_html": page.body_html},
        }

    def not_found(self) -> NotFoundContext:
        return {"page": self.page_meta("404", "/404.html", self.ui.get("not_found_title", "Không tìm thấy trang"))}


def video_embed(url: str, href) -> dict | None:
    """A YouTube link becomes a privacy-friendly embed; a file under /media/ a <video>.

    `url` has passed the URL policy (readers); it is read here as a browser reads it."""
    if not url:
        return None
    if url.startswith("/media/"):
        return {"kind": "file", "src": href(url), "url": href(url)}
    parts = url_policy.parse(url)
    host = (parts.hostname if parts else "").removeprefix("www.").removeprefix("m.")
    path = parts.pathname if parts else ""
    video_id = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = path.split("/")[2]
        else:
            video_id = (parse_qs(parts.search.removeprefix("?")).get("v") or [None])[0]
    elif host == "youtu.be":
        video_id = path.strip("/")
    if video_id and _YOUTUBE_ID.match(video_id):
        return {"kind": "youtube", "src": f"https://www.youtube-nocookie.com/embed/{video_id}", "url": url}
    return {"kind": "link", "src": url, "url": url}
