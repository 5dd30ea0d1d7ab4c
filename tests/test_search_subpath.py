"""Deploying under a sub-path: every link, asset, feed and search result works under /ldld/."""
from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import SITES, build

SITE_URL = "https://binhson.example.vn/ldld/"
# Where pages point at other resources; srcset holds several URLs.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "srcset",
                   "video": "src", "iframe": "src", "form": "action"}


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site") / "discovery"
    shutil.copytree(SITES / "discovery", site)
    out = tmp_path_factory.mktemp("out") / "output"
    report = build(site, out, base_url=SITE_URL)
    assert report.ok, "\n".join(d.format() for d in report.diagnostics)
    return out


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def page_links(soup: BeautifulSoup) -> list[str]:
    found = []
    for tag, attribute in LINK_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if not value:
                continue
            if attribute == "srcset":
                found += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
            else:
                found.append(value)
    bundle = soup.find(attrs={"data-bundle": True})
    if bundle:
        found.append(bundle["data-bundle"] + "parts.json")     # the index parts the search page loads
    return found


def crawl(start: str) -> tuple[dict[str, BeautifulSoup], list[str], set[str]]:
    """Every page reachable from `start` on the local server: pages, broken links, feed URLs."""
    origin = f"{urlsplit(start).scheme}://{urlsplit(start).netloc}"
    local_base = start
    pages: dict[str, BeautifulSoup] = {}
    broken: list[str] = []
    feeds: set[str] = set()
    checked: dict[str, bool] = {}
    queue = [start]
    anchors: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        status, kind, body = fetch(url)
        if status != 200:
            broken.append(f"{url} ({status})")
            continue
        soup = BeautifulSoup(body, "html.parser")
        pages[url] = soup
        for link in page_links(soup):
            if link.startswith(("mailto:", "tel:", "javascript:")):
                continue
            if link.startswith(SITE_URL):                    # production URLs: check the local copy
                link = local_base + link[len(SITE_URL):]
            target = urljoin(url, link)
            if not target.startswith(origin):
                continue                                     # another site (share buttons, video)
            if not urlsplit(target).path.startswith("/ldld/"):
                broken.append(f"{target} (outside /ldld/, linked from {url})")
                continue
            target, fragment = urldefrag(target)
            if fragment:
                anchors.append((target, fragment, url))
            if target.endswith((".xml",)):
                feeds.add(target)
            if target.endswith("/"):
                queue.append(target)
            elif target not in checked:
                checked[target] = fetch(target)[0] == 200
                if not checked[target]:
                    broken.append(f"{target} (linked from {url})")
    for target, fragment, source in anchors:
        soup = pages.get(target)
        if soup is not None and soup.find(id=fragment) is None:
            broken.append(f"{target}#{fragment} (no such id, linked from {source})")
    return pages, broken, feeds


def test_sub_path_site_has_no_broken_internal_link(served, output):
    start = served(output, "/ldld/")
    pages, broken, feeds = crawl(start)
    assert not broken, "\n".join(broken)
    assert len(pages) > 20
    assert {start + "tim-kiem/", start + "rss/", start + "thoi-su/"} <= set(pages)
    assert {start + "rss.xml", start + "atom.xml", start + "thoi-su/rss.xml"} <= feeds


def test_sub_path_feeds_point_into_the_sub_path(served, output):
    start = served(output, "/ldld/")
    for rel in ("rss.xml", "atom.xml", "phong-trao/thi-dua-nam-2026/rss.xml"):
        feed = feedparser.parse(fetch(start + rel)[2])
        assert not feed.bozo
        assert feed.feed.link.startswith(SITE_URL)
        for entry in feed.entries:
            assert entry.link.startswith(SITE_URL)
            assert entry.id.startswith("tag:binhson.example.vn,2026-") and ":ldld/" in entry.id
            assert fetch(start + entry.link[len(SITE_URL):])[0] == 200
            for enclosure in entry.get("enclosures", []):
                assert fetch(start + enclosure.href[len(SITE_URL):])[0] == 200
            for content in entry.get("content", []):
                soup = BeautifulSoup(content.value, "html.parser")
                for element in soup.find_all(["a", "img"]):
                    url = element.get("href") or element.get("src")
                    assert url.startswith(SITE_URL), url


def test_sitemap_and_robots_under_the_sub_path(output):
    assert f"Sitemap: {SITE_URL}sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /ldld/tim-kiem/" in (output / "robots.txt").read_text(encoding="utf-8")
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}</loc>" in sitemap and "<loc>https://binhson.example.vn/thoi-su/" not in sitemap


@pytest.mark.browser
def test_search_results_work_under_the_sub_path(browser, served, output):
    start = served(output, "/ldld/")
    page = browser.new_page()
    requests: list[str] = []
    page.on("requestfinished", lambda request: requests.append(request.url))
    page.goto(start)
    page.fill("#o-tim-kiem", "cong doan")
    page.press("#o-tim-kiem", "Enter")
    page.wait_for_selector("[data-search][data-state=done]")
    hrefs = page.eval_on_selector_all(".search-result a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("/ldld/") for h in hrefs), hrefs
    assert any("/ldld/pagefind/" in url for url in requests)
    page.click(".search-result a")
    page.wait_for_load_state()
    assert page.url.startswith(start) and page.title() != ""
    assert page.inner_text("h1")
    page.close()
