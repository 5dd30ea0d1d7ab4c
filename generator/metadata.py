"""schema.org structured data (JSON-LD) for search engines: NewsArticle and BreadcrumbList.

Pure functions from view data to plain dicts; base.html's `_head_meta.html` writes each one as
<script type="application/ld+json"> with Jinja's `tojson`, which escapes "<", ">" and "&".
"""
from __future__ import annotations

from generator.config import SiteConfig

CONTEXT = "https://schema.org"
# Google shows at most this many characters of a NewsArticle headline.
HEADLINE_LIMIT = 110


def absolute(config: SiteConfig, href: str) -> str:
    """A site href ("/ldld/x/", already carrying the base path) as an absolute URL."""
    if href.startswith(("http://", "https://")):
        return href
    return config.origin + href


def organisation(config: SiteConfig) -> dict:
    data = {"@type": "Organization", "name": config.organisation.name or config.title,
            "url": config.base_url}
    if config.organisation.email:
        data["email"] = config.organisation.email
    if config.organisation.address:
        data["address"] = config.organisation.address
    return data


def breadcrumb_list(config: SiteConfig, crumbs: list[dict], title: str, canonical: str) -> dict:
    """The trail above a page ({name, url} hrefs) followed by the page itself."""
    items = [{"name": c["name"], "item": absolute(config, c["url"])} for c in crumbs]
    items.append({"name": title, "item": canonical})
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": n, **item} for n, item in enumerate(items, 1)],
    }


def news_article(config: SiteConfig, article: dict, page: dict) -> dict:
    """NewsArticle from an article's view (`Views.article()["article"]`) and its page meta."""
    headline = article["title"]
    if len(headline) > HEADLINE_LIMIT:
        headline = headline[:HEADLINE_LIMIT - 1].rstrip() + "…"
    authors = [{"@type": "Person", "name": a["name"], "url": absolute(config, a["url"])}
               for a in article["authors"]] or [organisation(config)]
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": headline,
        "description": article["sapo"],
        "datePublished": article["date_iso"],
        "dateModified": article["updated_iso"] or article["date_iso"],
        "author": authors,
        "publisher": organisation(config),
        "mainEntityOfPage": {"@type": "WebPage", "@id": page["canonical"]},
        "url": page["canonical"],
        "articleSection": article["category"]["name"],
        "inLanguage": config.language,
    }
    if page.get("image"):
        data["image"] = [page["image"]]
    if article["tags"]:
        data["keywords"] = [t["name"] for t in article["tags"]]
    return data
