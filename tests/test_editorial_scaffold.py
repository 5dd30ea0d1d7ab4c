"""`new article|campaign|honours`: files with their front matter filled, never overwritten, valid."""
from __future__ import annotations

import datetime as dt
import shutil
from zoneinfo import ZoneInfo

import pytest

from conftest import SITES, build
from generator.cli import main
from generator.readers.frontmatter import decode, split
from generator.yamlread import load_yaml


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    shutil.copytree(SITES / "editorial", folder, ignore=shutil.ignore_patterns(".cache"))
    return folder


def new(site, *args) -> int:
    return main(["new", *args, "--site", str(site)])


def front_matter(path):
    return split(decode(path.read_bytes(), path.name), path.name).meta


def test_new_article_fills_front_matter_and_builds(site, tmp_path, capsys):
    before = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(second=0, microsecond=0, tzinfo=None)
    assert new(site, "article", "Công đoàn: đối thoại #2 với công nhân", "--category", "thoi-su",
               "--author", "Hà Linh") == 0
    after = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    path = site / "content" / "articles" / str(before.year) / "cong-doan-doi-thoai-2-voi-cong-nhan.md"
    assert f"đã tạo content/articles/{before.year}/cong-doan-doi-thoai-2-voi-cong-nhan.md" in capsys.readouterr().out
    meta = front_matter(path)
    assert meta["title"] == "Công đoàn: đối thoại #2 với công nhân"
    assert meta["category"] == "thoi-su" and meta["author"] == "Hà Linh"
    written = dt.datetime.strptime(meta["date"], "%Y-%m-%d %H:%M") if isinstance(meta["date"], str) else meta["date"]
    assert before <= written <= after
    assert meta["draft"] is True and meta["slug"] == "cong-doan-doi-thoai-2-voi-cong-nhan"
    report = build(site, tmp_path / "out", today=after.date(), drafts=True)     # a draft: previewed
    assert report.ok, [d.format() for d in report.diagnostics]
    assert (tmp_path / "out" / "thoi-su" / "cong-doan-doi-thoai-2-voi-cong-nhan" / "index.html").is_file()


def test_author_defaults_to_site_setting(site):
    with open(site / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write("new: {author: Ban Biên tập}\n")
    assert new(site, "article", "Tin ngắn", "--category", "thoi-su") == 0
    path = next((site / "content" / "articles").rglob("tin-ngan.md"))
    assert front_matter(path)["author"] == "Ban Biên tập"


def test_new_never_overwrites(site, capsys):
    assert new(site, "article", "Bài trùng tên", "--category", "thoi-su") == 0
    path = next((site / "content" / "articles").rglob("bai-trung-ten.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn đã viết.\n", encoding="utf-8")
    kept = path.read_bytes()
    capsys.readouterr()
    assert new(site, "article", "Bài trùng tên", "--category", "thoi-su") == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == kept


def test_unknown_category_gets_a_hint(site, capsys):
    assert new(site, "article", "Tin mới", "--category", "hoat-dong") == 2
    assert "unknown category 'hoat-dong'; did you mean 'hoat-dong-cong-doan'?" in capsys.readouterr().err
    assert not list((site / "content" / "articles").rglob("tin-moi.md"))


def test_new_campaign_and_honours_build(site, tmp_path):
    assert new(site, "campaign", "Lao động sáng tạo 2027") == 0
    assert new(site, "honours", "Bằng khen năm 2026", "--kind", "khen-thuong", "--year", "2026") == 0
    campaign = front_matter(site / "content" / "campaigns" / "lao-dong-sang-tao-2027.md")
    assert campaign["title"] == "Lao động sáng tạo 2027" and campaign["issuer"] == "Liên đoàn Lao động huyện Bến Đá"
    roll_path = site / "content" / "honours" / "2026" / "bang-khen-nam-2026.yaml"
    roll, _ = load_yaml(roll_path.read_text(encoding="utf-8"), roll_path.name)
    assert roll["kind"] == "khen-thuong" and roll["year"] == 2026 and roll["entries"] == []
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    report = build(site, tmp_path / "out", today=today)
    assert not [d for d in report.diagnostics if d.severity == "error"], [d.format() for d in report.diagnostics]


def test_unknown_roll_kind_is_refused(site, capsys):
    assert new(site, "honours", "Danh sách", "--kind", "cong-nhan-gioii") == 2
    assert "did you mean 'cong-nhan-gioi'?" in capsys.readouterr().err
