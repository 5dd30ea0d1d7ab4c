"""Metadata for search engines and social sites: Open Graph, Twitter cards, JSON-LD, sitemap, robots."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.sitemap import SitemapEntry, page_lastmod, sitemap_files

BASE = "https://binhson.example.vn/"
ARTICLE = "hoat-dong-cong-doan/cong-doan-co-so-nha-may-gach-binh-son-to-chuc-dai-hoi-nhiem-ky-moi/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def output(discovery_output) -> Path:
    return discovery_output


def page(output: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((output / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def structured(soup: BeautifulSoup) -> dict[str, dict]:
    found = {}
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        found[data["@type"]] = data
    return found


def test_article_has_open_graph_and_twitter_card(output):
    soup = page(output, ARTICLE)
    assert soup.html["lang"] == "vi"
    assert soup.find("link", rel="canonical")["href"] == BASE + ARTICLE
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "Công đoàn cơ sở Nhà máy Gạch Bình Sơn tổ chức Đại hội nhiệm kỳ mới"
    assert meta(soup, "og:description").startswith("Đại hội Công đoàn cơ sở Nhà máy Gạch")
    assert meta(soup, "og:url") == BASE + ARTICLE
    assert meta(soup, "og:image").startswith(BASE)
    assert meta(soup, "article:published_time") == "2026-10-05T08:00:00+07:00"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:title") == meta(soup, "og:title")
    assert meta(soup, "twitter:image") == meta(soup, "og:image")


def test_article_has_news_article_and_breadcrumb_json_ld(output):
    data = structured(page(output, ARTICLE))
    news = data["NewsArticle"]
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == "Công đoàn cơ sở Nhà máy Gạch Bình Sơn tổ chức Đại hội nhiệm kỳ mới"
    assert news["datePublished"] == news["dateModified"] == "2026-10-05T08:00:00+07:00"
    assert [a["name"] for a in news["author"]] == ["Lê Hằng", "Võ Minh"]
    assert all(a["url"].startswith(BASE + "tac-gia/") for a in news["author"])
    assert news["image"][0].startswith(BASE)
    assert news["publisher"] == {"@type": "Organization", "name": "Liên đoàn Lao động huyện Bình Sơn",
                                 "url": BASE, "email": "toasoan@binhson.example.vn",
                                 "address": "Số 9 đường Trần Phú, huyện Bình Sơn"}
    assert news["mainEntityOfPage"]["@id"] == BASE + ARTICLE
    trail = data["BreadcrumbList"]["itemListElement"]
    assert [item["position"] for item in trail] == list(range(1, len(trail) + 1))
    assert trail[0]["item"] == BASE and trail[-1]["item"] == BASE + ARTICLE
    assert "Hoạt động Công đoàn" in [item["name"] for item in trail]


def test_updated_article_reports_its_modification_date(output):
    news = structured(page(output, "thoi-su/tuyen-duong-50-cong-nhan-gioi-nam-2026"))["NewsArticle"]
    assert news["dateModified"] == "2026-09-21T09:00:00+07:00"
    assert news["datePublished"] == "2026-09-20T15:30:00+07:00"


def test_other_pages_are_websites_with_their_own_description(output):
    soup = page(output, "nu-cong")
    assert meta(soup, "og:type") == "website"
    assert meta(soup, "twitter:card") == "summary"
    assert "NewsArticle" not in structured(soup)
    assert structured(soup)["BreadcrumbList"]["itemListElement"][-1]["item"] == BASE + "nu-cong/"


def sitemap_urls(output: Path) -> dict[str, str | None]:
    root = ET.parse(output / "sitemap.xml").getroot()
    return {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in root.findall("s:url", NS)}


def test_sitemap_lists_every_page_with_lastmod(output):
    urls = sitemap_urls(output)
    assert urls[BASE + ARTICLE] == "2026-10-05T08:00:00+07:00"
    assert urls[BASE + "thoi-su/tuyen-duong-50-cong-nhan-gioi-nam-2026/"] == "2026-09-21T09:00:00+07:00"
    assert urls[BASE] == "2026-10-05T08:00:00+07:00", "a listing's newest article"
    assert BASE + "phong-trao/thi-dua-nam-2026/" in urls
    assert BASE + "gioi-thieu/" in urls
    assert BASE + "tim-kiem/" not in urls and not any(u.endswith("404.html") for u in urls)
    for url in urls:
        rel = url.removeprefix(BASE)
        assert (output / rel / "index.html").is_file(), url


def test_robots_txt_names_the_sitemap(output):
    lines = (output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines


def test_sitemap_splits_into_an_index_past_the_limit():
    class Links:
        def absolute(self, path):
            return "https://h.vn" + path
    entries = [SitemapEntry(f"https://h.vn/{n}/", f"2026-01-0{n}T00:00:00+07:00") for n in range(1, 6)]
    files = {f.path: f.data for f in sitemap_files(entries, Links(), max_urls=2)}
    assert set(files) == {"sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"}
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    parts = [(s.findtext("s:loc", namespaces=NS), s.findtext("s:lastmod", namespaces=NS))
             for s in index.findall("s:sitemap", NS)]
    assert parts == [("https://h.vn/sitemap-1.xml", "2026-01-02T00:00:00+07:00"),
                     ("https://h.vn/sitemap-2.xml", "2026-01-04T00:00:00+07:00"),
                     ("https://h.vn/sitemap-3.xml", "2026-01-05T00:00:00+07:00")]
    third = ET.fromstring(files["sitemap-3.xml"])
    assert [u.findtext("s:loc", namespaces=NS) for u in third.findall("s:url", NS)] == ["https://h.vn/5/"]


def test_lastmod_rules():
    article = {"article": {"date_iso": "2026-01-01T08:00:00+07:00", "updated_iso": None},
               "newer": [{"date_iso": "2026-05-01T08:00:00+07:00"}]}
    assert page_lastmod(article) == "2026-01-01T08:00:00+07:00", "an article's own date, not its neighbours'"
    listing = {"listing": {"articles": [{"date_iso": "2026-02-01T08:00:00+07:00"},
                                        {"date_iso": "2026-03-01T01:00:00+07:00"}]}}
    assert page_lastmod(listing) == "2026-03-01T01:00:00+07:00"
    assert page_lastmod({"content": {"title": "Giới thiệu"}}) is None
