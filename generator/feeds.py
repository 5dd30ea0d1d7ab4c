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

from pathlib import Path
from typing import TYPE_CHECKING

from generator import urls
from generator.cache import cache_folder, code_version, environment_key, read_blob, write_blob
from generator.features import register
from generator.feed_specs import FORMATS, FeedSpec, cover_enclosure, feed_links, feed_specs
from generator.fingerprint import digest_text
from generator.output import OutputFile
from generator.render_job import RenderJob

if TYPE_CHECKING:   # views import this module for page.feeds; import them only for type hints
    from generator.model import SiteModel
    from generator.views import Views

FEEDS_FILE = "feeds.pickle"


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
