"""What the site's feeds hold, before either format is written (a pure function of the model),
and the feed links every page announces."""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator import urls
from generator.documents import Article
from generator.model import SiteModel

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


def feed_links(views, scope: str = "site", key: str = "") -> list[dict]:
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


def page_feeds(views, kind: str, path: str) -> list[dict]:
    """Feeds a page announces: a category or campaign page its own, every other page the site's."""
    parts = path.strip("/").split("/")
    if kind == "category" and views.config.category(parts[0]):
        return feed_links(views, "category", parts[0])
    if kind == "campaign" and len(parts) > 1 and parts[0] == urls.CAMPAIGN_ROOT \
            and any(c.slug == parts[1] for c in views.model.campaigns):
        return feed_links(views, "campaign", parts[1])
    return feed_links(views, "site")
