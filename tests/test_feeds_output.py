"""RSS and Atom feeds of a fixture site, read back with feedparser, jing and BeautifulSoup."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import SITES, build

BASE = "https://binhson.example.vn/"
ATOM_SCHEMA = Path(__file__).parent / "schemas" / "atom.rnc"   # RFC 4287 Appendix B
FEEDS = ["rss.xml", "atom.xml", "thoi-su/rss.xml", "thoi-su/atom.xml", "hoat-dong-cong-doan/rss.xml",
         "hoat-dong-cong-doan/atom.xml", "nu-cong/rss.xml", "nu-cong/atom.xml", "van-hoa/rss.xml",
         "phong-trao/thi-dua-nam-2026/rss.xml", "phong-trao/thi-dua-nam-2026/atom.xml"]


@pytest.fixture(scope="module")
def output(discovery_output) -> Path:
    return discovery_output


def parse(output: Path, rel: str):
    feed = feedparser.parse((output / rel).read_bytes())
    assert not feed.bozo, f"{rel}: {feed.get('bozo_exception')}"
    return feed


@pytest.mark.parametrize("rel", FEEDS)
def test_every_feed_parses_cleanly_with_complete_entries(output, rel):
    feed = parse(output, rel)
    assert feed.version == ("atom10" if rel.endswith("atom.xml") else "rss20")
    assert feed.feed.title and feed.feed.link.startswith(BASE)
    assert feed.entries, f"{rel} has no entries"
    for entry in feed.entries:
        assert entry.title
        assert entry.link.startswith(BASE) and entry.link.endswith("/")
        assert entry.id.startswith("tag:binhson.example.vn,2026-")
        assert entry.published_parsed
        assert entry.summary
        assert {t.term for t in entry.tags}, "category and tags"
    offset = "+07:00" if rel.endswith("atom.xml") else "+0700"
    assert all(offset in e.published for e in feed.entries)


def test_entry_carries_author_categories_tags_enclosure_and_dates(output):
    for rel in ("rss.xml", "atom.xml"):
        feed = parse(output, rel)
        entry = next(e for e in feed.entries if e.title.startswith("Công đoàn cơ sở Nhà máy Gạch"))
        assert entry.link == BASE + "hoat-dong-cong-doan/cong-doan-co-so-nha-may-gach-binh-son-to-chuc-dai-hoi-nhiem-ky-moi/"
        assert [a.name for a in entry.authors] == ["Lê Hằng", "Võ Minh"]
        assert [t.term for t in entry.tags] == ["Hoạt động Công đoàn", "Đại hội", "Đoàn viên"]
        assert entry.summary.startswith("Đại hội Công đoàn cơ sở Nhà máy Gạch Bình Sơn bầu")
        assert entry.published.startswith(("Mon, 05 Oct 2026 08:00:00 +0700", "2026-10-05T08:00:00+07:00"))
        [enclosure] = entry.enclosures
        media = SITES / "discovery" / "content" / "media" / "anh" / "dai-hoi.jpg"
        assert enclosure.href == BASE + "media/anh/dai-hoi.jpg"
        assert int(enclosure.length) == media.stat().st_size
        assert enclosure.type == "image/jpeg"
    atom = parse(output, "atom.xml")
    updated = next(e for e in atom.entries if e.title.startswith("Tuyên dương"))
    assert updated.updated == "2026-09-21T09:00:00+07:00"
    assert updated.published == "2026-09-20T15:30:00+07:00"


def test_full_content_has_every_link_and_image_absolute(output):
    for rel in ("rss.xml", "atom.xml"):
        entry = next(e for e in parse(output, rel).entries if e.title.startswith("Công đoàn cơ sở"))
        body = BeautifulSoup(entry.content[0].value, "html.parser")
        assert "Sáng 5/10, hơn 120 đoàn viên dự Đại hội" in body.get_text()
        assert body.find("p").get_text().startswith("(CĐBS)"), "the lead opens the full content"
        links = [a["href"] for a in body.find_all("a", href=True)]
        sources = [img["src"] for img in body.find_all("img", src=True)]
        assert sources and links
        assert all(u.startswith(BASE) for u in links + sources), links + sources
        assert BASE + "thoi-su/tuyen-duong-50-cong-nhan-gioi-nam-2026/" in links
        article = BASE + "hoat-dong-cong-doan/cong-doan-co-so-nha-may-gach-binh-son-to-chuc-dai-hoi-nhiem-ky-moi/"
        assert any(u.startswith(article + "#fn") for u in links), "footnote links point into the article"


def test_feed_length_and_what_is_left_out(output):
    site = parse(output, "rss.xml")
    assert len(site.entries) == 4, "feeds.length in site.yaml"
    titles = [e.title for e in site.entries]
    assert titles[0].startswith("Công đoàn cơ sở"), "newest first"
    assert not any("hẹn giờ" in t for t in titles), "a future article is held back"
    category = parse(output, "hoat-dong-cong-doan/rss.xml")
    assert {e.title for e in category.entries} == {
        "Công đoàn cơ sở Nhà máy Gạch Bình Sơn tổ chức Đại hội nhiệm kỳ mới", "Hội thi áo dài nữ công nhân"}, \
        "a parent category's feed holds its children's articles"
    campaign = parse(output, "phong-trao/thi-dua-nam-2026/rss.xml")
    assert len(campaign.entries) == 2
    assert campaign.feed.link == BASE + "phong-trao/thi-dua-nam-2026/"


def test_summary_mode_leaves_the_body_out(tmp_path):
    site = tmp_path / "discovery"
    shutil.copytree(SITES / "discovery", site)
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("full_content: true", "full_content: false"),
                      encoding="utf-8")
    report = build(site, tmp_path / "out")
    assert report.ok
    for rel in ("rss.xml", "atom.xml"):
        feed = parse(tmp_path / "out", rel)
        assert all("content" not in e for e in feed.entries)
        assert all(e.summary for e in feed.entries)


def test_atom_feeds_validate_against_rfc4287_schema(output):
    if shutil.which("jing") is None or not ATOM_SCHEMA.is_file():
        message = f"needs jing (apt-get install jing) and the kit's RFC 4287 schema at {ATOM_SCHEMA}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    files = [str(output / rel) for rel in FEEDS if rel.endswith("atom.xml")]
    result = subprocess.run(["jing", "-c", str(ATOM_SCHEMA), *files], capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if line.strip()]
    assert result.returncode == 0 and not errors, "\n".join(errors)


def page(output: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((output / rel).read_text(encoding="utf-8"), "html.parser")


def alternates(soup: BeautifulSoup) -> list[tuple[str, str]]:
    return [(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate")]


def test_pages_announce_their_feeds_for_autodiscovery(output):
    assert alternates(page(output, "index.html")) == [
        ("application/rss+xml", BASE + "rss.xml"), ("application/atom+xml", BASE + "atom.xml")]
    assert alternates(page(output, "nu-cong/index.html")) == [
        ("application/rss+xml", BASE + "nu-cong/rss.xml"), ("application/atom+xml", BASE + "nu-cong/atom.xml")]
    assert alternates(page(output, "phong-trao/thi-dua-nam-2026/index.html"))[0] == (
        "application/rss+xml", BASE + "phong-trao/thi-dua-nam-2026/rss.xml")
    for _type, href in alternates(page(output, "nu-cong/index.html")):
        assert (output / href.removeprefix(BASE)).is_file()


def test_category_page_shows_a_visible_feed_link(output):
    links = page(output, "thoi-su/index.html").select(".feed-links a")
    assert [a["href"] for a in links] == ["/thoi-su/rss.xml", "/thoi-su/atom.xml", "/rss/"]


def test_feeds_page_lists_every_feed(output):
    soup = page(output, "rss/index.html")
    listed = {a["href"].lstrip("/") for a in soup.select(".feed-formats a")}
    written = {p.relative_to(output).as_posix() for p in output.rglob("*.xml") if p.name in ("rss.xml", "atom.xml")}
    assert listed == written
    assert set(FEEDS) <= written


def test_feeds_follow_edits_and_cover_sizes_between_builds_of_one_process(copy_site, tmp_path):
    """The feeds feature keeps each feed's bytes for the next build (serve); a changed entry or
    a cover image of another size must still show, and untouched feeds stay the same bytes."""
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    before = {rel: (out / rel).read_bytes() for rel in FEEDS}
    article = site / "content/articles/2026/dai-hoi-cong-doan-co-so.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: ", "title: Tin nóng – ", 1), encoding="utf-8")
    cover = site / "content/media/anh/dai-hoi.jpg"
    cover.write_bytes(cover.read_bytes() + b"\0" * 1000)
    assert build(site, out).ok
    for rel in ("rss.xml", "atom.xml"):
        entry = next(e for e in parse(out, rel).entries if "Nhà máy Gạch" in e.title)
        assert entry.title.startswith("Tin nóng – ")
        assert int(entry.enclosures[0].length) == cover.stat().st_size
    assert (out / "van-hoa/rss.xml").read_bytes() == before["van-hoa/rss.xml"]


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """Paths of the feeds rendered (not taken from the kept bytes), in order."""
    from generator import feedxml

    calls: list[str] = []
    real = feedxml.FeedWriter.render

    def counting(self, spec, fmt):
        calls.append(spec.path(fmt))
        return real(self, spec, fmt)

    monkeypatch.setattr(feedxml.FeedWriter, "render", counting)
    return calls


def fresh_process_build(site: Path, out: Path):
    """A build as the command line runs it: nothing kept in memory from the last one."""
    from generator.feeds import FeedsFeature
    from generator.features import load_features

    for feature in load_features():
        if isinstance(feature, FeedsFeature):
            feature._made = {}
    return build(site, out)


def test_one_shot_builds_render_only_the_feeds_an_edit_changes(copy_site, tmp_path, rendered):
    """The feeds' bytes are kept in the build cache: a later process renders again only the
    feeds that list an edited article, and a damaged kept file only costs rendering them all."""
    from generator.cache import cache_folder
    from generator.feeds import FEEDS_FILE

    site = copy_site("discovery")
    out = tmp_path / "out"
    assert fresh_process_build(site, out).ok
    every = sorted(rendered)
    assert set(every) >= {"/" + rel for rel in FEEDS}
    rendered.clear()
    assert fresh_process_build(site, out).ok and rendered == []       # nothing changed: none
    article = site / "content/articles/2026/giu-ma-tin.md"
    with article.open("a", encoding="utf-8") as stream:
        stream.write("\nĐội văn nghệ còn biểu diễn thêm một tiết mục mới.\n")
    assert fresh_process_build(site, out).ok
    # its category's feeds; the site's feeds hold only the newest articles, not this one
    assert sorted(rendered) == ["/van-hoa/atom.xml", "/van-hoa/rss.xml"]
    assert not any("giu-ma-tin" in e.link for e in parse(out, "rss.xml").entries)
    entry = next(e for e in parse(out, "van-hoa/atom.xml").entries if "giu-ma-tin" in e.link)
    assert "một tiết mục mới" in entry.content[0].value
    (cache_folder(site) / FEEDS_FILE).write_bytes(b"not a cache")
    rendered.clear()
    assert fresh_process_build(site, out).ok
    assert sorted(rendered) == every
