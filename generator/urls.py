"""Every URL and output-path rule, in one place. URLs here are site paths ("/thoi-su/x/");
the base path of a sub-path deploy is added when views are made (see `Links`)."""
from __future__ import annotations

import re

from generator.vietnamese import slugify

PAGE_SEGMENT = "trang"
TAG_ROOT, AUTHOR_ROOT, SERIES_ROOT = "chu-de", "tac-gia", "chuyen-de"
CAMPAIGN_ROOT, HONOUR_ROOT, UNIT_ROOT = "phong-trao", "vinh-danh", "don-vi"
SEARCH_PAGE = "tim-kiem"
# Top-level path segments the generator owns; a category or page may not take them.
RESERVED = {TAG_ROOT, AUTHOR_ROOT, SERIES_ROOT, CAMPAIGN_ROOT, HONOUR_ROOT, UNIT_ROOT, SEARCH_PAGE,
            "media", "static", "rss", "pagefind"}


def paged(base: str, number: int) -> str:
    return base if number <= 1 else f"{base}{PAGE_SEGMENT}-{number}/"


def home() -> str:
    return "/"


def category(key: str, number: int = 1) -> str:
    return paged(f"/{key}/", number)


# An article's address, as site.yaml's `permalinks: {article: …}` writes it (config.ARTICLE_TOKENS).
ARTICLE_PATTERN = "/:category/:slug/"


def article(doc, pattern: str) -> str:
    """The address of an article (`category`, `slug`, `date`) by a permalink pattern:
    "/:category/:slug/" -> "/thoi-su/hoi-nghi/"; "/:year/:month/:slug/" -> "/2026/04/hoi-nghi/"."""
    if pattern == ARTICLE_PATTERN:          # the default, and by far the most common: no parsing
        return f"/{doc.category}/{doc.slug}/"
    date = doc.date
    return (pattern.replace(":year", f"{date.year:04d}").replace(":month", f"{date.month:02d}")
            .replace(":day", f"{date.day:02d}").replace(":category", doc.category).replace(":slug", doc.slug))


def tag(name: str, number: int = 1) -> str:
    return paged(f"/{TAG_ROOT}/{slugify(name)}/", number)


def author(name: str, number: int = 1) -> str:
    return paged(f"/{AUTHOR_ROOT}/{slugify(name)}/", number)


def series(name: str, number: int = 1) -> str:
    return paged(f"/{SERIES_ROOT}/{slugify(name)}/", number)


def page(slug: str) -> str:
    return f"/{slug}/"


def campaigns() -> str:
    return f"/{CAMPAIGN_ROOT}/"


def campaign(slug: str, number: int = 1) -> str:
    return paged(f"/{CAMPAIGN_ROOT}/{slug}/", number)


# Honour rolls: a roll's entries can be browsed by these facets without JavaScript.
HONOUR_FACETS = {"unit": "don-vi", "locality": "dia-phuong", "award": "danh-hieu"}


def honours() -> str:
    return f"/{HONOUR_ROOT}/"


def honour_roll(slug: str, number: int = 1) -> str:
    return paged(f"/{HONOUR_ROOT}/{slug}/", number)


def honour_facets(slug: str, facet: str) -> str:
    return f"/{HONOUR_ROOT}/{slug}/{HONOUR_FACETS[facet]}/"


def honour_facet(slug: str, facet: str, value_slug: str, number: int = 1) -> str:
    return paged(f"/{HONOUR_ROOT}/{slug}/{HONOUR_FACETS[facet]}/{value_slug}/", number)


def honour_data(slug: str) -> str:
    """The roll's entries as JSON, for live filtering across every page of a long roll."""
    return f"/{HONOUR_ROOT}/{slug}/danh-sach.json"


def units() -> str:
    return f"/{UNIT_ROOT}/"


def unit(slug: str) -> str:
    return f"/{UNIT_ROOT}/{slug}/"


def search() -> str:
    return f"/{SEARCH_PAGE}/"


def feeds_page() -> str:
    """The page listing every feed of the site."""
    return "/rss/"


def feed(fmt: str, scope: str = "site", key: str = "") -> str:
    """A feed file; `fmt` is "rss" or "atom", `scope` "site", "category" or "campaign":
    "/rss.xml", "/<category>/atom.xml", "/phong-trao/<slug>/rss.xml"."""
    folder = {"site": "/", "category": f"/{key}/", "campaign": f"/{CAMPAIGN_ROOT}/{key}/"}[scope]
    return f"{folder}{fmt}.xml"


def sitemap(number: int = 0) -> str:
    """The sitemap (or, past the URL limit, the sitemap index) and its numbered parts."""
    return "/sitemap.xml" if number == 0 else f"/sitemap-{number}.xml"


_ALIAS_SEGMENT = re.compile(r"^(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+$")


def alias(value: str) -> tuple[str, str]:
    """An old address (`aliases:`) as a site path, and "" or why it cannot be one.

    "/tin-cu/bai-viet" is taken as the folder "/tin-cu/bai-viet/"; a name with an extension
    ("/tin/123.html") is served as that file. A static host cannot tell queries apart, and the
    path must stay inside the output folder."""
    text = value.strip()
    if not text.startswith("/") or text.startswith("//"):
        return "", "an old address must be a path on this site starting with one '/', e.g. /tin-tuc/bai-cu/"
    if "?" in text or "#" in text:
        return "", "a static site cannot redirect an address with '?' or '#'"
    segments = text.strip("/").split("/") if text.strip("/") else []
    if not segments:
        return "", "the home page cannot be an old address"
    for segment in segments:
        if segment in (".", "..") or not _ALIAS_SEGMENT.match(segment):
            return "", (f"'{segment}' cannot be part of an address: write letters, digits, '-', '_', '.' "
                        "(other characters percent-encoded)")
        if len(segment) > 255:
            return "", "a part of the address is longer than 255 characters"
    if text.endswith("/") or "." not in segments[-1]:
        return "/" + "/".join(segments) + "/", ""
    return "/" + "/".join(segments), ""


def output_path(url: str) -> str:
    """Where a URL's file lives in the output folder: "/a/b/" -> "a/b/index.html"."""
    path = url.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


def page_url(output_path: str) -> str:
    """The site path of a page's output file, the inverse of `output_path`: "a/b/index.html" -> "/a/b/"."""
    if output_path == "index.html" or output_path.endswith("/index.html"):
        return "/" + output_path[: -len("index.html")]
    return "/" + output_path


class PageURLs:
    """The site paths of pages held as their output paths: `url in PageURLs(paths)` is
    `url in {page_url(p) for p in paths}`, without making every URL."""

    def __init__(self, output_paths):
        self.paths = output_paths          # a set or a dict's keys: membership is what is asked

    def __contains__(self, url: str) -> bool:
        if not url.startswith("/"):
            return False
        rel = url[1:]
        if rel == "" or rel.endswith("/"):
            return rel + "index.html" in self.paths
        return rel != "index.html" and not rel.endswith("/index.html") and rel in self.paths

    def __iter__(self):
        return (page_url(path) for path in self.paths)
