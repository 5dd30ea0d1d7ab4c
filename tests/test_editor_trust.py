"""Ordinary editor mistakes that used to publish wrong data without a word: lists written as a
sentence, YAML that cut or refused a value, half-made new content, the missing legal footer."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import SITES, TODAY, build
from generator.cli import main

ARTICLE = "content/articles/2026/dai-hoi.md"
ROLL = "content/honours/2026/cong-nhan-gioi-2026.yaml"


@pytest.fixture
def site(tmp_path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "editorial", target, ignore=shutil.ignore_patterns(".cache"))
    return target


def write(site: Path, rel: str, text: str) -> None:
    (site / rel).parent.mkdir(parents=True, exist_ok=True)
    (site / rel).write_text(text, encoding="utf-8")


def article(site: Path, head: str, body: str = "Nội dung bài viết.\n") -> None:
    write(site, ARTICLE, "---\n" + head + "---\n\n" + body)


GOOD = "title: Đại hội\ndate: 2026-04-02 15:00\ncategory: thoi-su\n"


def run(*args: str) -> int:
    return main([*args, "--today", TODAY.isoformat()])


def page(output: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((output / rel / "index.html").read_text("utf-8"), "html.parser")


# -- 1. lists written as a sentence ---------------------------------------------------------------

def test_tags_and_authors_written_as_a_sentence_are_split_with_a_warning(site, tmp_path, capsys):
    article(site, GOOD + "tags: đối thoại, quan hệ lao động\nauthor: Minh Khuê; Hà Linh\n")
    report = build(site, tmp_path / "out")
    assert report.ok
    messages = [d.format() for d in report.diagnostics]
    assert (f"{ARTICLE}:5: warning: 'tags' is one line of text; it is read as 2 items: đối thoại; quan hệ lao động; "
            "write it as a list: tags: [đối thoại, quan hệ lao động]") in messages
    assert any(m.startswith(f"{ARTICLE}:6: warning: 'author' is one line of text") and
               m.endswith("author: [Minh Khuê, Hà Linh]") for m in messages)
    assert (tmp_path / "out" / "chu-de" / "doi-thoai" / "index.html").is_file()
    assert (tmp_path / "out" / "chu-de" / "quan-he-lao-dong" / "index.html").is_file()
    assert not (tmp_path / "out" / "chu-de" / "doi-thoai-quan-he-lao-dong").exists()
    authors = page(tmp_path / "out", "thoi-su/dai-hoi").select(".authors a")
    assert [a.get_text() for a in authors] == ["Minh Khuê", "Hà Linh"]


def test_a_single_name_stays_one_item_without_a_warning(site, tmp_path):
    article(site, GOOD + "tags: đối thoại\nauthor: Minh Khuê\n")
    report = build(site, tmp_path / "out")
    assert report.ok and not [d for d in report.diagnostics if ARTICLE in d.path]


def test_a_roll_entrys_authors_written_as_a_sentence_are_split(site, tmp_path):
    write(site, "content/honours/2026/sang-kien-2026.yaml",
          "title: Sáng kiến 2026\nkind: sang-kien\nyear: 2026\nentries:\n"
          "  - initiative: Máy cắt gạch tự động\n    authors: Trần Văn Khải, Lê Thị Hồng\n")
    report = build(site, tmp_path / "out")
    assert report.ok
    assert any(d.path.endswith("sang-kien-2026.yaml") and d.line == 6 and "read as 2 items" in d.message
               for d in report.diagnostics)


# -- 2. YAML traps ----------------------------------------------------------------------------------

def test_a_hash_in_an_unquoted_title_is_a_warning_with_the_quoted_form(site, tmp_path):
    article(site, "title: Hội nghị # lần thứ nhất\ndate: 2026-04-02 15:00\ncategory: thoi-su  # chuyên mục\n")
    report = build(site, tmp_path / "out")
    warnings = [d for d in report.diagnostics if d.path == ARTICLE]
    assert [(d.line, d.severity) for d in warnings] == [(2, "warning")]
    assert "'# lần thứ nhất'" in warnings[0].message and "chỉ còn là 'Hội nghị'" in warnings[0].message
    assert warnings[0].hint.endswith("title: 'Hội nghị # lần thứ nhất'")


@pytest.mark.parametrize("title, corrected", [
    ('"Chuyến xe" đưa 620 công nhân về quê', "title: '\"Chuyến xe\" đưa 620 công nhân về quê'"),
    ("'Mái ấm' cho đoàn viên", "title: '''Mái ấm'' cho đoàn viên'"),
    ("[Thông báo] Lịch nghỉ Tết", "title: '[Thông báo] Lịch nghỉ Tết'"),
    ("{Video} Ngày hội", "title: '{Video} Ngày hội'"),
    ("@congdoan ra mắt", "title: '@congdoan ra mắt'"),
    ("`Mới` nhất", "title: '`Mới` nhất'"),
    ("*Nổi bật* trong tuần", "title: '*Nổi bật* trong tuần'"),
    ("&Tin mới", "title: '&Tin mới'"),
    ("!Khẩn: họp", "title: '!Khẩn: họp'"),
    ("%Tăng lương", "title: '%Tăng lương'"),
    ("| Ghi nhận", "title: '| Ghi nhận'"),
    ("> Trích dẫn", "title: '> Trích dẫn'"),
])
def test_a_value_starting_with_a_yaml_character_gets_the_corrected_line(site, capsys, title, corrected):
    article(site, f"title: {title}\ndate: 2026-04-02 15:00\ncategory: thoi-su\n")
    assert run("check", "--site", str(site)) == 1
    err = capsys.readouterr().err
    line = next(l for l in err.splitlines() if l.startswith(f"{ARTICLE}:2: error:"))
    assert "giá trị của 'title' bắt đầu bằng" in line and "expected <block end>" not in line
    assert line.endswith(corrected)


def test_a_badly_indented_roll_entry_gets_indentation_advice(site, capsys):
    roll = site / ROLL
    roll.write_text(roll.read_text("utf-8").replace("    award: Công nhân giỏi\n  - name: Lê Thị Hồng",
                                                    "   award: Công nhân giỏi\n  - name: Lê Thị Hồng", 1), "utf-8")
    assert run("check", "--site", str(site)) == 1
    err = capsys.readouterr().err
    assert (f"{ROLL}:8: error: dòng này thụt lề 3 dấu cách, nhưng các khóa cùng cấp ở trên bắt đầu ở cột 5 "
            "(4 dấu cách); thụt lề đúng 4 dấu cách: '    award: Công nhân giỏi'") in err
    assert "put quotes around" not in err


def test_a_colon_in_a_value_still_gets_the_quoting_advice(site, capsys):
    roll = site / ROLL
    roll.write_text(roll.read_text("utf-8").replace("  - name: Lê Thị Hồng", "  - name: Lê Thị Hồng: tổ trưởng"), "utf-8")
    assert run("check", "--site", str(site)) == 1
    assert "put quotes around a value that contains ': '" in capsys.readouterr().err


# -- 4. new content is not published half-made ----------------------------------------------------

def test_new_files_are_drafts_and_not_published(site, tmp_path, capsys):
    assert main(["new", "article", "Hội nghị người lao động năm 2027", "--category", "thoi-su", "--site", str(site)]) == 0
    assert main(["new", "campaign", "Thi đua lao động sáng tạo 2027", "--site", str(site)]) == 0
    assert main(["new", "honours", "Công nhân giỏi năm 2027", "--year", "2027", "--site", str(site)]) == 0
    capsys.readouterr()
    [new_article] = (site / "content" / "articles").rglob("hoi-nghi-nguoi-lao-dong-nam-2027.md")
    text = new_article.read_text("utf-8")
    assert "\nslug: hoi-nghi-nguoi-lao-dong-nam-2027\n" in text and "\ndraft: true " in text
    out = tmp_path / "out"
    assert run("build", "--site", str(site), "--output", str(out)) == 0
    assert not list(out.rglob("*hoi-nghi-nguoi-lao-dong-nam-2027*"))
    assert not (out / "phong-trao" / "thi-dua-lao-dong-sang-tao-2027").exists()
    assert not (out / "vinh-danh" / "cong-nhan-gioi-nam-2027").exists()
    home = (out / "index.html").read_text("utf-8")
    assert "Hội nghị người lao động năm 2027" not in home and "Thi đua lao động sáng tạo 2027" not in home
    feed = feedparser.parse((out / "rss.xml").read_bytes())
    assert all("2027" not in entry.title for entry in feed.entries)


def test_a_new_article_keeps_its_address_when_the_title_changes(site, tmp_path, capsys):
    assert main(["new", "article", "Hội nghị công nhân", "--category", "thoi-su", "--site", str(site)]) == 0
    capsys.readouterr()
    [path] = (site / "content" / "articles").rglob("hoi-nghi-cong-nhan.md")
    text = path.read_text("utf-8").replace("draft: true", "draft: false").replace(
        "title: Hội nghị công nhân", "title: Hội nghị công nhân công ty May Bến Đá")
    path.write_text(text + "\nNội dung hội nghị.\n", "utf-8")
    report = build(site, tmp_path / "out", today=dt.date.today() + dt.timedelta(days=1))   # `new` dates it now (UTC+7)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert (tmp_path / "out" / "thoi-su" / "hoi-nghi-cong-nhan" / "index.html").is_file()


@pytest.mark.parametrize("body", ["", "<!-- Viết nội dung ở đây -->\n", "\n\n   \n"])
def test_a_published_article_with_an_empty_body_is_an_error(site, capsys, body):
    article(site, GOOD, body)
    assert run("check", "--site", str(site)) == 1
    assert (f"{ARTICLE}:5: error: the article has no text below this line: it would be published empty"
            in capsys.readouterr().err)


def test_a_draft_or_a_video_may_have_no_text(site, tmp_path):
    article(site, GOOD + "draft: true\n", "")
    assert build(site, tmp_path / "a").ok
    article(site, GOOD + "format: video\nvideo: https://www.youtube.com/watch?v=abcdefghijk\n", "")
    assert build(site, tmp_path / "b").ok


def test_a_published_campaign_without_text_is_an_error(site, capsys):
    write(site, "content/campaigns/trong.md", "---\ntitle: Phong trào trống\nstart: 2026-01-01\nend: 2026-12-31\n---\n")
    assert run("check", "--site", str(site)) == 1
    assert "content/campaigns/trong.md:5: error: the campaign has no text below this line" in capsys.readouterr().err


def test_a_published_roll_without_entries_is_an_error(site, capsys):
    write(site, "content/honours/2026/trong.yaml", "title: Bảng trống\nkind: other\nyear: 2026\nentries: []\n")
    assert run("check", "--site", str(site)) == 1
    assert "content/honours/2026/trong.yaml:4: error: the roll has no entries" in capsys.readouterr().err


# -- 7. the legal footer line ---------------------------------------------------------------------

@pytest.mark.parametrize("theme", ["congdoan", "tinh"])
@pytest.mark.parametrize("value", ['"Nguyễn Văn An, Phó Chủ tịch LĐLĐ huyện"',
                                   '"Chịu trách nhiệm nội dung: Nguyễn Văn An, Phó Chủ tịch LĐLĐ huyện"',
                                   "{name: Nguyễn Văn An, title: Phó Chủ tịch LĐLĐ huyện}"])
def test_the_person_responsible_for_content_is_in_every_footer(site, tmp_path, theme, value):
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace(
        "  name: Liên đoàn Lao động huyện Bến Đá\n",
        f"  name: Liên đoàn Lao động huyện Bến Đá\n  responsible: {value}\n"), "utf-8")
    report = build(site, tmp_path / "out", theme=theme)
    assert report.ok, [d.format() for d in report.diagnostics]
    for rel in ("index.html", "thoi-su/index.html", "gioi-thieu/index.html"):
        footer = BeautifulSoup((tmp_path / "out" / rel).read_text("utf-8"), "html.parser").find("footer")
        line = footer.select_one(".footer-responsible")
        assert line.get_text(" ", strip=True) == "Chịu trách nhiệm nội dung: Nguyễn Văn An, Phó Chủ tịch LĐLĐ huyện"


# -- 6. long pasted lists ---------------------------------------------------------------------------

@pytest.mark.slow
def test_a_long_pasted_list_builds_with_a_warning_suggesting_an_attachment(site, tmp_path):
    rows = "\n".join(f"| {i} | Nguyễn Thị Hoa {i} | Công ty May Bến Đá | 500.000 đ |" for i in range(1, 18_001))
    article(site, GOOD, "Danh sách công nhân được hỗ trợ.\n\n| STT | Họ và tên | Đơn vị | Số tiền |\n|---|---|---|---|\n"
            + rows + "\n")
    assert len((site / ARTICLE).read_text("utf-8")) > 1_000_000
    report = build(site, tmp_path / "out")
    assert report.ok, [d.format() for d in report.diagnostics]
    [warning] = [d for d in report.diagnostics if d.path == ARTICLE]
    assert warning.severity == "warning" and "the text is very long (1.2 million characters)" in warning.message
    assert "content/media/" in warning.hint
    table = BeautifulSoup((tmp_path / "out" / "thoi-su" / "dai-hoi" / "index.html").read_text("utf-8"), "html.parser")
    assert len(table.select("main table tbody tr")) == 18_000
