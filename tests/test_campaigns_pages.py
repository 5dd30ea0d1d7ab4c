"""Campaign pages: status by build date, progress in Vietnamese numbers, rolls, articles, feed link."""
import datetime as dt

import pytest
from bs4 import BeautifulSoup

from conftest import SITES, build
from generator.campaigns import campaign_status, target_progress
from generator.documents import Campaign, Target


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    output = tmp_path_factory.mktemp("campaigns") / "output"
    report = build(SITES / "honours", output)      # today = 2026-11-22
    assert report.ok, [d.format() for d in report.diagnostics]
    return output


def soup(out, path):
    return BeautifulSoup((out / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_status_from_the_build_date_with_inclusive_end():
    c = Campaign("p", "c", "C", dt.date(2026, 1, 1), dt.date(2026, 11, 22), "")
    assert campaign_status(c, dt.date(2025, 12, 31)) == "upcoming"
    assert campaign_status(c, dt.date(2026, 1, 1)) == "active"
    assert campaign_status(c, dt.date(2026, 11, 22)) == "active"
    assert campaign_status(c, dt.date(2026, 11, 23)) == "ended"


def test_progress_text_reads_the_vietnamese_way():
    assert target_progress(Target("Sáng kiến", 1500, 7929, "sáng kiến"))["text"] == "7.929 / 1.500 sáng kiến — 528,6\u00a0%"
    assert target_progress(Target("Hội thi", None, 46, "hội thi"))["text"] == "46 hội thi"
    half = target_progress(Target("Giá trị", 150, 171.4, "tỷ đồng"))
    assert half["text"] == "171,4 / 150 tỷ đồng — 114,3\u00a0%" and half["bar"] == 100.0


def test_index_lists_active_first(out):
    page = soup(out, "phong-trao")
    groups = [(s.h2.get_text(), [a.get_text() for a in s.select("h3 a")]) for s in page.select(".campaign-group")]
    assert groups == [("Đang diễn ra", ["Phong trào sáng kiến năm 2026"]),
                      ("Sắp diễn ra", ["Phong trào nữ công năm 2027"]),
                      ("Đã kết thúc", ["Đợt thi đua năm 2024"])]


def test_campaign_page_shows_period_document_targets_and_rolls(out):
    page = soup(out, "phong-trao/sang-kien-2026")
    assert page.select_one(".campaign-status").get_text() == "Đang diễn ra"
    facts = page.select_one(".campaign-facts").get_text(" ", strip=True)
    assert "01/01/2026 – 22/11/2026" in facts and "Kế hoạch số 80/KH-LĐLĐ ngày 28/4/2026" in facts
    targets = page.select(".campaign-target")
    assert targets[0].select_one(".campaign-target-figure").get_text() == "7.929 / 1.500 sáng kiến — 528,6\u00a0%"
    bar = targets[0].select_one("[role=progressbar]")
    assert bar["aria-valuenow"] == "100.0" and bar["aria-valuetext"].startswith("7.929 / 1.500")
    assert page.find(id=bar["aria-labelledby"]).get_text() == "Sáng kiến được công nhận"
    # An achieved-only target shows the figure alone, without a bar.
    assert targets[1].select_one("[role=progressbar]") is None
    assert targets[1].select_one(".campaign-target-figure").get_text() == "46 hội thi"
    rolls = [a.get_text() for a in page.select(".campaign-rolls a")]
    assert rolls == ["Sáng kiến tiêu biểu năm 2025"]


def test_campaign_articles_are_paginated_and_feed_is_linked(out):
    first = soup(out, "phong-trao/sang-kien-2026")
    assert [a.get_text() for a in first.select(".campaign-articles .card-title a")] == ["Tin sáng kiến số 3", "Tin sáng kiến số 2"]
    assert first.select_one(".feed-link a")["href"] == "/phong-trao/sang-kien-2026/rss.xml"
    second = soup(out, "phong-trao/sang-kien-2026/trang-2")
    assert [a.get_text() for a in second.select(".campaign-articles .card-title a")] == ["Tin sáng kiến số 1"]
    assert second.select(".campaign-target") == []


def test_upcoming_and_ended_badges(out):
    assert soup(out, "phong-trao/nu-cong-2027").select_one(".campaign-status").get_text() == "Sắp diễn ra"
    target = soup(out, "phong-trao/nu-cong-2027").select_one(".campaign-target-figure").get_text()
    assert target == "Chỉ tiêu: 60 phòng"
    assert soup(out, "phong-trao/thi-dua-2024").select_one(".campaign-status").get_text() == "Đã kết thúc"


def test_article_links_to_its_campaign(out):
    page = soup(out, "tin-tuc/tin-sang-kien-so-1")
    link = page.select_one(".campaign-link a")
    assert link["href"] == "/phong-trao/sang-kien-2026/" and link.get_text() == "Phong trào sáng kiến năm 2026"
