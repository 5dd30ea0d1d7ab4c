"""sitemap.xml and robots.txt: entries are computed from the page plan, then written as XML.

Every planned HTML page is listed except the 404 page and the search page (its content is made in
the reader's browser). `lastmod` is an article's update (or publication) time, a listing's newest
article, and left out for pages that carry no date. Past 50,000 URLs (the sitemaps.org limit) the
list is split into /sitemap-1.xml, /sitemap-2.xml … and /sitemap.xml becomes their index.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterable

from generator import urls
from generator.output import OutputFile

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
DATE_KEYS = ("date_iso", "updated_iso")


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str                 # absolute URL
    lastmod: str | None      # W3C datetime, e.g. 2026-06-18T16:00:00+07:00


def sitemap_entries(page_urls: Iterable[str], lastmods: Iterable[str | None], links) -> list[SitemapEntry]:
    """One entry per planned HTML page, in plan order: its URL and its page_lastmod."""
    skipped = {urls.search()}
    entries = []
    for url, lastmod in zip(page_urls, lastmods, strict=True):
        if not url.endswith("/") or url in skipped:
            continue
        entries.append(SitemapEntry(links.absolute(url), lastmod))
    return entries


def page_lastmod(context: dict) -> str | None:
    """An article page's own update time; for any other page the newest date it shows."""
    article = context.get("article")
    if isinstance(article, dict) and article.get("date_iso"):
        return article.get("updated_iso") or article["date_iso"]
    return _newest(_dates(context))


def _dates(value) -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in DATE_KEYS and isinstance(item, str) and item:
                yield item
            elif isinstance(item, (dict, list, tuple)):
                yield from _dates(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _dates(item)


def _newest(stamps: Iterable[str]) -> str | None:
    best, best_key = None, None
    for stamp in stamps:
        try:
            key = dt.datetime.fromisoformat(stamp)
        except ValueError:
            continue
        if key.tzinfo is None:
            key = key.replace(tzinfo=dt.timezone.utc)
        if best_key is None or key > best_key:
            best, best_key = stamp, key
    return best


def sitemap_files(entries: list[SitemapEntry], links, max_urls: int = MAX_URLS) -> list[OutputFile]:
    """sitemap.xml alone, or numbered parts and an index when there are more than `max_urls`."""
    if len(entries) <= max_urls:
        return [OutputFile(urls.output_path(urls.sitemap()), urlset_xml(entries))]
    files, parts = [], []
    for number, start in enumerate(range(0, len(entries), max_urls), 1):
        chunk = entries[start:start + max_urls]
        path = urls.sitemap(number)
        files.append(OutputFile(urls.output_path(path), urlset_xml(chunk)))
        parts.append(SitemapEntry(links.absolute(path), _newest(e.lastmod for e in chunk if e.lastmod)))
    files.append(OutputFile(urls.output_path(urls.sitemap()), index_xml(parts)))
    return files


def urlset_xml(entries: list[SitemapEntry]) -> bytes:
    root = ET.Element("urlset", xmlns=NAMESPACE)
    for entry in entries:
        _entry(ET.SubElement(root, "url"), entry)
    return _serialise(root)


def index_xml(parts: list[SitemapEntry]) -> bytes:
    root = ET.Element("sitemapindex", xmlns=NAMESPACE)
    for part in parts:
        _entry(ET.SubElement(root, "sitemap"), part)
    return _serialise(root)


def _entry(element: ET.Element, entry: SitemapEntry) -> None:
    ET.SubElement(element, "loc").text = entry.loc
    if entry.lastmod:
        ET.SubElement(element, "lastmod").text = entry.lastmod


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(links) -> OutputFile:
    """robots.txt naming the sitemap. Crawlers read it only at a host's root: on a sub-path
    deploy (https://host/ldld/) copy its lines into the host's own /robots.txt."""
    lines = [
        "User-agent: *",
        f"Disallow: {links.href(urls.search())}",
        "",
        f"Sitemap: {links.absolute(urls.sitemap())}",
    ]
    return OutputFile("robots.txt", ("\n".join(lines) + "\n").encode("utf-8"))


def site_files(page_urls: list[str], lastmods: list[str | None], views) -> list[OutputFile]:
    """The pipeline's one call: sitemap file(s) and robots.txt for the planned pages."""
    return [*sitemap_files(sitemap_entries(page_urls, lastmods, views.links), views.links), robots_txt(views.links)]
