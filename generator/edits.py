"""Body edits: a build whose inputs differ from the last one's only in article bodies.

This is the editor's everyday save, and the one case where most of a build is known in advance.
Every page but an article's own shows the article only through its *surface* (documents.
surface_digest: title, date, sapo, image, category, tags… never the body), and so do the
sitemap, the menus and every other article's page. When the *plan key* of this build (every
input of the page plan but article bodies: code, templates, config, the date, every non-article
source, every article's surface, the shared view data) equals the last build's, every page but
the edited articles' own ones would get the same fingerprint again. So they are not planned at
all: their manifest entries are carried over, and only the edited articles' pages are planned,
fingerprinted and rendered. Feeds (which may carry bodies) are made again; the search index has
its own per-part keys.

Anything the key does not vouch for takes the full path: the first build into a folder, a
damaged file in it, any change of surface, a page or campaign edited, a new or deleted article.
The incremental-equals-clean tests (tests/test_incremental*.py) hold both paths to the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator import urls
from generator.documents import Article
from generator.fingerprint import digest_text
from generator.output import Entry, Manifest

PLAN_KEY = "plan_key"          # manifest.summary keys
ARTICLE_DIGESTS = "article_digests"
LINK_WARNINGS = "link_warnings"


@dataclass(frozen=True)
class BodyEdit:
    """The articles whose bodies changed since the last build, and the pages it keeps."""

    articles: tuple[Article, ...]     # edited and published: their pages are planned again
    kept: dict[str, Entry]            # every other page and generated file of the last build
    changed: frozenset[str]           # paths of every article whose bytes changed (drafts too)
    link_warnings: tuple               # the last build's link diagnostics (see carried_link_warnings)


def model_key(docs, ctx) -> str | None:
    """Every input of the site model but article bodies: the config, the date, the options, the
    media, every non-article source and every article's surface. None if a surface is unknown."""
    if any(not a.surface for a in docs.articles):
        return None
    surfaces = {a.path: a.surface for a in docs.articles}
    return digest_text("model", repr(ctx.config), ctx.today.isoformat(), repr(ctx.options), repr(sorted(ctx.media)),
                       *(f"{path}:{surfaces.get(path) or digest}" for path, digest in sorted(docs.digests.items())))


def plan_key(shared: str | None, model: str | None, static_files: list[str]) -> str | None:
    """Every input of the page plan but article bodies: the model's (`model_key`), what every
    page shares (`shared`, the fingerprints' digest: code, templates, globals, image catalogue)
    and the theme's static files, which body links may point to (the link warnings carried on
    the short path must stay true). None when pages have no fingerprints."""
    if shared is None or model is None:
        return None
    return digest_text("plan", shared, model, *sorted(static_files))


def find_body_edit(previous: Manifest | None, damaged: set[str], key: str | None, docs,
                   published: set[str], pattern: str) -> BodyEdit | None:
    """A BodyEdit when this build may take the short path (see the module's docstring), else None.

    `published`: keys of the articles the model publishes; `pattern` their permalink pattern."""
    if previous is None or key is None or damaged or previous.summary.get(PLAN_KEY) != key:
        return None
    before = previous.summary.get(ARTICLE_DIGESTS)
    if not isinstance(before, dict):
        return None
    now = docs.article_digests()
    if set(before) != set(now):
        return None
    links = previous.summary.get(LINK_WARNINGS)
    if not isinstance(links, tuple):
        return None
    changed = frozenset(path for path in now if before[path] != now[path])
    edited = tuple(a for a in docs.articles if a.path in changed and a.key in published)
    replanned = {urls.output_path(urls.article(a, pattern)) for a in edited}
    kept = {path: entry for path, entry in previous.entries.items()
            if entry.origin in ("page", "file") and path not in replanned}
    return BodyEdit(edited, kept, changed, links)


def carried_link_warnings(edit: BodyEdit) -> list:
    """The last build's link diagnostics of the documents this build did not change: a link's
    verdict depends on the document's links and the site's pages, files and held-back articles,
    none of which changed on this path, so only the changed documents are checked again."""
    return [d for d in edit.link_warnings if d.path not in edit.changed]


def remember_plan(summary: dict, key: str | None, docs, link_warnings: list) -> None:
    """Note in the manifest what the next build compares against."""
    if key is None:
        for name in (PLAN_KEY, ARTICLE_DIGESTS, LINK_WARNINGS):
            summary.pop(name, None)
        return
    summary[PLAN_KEY] = key
    summary[ARTICLE_DIGESTS] = docs.article_digests()
    summary[LINK_WARNINGS] = tuple(link_warnings)
