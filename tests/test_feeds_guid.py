"""An entry's GUID / atom:id survives edits of the article (title, body, slug, tags)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser

from conftest import build
from generator.documents import Article
from generator.feedxml import absolute_html, entry_id

ARTICLE = "content/articles/2026/tuyen-duong-cong-nhan-gioi.md"


def ids_by_title(output: Path, rel: str) -> dict[str, str]:
    feed = feedparser.parse((output / rel).read_bytes())
    assert not feed.bozo
    return {e.title: e.id for e in feed.entries}


def test_guid_is_unchanged_after_editing_title_and_body(copy_site, tmp_path):
    site = copy_site("discovery")
    assert build(site, tmp_path / "before").ok
    before = {rel: ids_by_title(tmp_path / "before", rel) for rel in ("rss.xml", "atom.xml")}

    source = site / ARTICLE
    text = source.read_text(encoding="utf-8")
    text = text.replace("title: Tuyên dương 50 Công nhân giỏi năm 2026", "title: Biểu dương năm mươi công nhân giỏi")
    text = text.replace("Các công nhân được tuyên dương", "Sửa lại: các công nhân được biểu dương")
    text = text.replace("tags: [Công nhân giỏi, Thi đua]", "tags: [Thi đua]")
    source.write_text(text, encoding="utf-8")
    linking = site / "content/articles/2026/dai-hoi-cong-doan-co-so.md"     # the slug follows the title
    linking.write_text(linking.read_text(encoding="utf-8").replace(
        "tuyen-duong-50-cong-nhan-gioi-nam-2026", "bieu-duong-nam-muoi-cong-nhan-gioi"), encoding="utf-8")
    report = build(site, tmp_path / "after")
    assert report.ok, "\n".join(d.format() for d in report.diagnostics)
    after = {rel: ids_by_title(tmp_path / "after", rel) for rel in ("rss.xml", "atom.xml")}

    for rel in before:
        old_id = before[rel].pop("Tuyên dương 50 Công nhân giỏi năm 2026")
        new_id = after[rel].pop("Biểu dương năm mươi công nhân giỏi")
        assert new_id == old_id == "tag:binhson.example.vn,2026-09-20:2026/tuyen-duong-cong-nhan-gioi"
        assert before[rel] == after[rel], "the other entries keep theirs too"


def test_front_matter_id_pins_the_guid_when_a_file_moves(copy_site, tmp_path):
    site = copy_site("discovery")
    assert build(site, tmp_path / "out").ok
    ids = ids_by_title(tmp_path / "out", "van-hoa/atom.xml")
    assert ids["Giữ mã tin khi chuyển tệp"] == "tag:binhson.example.vn,2026-06-01:2025/ten-tep-cu"


def article(**fields) -> Article:
    values = dict(path="content/articles/2026/a b.md", slug="a", title="A", category="thoi-su", sapo="",
                  body_html="", date=dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    values.update(fields)
    return Article(**values)


def test_entry_id_rules():
    assert entry_id(article(), "host.vn") == "tag:host.vn,2026-03-04:2026/a%20b"
    assert entry_id(article(), "host.vn", "/ldld/") == "tag:host.vn,2026-03-04:ldld/2026/a%20b", \
        "two sites under one host do not share ids"
    assert entry_id(article(feed_id="cu/bai-1"), "host.vn") == "tag:host.vn,2026-03-04:cu/bai-1"
    assert entry_id(article(feed_id="urn:uuid:1234"), "host.vn") == "urn:uuid:1234"


def test_absolute_html_resolves_every_form_of_link():
    html = ('<p><a href="/ldld/thoi-su/x/">x</a> <a href="#fn:1">1</a> <a href="../y/">y</a> '
            '<a href="https://other.vn/z">z</a></p><figure><img src="/ldld/media/a.jpg" alt=""></figure>')
    out = absolute_html(html, "https://host.vn/ldld/thoi-su/bai/")
    assert 'href="https://host.vn/ldld/thoi-su/x/"' in out
    assert 'href="https://host.vn/ldld/thoi-su/bai/#fn:1"' in out
    assert 'href="https://host.vn/ldld/thoi-su/y/"' in out
    assert 'href="https://other.vn/z"' in out
    assert 'src="https://host.vn/ldld/media/a.jpg"' in out
    assert out.startswith("<p>") and out.endswith("</figure>")
