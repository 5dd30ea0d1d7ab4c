"""Field values that cost too much or carry what nobody can see: over-long slugs, pasted lists,
zero-width characters. Each is reported at its file and line; none fails late or silently."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SITES, TODAY, build
from generator.cli import main

ARTICLE = "content/articles/2026/dai-hoi.md"
ROLL = "content/honours/2026/cong-nhan-gioi-2026.yaml"
LONG_TITLE = ("Đại hội đại biểu Công đoàn huyện Bến Đá lần thứ mười hai nhiệm kỳ 2026 đến 2031 thông qua "
              "nghị quyết về chăm lo đời sống, việc làm, thu nhập và bảo vệ quyền lợi hợp pháp, chính đáng "
              "của đoàn viên công đoàn và người lao động trong các doanh nghiệp ngoài nhà nước trên địa bàn huyện")


@pytest.fixture
def site(tmp_path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "editorial", target, ignore=shutil.ignore_patterns(".cache"))
    return target


def article(site: Path, head: str, body: str = "Nội dung bài viết.\n") -> None:
    (site / ARTICLE).write_text("---\n" + head + "date: 2026-04-02 15:00\ncategory: thoi-su\n---\n\n" + body,
                                encoding="utf-8")


def check(site: Path, capsys) -> tuple[int, str]:
    code = main(["check", "--site", str(site), "--today", TODAY.isoformat()])
    return code, capsys.readouterr().err


def uncut_slug(title: str) -> str:
    from generator.vietnamese import slugify
    return "-".join(filter(None, (slugify(word) for word in title.split())))


def test_a_headline_past_the_file_name_limit_gets_a_slug_of_whole_words(site, tmp_path, capsys):
    assert len(LONG_TITLE) > 255 and len(uncut_slug(LONG_TITLE)) > 255
    article(site, f"title: {LONG_TITLE}\n")
    assert check(site, capsys)[0] == 0
    report = build(site, tmp_path / "out")
    assert report.ok, [d.format() for d in report.diagnostics]
    [folder] = [p.name for p in (tmp_path / "out" / "thoi-su").iterdir() if p.name.startswith("dai-hoi")]
    assert 80 < len(folder) <= 100
    assert uncut_slug(LONG_TITLE).startswith(folder + "-")        # cut between two words


def test_an_explicit_slug_past_the_limit_is_an_error_of_check(site, capsys):
    article(site, "title: Đại hội\nslug: " + "-".join(["dai-hoi-cong-doan"] * 20) + "\n")
    code, err = check(site, capsys)
    assert code == 1
    assert f"{ARTICLE}:3: error: the slug is 359 characters long; a web address part may have at most 100" in err
    assert "shorten 'slug:'" in err


def test_a_category_key_past_the_limit_is_an_error(site, capsys):
    config = site / "site.yaml"
    key = "-".join(["hoat-dong"] * 30)
    config.write_text(config.read_text("utf-8").replace("  thoi-su: Thời sự", f"  thoi-su: Thời sự\n  {key}: Dài"),
                      encoding="utf-8")
    code, err = check(site, capsys)
    assert code == 1 and "site.yaml:22: error: category key 'hoat-dong-hoat-dong" in err
    assert "shorten the category key" in err


@pytest.mark.slow
def test_ten_thousand_tags_are_a_warning_naming_the_file(site, tmp_path, capsys):
    tags = "\n".join(f"  - chủ đề {n}" for n in range(10_000))
    article(site, f"title: Đại hội\ntags:\n{tags}\n")
    code, err = check(site, capsys)
    assert code == 0
    assert f"{ARTICLE}:3: warning: 'tags' lists 10000 items" in err


@pytest.mark.parametrize("key", ["author", "related"])
def test_long_author_and_related_lists_are_warnings(site, capsys, key):
    items = "\n".join(f"  - muc-{n}" for n in range(60))
    article(site, f"title: Đại hội\n{key}:\n{items}\n")
    _, err = check(site, capsys)
    assert f"{ARTICLE}:3: warning: '{key}' lists 60 items" in err


def test_zero_width_characters_are_removed_from_names_units_and_keys(site, tmp_path, capsys):
    roll = site / ROLL
    text = roll.read_text("utf-8")
    text = text.replace("  - name: Trần Văn Khải", "  - na\u200bme: Trần Văn\u200b Khải\ufeff")
    text = text.replace("    unit: Công ty May Bến Đá", "    unit: Công ty\u2060 May\u200c Bến Đá")
    roll.write_text(text, encoding="utf-8")
    code, err = check(site, capsys)
    assert code == 0
    assert f"{ROLL}:6: warning: the key 'name' held 1 invisible character(s) (zero width space), removed" in err
    assert (f"{ROLL}:6: warning: the value of 'name' held 2 invisible character(s) "
            "(zero width no-break space, zero width space), removed") in err
    assert f"{ROLL}:10: warning: the value of 'unit' held 2 invisible character(s)" in err
    report = build(site, tmp_path / "out")
    assert report.ok
    for page in (tmp_path / "out").rglob("*.html"):
        text = page.read_text("utf-8")
        assert not any(c in text for c in "\u200b\u200c\u2060\ufeff"), page
    units = BeautifulSoup((tmp_path / "out" / "vinh-danh" / "cong-nhan-gioi-2026" / "index.html").read_text("utf-8"),
                          "html.parser").get_text()
    assert "Trần Văn Khải" in units and "Công ty May Bến Đá" in units


def test_an_emoji_made_with_a_joiner_is_kept():
    from generator.readers.fields import without_invisible
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert without_invisible(f"Ngày hội {family}") == (f"Ngày hội {family}", [])
    assert without_invisible("Công\u200d đoàn") == ("Công đoàn", ["zero width joiner"])
