"""Rules across documents (categories, references, duplicates, media), each returning problems."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.config import SiteConfig
from generator.diagnostics import Diagnostic, ERROR, WARNING, did_you_mean
from generator.documents import Article, Campaign, Page
from generator.model import is_published, resolve_reference, slug_index
from generator import urls
from generator.urls import RESERVED
from generator.vietnamese import slugify

# Characters a published file's name cannot hold as written in a web address: a backslash (names
# unzipped from a Windows archive), the URL's own delimiters, and control characters.
UNPUBLISHABLE = set('\\#?%"<>') | {chr(c) for c in range(0x20)} | {"\x7f"}


def check_documents(articles: list[Article], pages: list[Page], campaigns: list[Campaign],
                    config: SiteConfig, media: set[str], today: dt.date, drafts: bool) -> list[Diagnostic]:
    """Every cross-file rule, run in full: nothing short-circuits."""
    return [
        *check_categories(articles, config),
        *check_duplicates(articles, pages, config),
        *check_related(articles, today, drafts),
        *check_campaign_refs(articles, campaigns),
        *check_media(articles, pages, campaigns, media),
        *check_media_names(media),
    ]


def _at(doc, key: str, severity: str, message: str, hint: str | None = None) -> Diagnostic:
    line = doc.key_lines.get(key) or doc.key_lines.get("")
    return Diagnostic(doc.path, line, severity, message, hint)


def check_categories(articles: list[Article], config: SiteConfig) -> list[Diagnostic]:
    keys = [c.key for c in config.categories]
    return [_at(a, "category", ERROR, f"unknown category '{a.category}'",
                did_you_mean(a.category, keys) or f"categories in site.yaml: {', '.join(keys)}")
            for a in articles if a.category not in keys]


def check_duplicates(articles: list[Article], pages: list[Page], config: SiteConfig) -> list[Diagnostic]:
    problems = []
    by_url: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_url[urls.article(article, config.permalinks.article)].append(article)
    for url, same in by_url.items():
        for article in same[1:]:
            problems.append(_at(article, "slug" if "slug" in article.key_lines else "title", ERROR,
                                f"two articles would be published at {url}: this one and {same[0].path}",
                                "give one of them a different 'slug:'"))
    taken = {c.key: "category" for c in config.categories} | {r: "reserved" for r in RESERVED}
    seen_pages: dict[str, Page] = {}
    for page in pages:
        if page.slug in taken:
            problems.append(_at(page, "slug", ERROR, f"page slug '{page.slug}' clashes with a {taken[page.slug]} URL",
                                "choose another 'slug:'"))
        elif page.slug in seen_pages:
            problems.append(_at(page, "slug", ERROR, f"page slug '{page.slug}' is also used by {seen_pages[page.slug].path}"))
        seen_pages.setdefault(page.slug, page)
    for category in config.categories:
        if category.key in RESERVED:
            problems.append(Diagnostic("site.yaml", config.lines.line("categories", category.key), ERROR,
                                       f"category key '{category.key}' is reserved for generated pages"))
    return problems


def missing_reference_hint(ref: str, by_slug: dict[str, list[Article]], by_key: dict[str, Article]) -> str | None:
    """The hint for an article reference that resolves to nothing: the right category when the
    slug exists under another one, else the closest slug or key."""
    bare = ref.rsplit("/", 1)[-1]
    if "/" in ref and bare in by_slug:
        return f"did you mean '{by_slug[bare][0].key}'?"
    return did_you_mean(ref, list(by_slug) + list(by_key))


def check_related(articles: list[Article], today: dt.date, drafts: bool) -> list[Diagnostic]:
    problems = []
    by_slug = slug_index(articles)
    by_key = {a.key: a for a in articles}
    for article in articles:
        for ref in article.related:
            found = resolve_reference(ref, by_slug, by_key)
            if not found:
                problems.append(_at(article, "related", ERROR, f"related article '{ref}' does not exist",
                                    missing_reference_hint(ref, by_slug, by_key)))
            elif len(found) > 1:
                choices = " or ".join(f"'{a.key}'" for a in found)
                problems.append(_at(article, "related", ERROR, f"related article '{ref}' is ambiguous",
                                    f"write {choices}"))
            elif not is_published(found[0], today, drafts):
                problems.append(_at(article, "related", WARNING,
                                    f"related article '{ref}' is a draft or not yet due; the link is left out until it is published"))
    return problems


def check_campaign_refs(articles: list[Article], campaigns: list[Campaign]) -> list[Diagnostic]:
    slugs = [c.slug for c in campaigns]
    return [_at(a, "campaign", ERROR, f"unknown campaign '{a.campaign}'",
                did_you_mean(a.campaign, slugs) or "campaigns are the file names in content/campaigns/")
            for a in articles if a.campaign and a.campaign not in slugs]


def check_media(articles, pages, campaigns, media: set[str]) -> list[Diagnostic]:
    """Every /media/ path used as a cover or in a body must exist under content/media/."""
    problems = []
    for doc in [*articles, *pages, *campaigns]:
        cover = getattr(doc, "image", "")
        if cover and cover.startswith("/media/") and cover not in media:
            problems.append(_at(doc, "image", ERROR, f"image '{cover}' not found",
                                did_you_mean(cover, media) or "put the file under content/media/"))
        for src in doc.images:
            path = src.split("#")[0].split("?")[0]
            if ".." in path.split("/"):
                problems.append(_at(doc, "image:" + src, ERROR, f"image path '{src}' climbs out of its folder ('..')",
                                    "write the full path of a file under content/media/, e.g. /media/anh/a.jpg"))
            elif path.startswith("/media/") and path not in media:
                problems.append(_at(doc, "image:" + src, ERROR, f"image '{src}' in the body not found",
                                    did_you_mean(path, media) or "put the file under content/media/"))
    return problems


def check_media_names(media: set[str]) -> list[Diagnostic]:
    """Every file under content/media/ must have a name a web address can carry."""
    problems = []
    for url in sorted(media):
        bad = sorted({c for c in url if c in UNPUBLISHABLE})
        if bad:
            name = url.rsplit("/", 1)[-1]
            stem, dot, extension = name.rpartition(".")
            better = (slugify(stem.replace("\\", " ")) or "tep") + dot + extension.lower() if dot else slugify(name)
            shown = ", ".join(f"'{c}'" if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
            problems.append(Diagnostic("content" + url, None, ERROR,
                                       f"the file name holds {shown}, which a web address cannot carry",
                                       f"rename the file, e.g. to '{better}'"))
    return problems
