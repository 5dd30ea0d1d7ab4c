"""RSS 2.0 and Atom 1.0 feeds: the whole site, each category and each campaign.

Which feeds exist and what they hold is decided here (pure functions of the model); the XML is
written by `feedxml` with feedgen. The feature also plans the /rss/ page that lists every feed,
and gives views the `page.feeds` links announced in each page's <head>.

Feeds are rendered again only when what they are made of changes (`feed_digest`); the bytes of
the last ones are kept in `<site>/.cache/build/feeds.pickle`.

Feed files: /rss.xml and /atom.xml, /<category>/rss.xml and /<category>/atom.xml,
/phong-trao/<slug>/rss.xml and /phong-trao/<slug>/atom.xml (see urls.feed).
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from typing import TYPE_CHECKING

from generator import urls
from generator.cache import cache_folder, code_version, environment_key, read_blob, write_blob
from generator.documents import Article
from generator.features import register
from generator.fingerprint import digest_text
from generator.model import SiteModel
from generator.output import OutputFile

if TYPE_CHECKING:   # views import this module for page.feeds; import them only for type hints
    from generator.views import Views

FEEDS_FILE = "feeds.pickle"
FORMATS = {"rss": ("RSS", "application/rss+xml"), "atom": ("Atom", "application/atom+xml")}


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed, before it is written in either format."""

    scope: str                        # "site", "category" or "campaign"
    key: str                          # category key or campaign slug; "" for the site
    name: str                         # what the feed follows: site title, category name, campaign title
    title: str                        # the feed's title, e.g. "Nữ công – Công đoàn Sơn Hà"
    description: str
    page: str                         # site path of the HTML page the feed follows
    articles: tuple[Article, ...]     # newest first, already cut to feeds.length

    def path(self, fmt: str) -> str:
        return urls.feed(fmt, self.scope, self.key)


def feed_specs(model: SiteModel) -> list[FeedSpec]:
    """Every feed of the site: the site's, then each category's, then each campaign's."""
    config = model.config
    length = config.feeds.length
    specs = [FeedSpec("site", "", config.title, config.title, config.description or config.title,
                      urls.home(), model.articles[:length])]
    for category in config.categories:
        specs.append(FeedSpec("category", category.key, category.name, f"{category.name} – {config.title}",
                              category.description or f"{category.name} – {config.title}",
                              urls.category(category.key), model.by_category.get(category.key, ())[:length]))
    for campaign in model.campaigns:
        specs.append(FeedSpec("campaign", campaign.slug, campaign.title, f"{campaign.title} – {config.title}",
                              " ".join((campaign.summary or campaign.title).split()), urls.campaign(campaign.slug),
                              model.by_campaign.get(campaign.slug, ())[:length]))
    return specs


def feed_links(views: "Views", scope: str = "site", key: str = "") -> list[dict]:
    """The feeds of one scope as template data: RSS first, then Atom.

    `href` is absolute (feed readers copy it as is), `url` is the deploy's site-relative link.
    """
    if scope == "category":
        category = views.config.category(key)
        name = category.name if category else key
    elif scope == "campaign":
        name = next((c.title for c in views.model.campaigns if c.slug == key), key)
    else:
        name = views.config.title
    links = []
    for fmt, (label, mime) in FORMATS.items():
        path = urls.feed(fmt, scope, key)
        links.append({"format": label, "type": mime, "title": f"{name} ({label})",
                      "href": views.links.absolute(path), "url": views.links.href(path)})
    return links


def page_feeds(views: "Views", kind: str, path: str) -> list[dict]:
    """Feeds a page announces: a category or campaign page its own, every other page the site's."""
    parts = path.strip("/").split("/")
    if kind == "category" and views.config.category(parts[0]):
        return feed_links(views, "category", parts[0])
    if kind == "campaign" and len(parts) > 1 and parts[0] == urls.CAMPAIGN_ROOT \
            and any(c.slug == parts[1] for c in views.model.campaigns):
        return feed_links(views, "campaign", parts[1])
    return feed_links(views, "site")


