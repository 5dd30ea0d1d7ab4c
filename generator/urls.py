"""Every URL and output-path rule, in one place. URLs here are site paths ("/thoi-su/x/");
the base path of a sub-path deploy is added when views are made (see `Links`)."""
from __future__ import annotations

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


def article(category_key: str, slug: str) -> str:
    return f"/{category_key}/{slug}/"


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


def output_path(url: str) -> str:
    """Where a URL's file lives in the output folder: "/a/b/" -> "a/b/index.html"."""
    path = url.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path