def feeds_page_view(views: "Views") -> dict:
    """View data of /rss/: every feed, grouped as site, categories, campaigns."""
    ui = views.ui
    groups = {"site": [], "category": [], "campaign": []}
    for spec in feed_specs(views.model):
        groups[spec.scope].append({
            "name": spec.name,
            "page_url": views.links.href(spec.page),
            "count": len(spec.articles),
            "feeds": feed_links(views, spec.scope, spec.key),
        })
    titles = {"site": ui.get("feeds_site", "Toàn trang"), "category": ui.get("feeds_categories", "Chuyên mục"),
              "campaign": ui.get("feeds_campaigns", "Phong trào")}
    title = ui.get("feeds_title", "Tin RSS")
    page = views.page_meta("feeds", urls.feeds_page(), title, ui.get("feeds_intro", ""),
                           breadcrumb=[views.crumb(ui.get("home", "Trang chủ"), "/")])
    return {
        "page": page,
        "feed_groups": [{"key": k, "title": titles[k], "entries": v} for k, v in groups.items() if v],
    }


class FeedsFeature:
    """Plugs the feeds into the pipeline (see generator/features.py)."""

    name = "feeds"

    def __init__(self):
        # The bytes of each feed and the digest of what they were made from (feed_digest): an
        # edit changes the few feeds that list the edited article, and the others are not
        # rendered again. Kept in memory by `serve`, and in the build cache (FEEDS_FILE).
        self._made: dict[tuple[str, str], tuple[str | None, bytes]] = {}

    def plan(self, views: "Views"):
        from generator.routes import RenderJob   # routes imports views, which import this module
        yield RenderJob(urls.feeds_page(), "feeds.html", feeds_page_view(views))

    def extend(self, model: SiteModel, docs, ctx) -> Path | None:
        """Where this site's feeds are kept between builds (see `files`)."""
        return cache_folder(ctx.site_dir) / FEEDS_FILE if ctx.options.write else None

    def files(self, views: "Views") -> list[OutputFile]:
        kept_at = views.model.extras.get(self.name)
        earlier = self._made or (_load_kept(kept_at) if kept_at else {})
        writer = None
        shared = (repr(views.model.config), views.model.today, views.links.absolute("/"))
        made, files = {}, []
        for spec in feed_specs(views.model):
            covers = tuple(cover_enclosure(article.image, views.model.media, views.links) for article in spec.articles)
            for fmt in FORMATS:
                digest = feed_digest(shared, spec, fmt, covers)
                found = earlier.get((spec.path(fmt), fmt))
                if digest is not None and found is not None and found[0] == digest:
                    data = found[1]
                else:
                    if writer is None:
                        from generator.feedxml import FeedWriter   # feedgen and lxml: only to write one
                        writer = FeedWriter.for_model(views.model, views.links)
                    data = writer.render(spec, fmt)
                made[spec.path(fmt), fmt] = (digest, data)
                files.append(OutputFile(urls.output_path(spec.path(fmt)), data))
        if kept_at is not None and made != earlier:
            write_blob(kept_at, _kept_env(), made)
        self._made = made
        return files


def cover_enclosure(image: str, media: dict[str, Path], links) -> tuple[str, str, str] | None:
    """(absolute URL, byte length, MIME type) of a cover image. A remote image's length is
    unknown: 0, as the RSS Advisory Board's best practices ask."""
    if not image:
        return None
    mime = mimetypes.guess_type(urlsplit(image).path)[0]
    if not mime:
        return None
    path = media.get(image)
    length = path.stat().st_size if path is not None and path.is_file() else 0
    return links.absolute(image), str(length), mime


def feed_digest(shared: tuple, spec: FeedSpec, fmt: str, covers: tuple) -> str | None:
    """Everything a feed's bytes are made of (FeedWriter): the config (base URL, feed settings,
    organisation), the date, the spec, each article by its surface and body digests (a feed
    shows nothing else of it: see documents.BODY_FIELDS), the cover images' sizes on disk, and
    the code. None when an article has no surface digest (not made by the reader)."""
    if any(not article.surface for article in spec.articles):
        return None
    return digest_text(code_version(), repr(shared), fmt, repr(covers),
                       repr((spec.scope, spec.key, spec.name, spec.title, spec.description, spec.page)),
                       *(f"{a.path}\0{a.surface}\0{a.body_digest}" for a in spec.articles))


def _load_kept(path: Path) -> dict:
    kept = read_blob(path, _kept_env())
    return kept if isinstance(kept, dict) else {}


def _kept_env() -> str:
    return environment_key("feeds")


register(FeedsFeature())
