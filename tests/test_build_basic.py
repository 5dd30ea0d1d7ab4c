"""The small fixture site tests/sites/basic, built whole and read back through an HTML parser."""
import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITES, build

GOLDEN = Path(__file__).parent / "golden" / "basic.json"


@pytest.fixture(scope="module")
def basic_output(tmp_path_factory):
    out = tmp_path_factory.mktemp("basic") / "output"
    report = build(SITES / "basic", out)
    assert report.ok, [d.format() for d in report.diagnostics]
    return out


def soup_of(output: Path, url: str) -> BeautifulSoup:
    path = output / (url.strip("/") + "/index.html" if url.strip("/") else "index.html")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split()) if node else ""


def page_summary(soup: BeautifulSoup) -> dict:
    """What a reader gets from a page, independent of markup details and styling."""
    main = soup.find("main")
    return {
        "title": text(soup.title),
        "h1": text(soup.find("h1")),
        "canonical": soup.find("link", rel="canonical")["href"],
        "breadcrumb": [text(a) for a in soup.select("nav.breadcrumb a")],
        "headings": [text(h) for h in main.find_all(["h2"])],
        "links": [a.get("href") for a in main.find_all("a", href=True)],
    }


def test_pages_match_golden(basic_output, update_golden):
    pages = sorted(p.relative_to(basic_output).as_posix() for p in basic_output.rglob("*.html"))
    summary = {page: page_summary(BeautifulSoup((basic_output / page).read_text("utf-8"), "html.parser"))
               for page in pages}
    if update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
        pytest.skip("golden file rewritten; review the diff")
    expected = json.loads(GOLDEN.read_text("utf-8"))
    assert sorted(summary) == sorted(expected), "set of pages changed (run pytest --update-golden and review)"
    for page in expected:
        assert summary[page] == expected[page], page


def test_every_url_of_the_design_table_is_built(basic_output):
    for url in ["/", "/thoi-su/", "/hoat-dong/trang-2/", "/thoi-su/hoi-nghi-bieu-duong-cong-nhan-gioi-nam-2026/",
                "/chu-de/cong-nhan-gioi/", "/tac-gia/do-hai-yen/", "/chuyen-de/talk-cong-doan/", "/gioi-thieu/"]:
        assert soup_of(basic_output, url).find("h1"), url
    assert (basic_output / "404.html").is_file()
    assert (basic_output / "media/anh/bia.jpg").is_file()


def test_article_page_shows_every_part(basic_output):
    soup = soup_of(basic_output, "/thoi-su/hoi-nghi-bieu-duong-cong-nhan-gioi-nam-2026/")
    article = soup.find("article", class_="article")
    assert text(article.find("h1")) == "Hội nghị biểu dương Công nhân giỏi năm 2026"
    assert text(article.select_one(".sapo")).startswith("(CĐTN) – Sáng 20/11")
    assert text(article.select_one(".article-meta time")) == "Thứ Sáu, 20/11/2026 08:30"
    assert [text(a) for a in article.select(".related-inline a")] == ["Ra mắt tổ nữ công số"]
    cover = article.select_one("figure.cover")
    # the cover is served as resized variants of /media/anh/bia.jpg (tests/test_themes_images.py)
    assert cover.img["src"].startswith("/media/_v/") and cover.picture.source["type"] == "image/webp"
    assert "giấy khen" in text(cover.figcaption)
    body_figure = article.select_one(".article-body figure")
    assert text(body_figure.figcaption) == "Lãnh đạo huyện trao giấy khen cho công nhân giỏi."
    assert article.select_one(".article-body table") and article.select_one(".article-body .footnote")
    assert text(article.select_one(".byline")) == "Bài và ảnh: Lê Minh Châu"
    assert [text(a) for a in article.select(".tags a")] == ["Công nhân giỏi", "Sáng kiến"]
    share = [a["href"] for a in article.select(".share a")]
    assert share[0].startswith("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fthu-nghiem")
    assert "zalo" in share[1] and share[2] == "https://thu-nghiem.example.vn/thoi-su/hoi-nghi-bieu-duong-cong-nhan-gioi-nam-2026/"
    assert soup.select_one("button[data-print]") is not None
    assert soup.find("link", rel="stylesheet", media="print") is not None
    titles = [text(h) for h in soup.select("main h2")]
    for block in ("Tin cùng chuyên mục", "Tin khác", "Có thể bạn quan tâm"):
        assert block in titles
    assert not soup.find("script", src=lambda s: s and "http" in s), "no third-party scripts"


def test_video_and_interview_formats_are_marked(basic_output):
    video = soup_of(basic_output, "/hoat-dong/video-hoi-thao-cong-nhan-mua-xuan/")
    assert "article--video" in video.find("article")["class"]
    assert video.select_one(".video iframe")["src"] == "https://www.youtube-nocookie.com/embed/AbCdEfGhIjK"
    interview = soup_of(basic_output, "/nu-cong/ra-mat-to-nu-cong-so/")
    assert "article--interview" in interview.find("article")["class"]


def test_drafts_and_future_articles_are_held_back(basic_output, tmp_path):
    listed = [a["href"] for a in soup_of(basic_output, "/thoi-su/").select("main .card-title a")]
    assert not any("bai-dang-viet-do" in h or "bai-hen-gio-dang" in h for h in listed)
    assert not (basic_output / "thoi-su/bai-dang-viet-do").exists()
    assert not (basic_output / "thoi-su/bai-hen-gio-dang").exists()
    with_drafts = tmp_path / "drafts"
    assert build(SITES / "basic", with_drafts, drafts=True).ok
    assert (with_drafts / "thoi-su/bai-dang-viet-do/index.html").is_file()
    import datetime as dt
    later = tmp_path / "later"
    assert build(SITES / "basic", later, today=dt.date(2027, 1, 1)).ok
    assert (later / "thoi-su/bai-hen-gio-dang/index.html").is_file()


def test_same_title_in_two_categories_gives_two_pages(basic_output):
    one = soup_of(basic_output, "/thoi-su/trao-qua-cho-cong-nhan-kho-khan/")
    two = soup_of(basic_output, "/nu-cong/trao-qua-cho-cong-nhan-kho-khan/")
    assert text(one.find("h1")) == text(two.find("h1")) == "Trao quà cho công nhân khó khăn"
    assert "50 suất quà" in text(one.find("main")) and "nuôi con nhỏ" in text(two.find("main"))


def test_category_pagination_and_parent_listing(basic_output):
    first = soup_of(basic_output, "/hoat-dong/")
    assert len(first.select("main .list > .card")) == 2
    assert first.select_one(".pagination a[rel=next]")["href"] == "/hoat-dong/trang-2/"
    second = soup_of(basic_output, "/hoat-dong/trang-2/")
    assert len(second.select("main .list > .card")) == 1
    assert second.select_one(".pagination a[rel=prev]")["href"] == "/hoat-dong/"


def test_home_has_lead_latest_blocks_and_picks(basic_output):
    home = soup_of(basic_output, "/")
    assert text(home.select_one(".home-lead .card-title")) == "Hội nghị biểu dương Công nhân giỏi năm 2026"
    assert [text(h) for h in home.select(".block-title")] == ["Thời sự", "Hoạt động"]
    assert text(home.select_one(".sidebar .box-title")) == "Nên xem"
    footer = text(home.select_one("footer.site-footer"))
    for part in ("Giấy phép số 01/GP-TTĐT", "Số 1 đường Thử", "0200 000 001", "0200 000 002", "lienhe@thu-nghiem.example.vn"):
        assert part in footer
    assert home.find("html")["lang"] == "vi"


def test_english_ui_strings(tmp_path, copy_site):
    site = copy_site("basic")
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("language: vi", "language: en"), "utf-8")
    assert build(site, tmp_path / "out").ok
    home = BeautifulSoup((tmp_path / "out/index.html").read_text("utf-8"), "html.parser")
    assert text(home.select_one(".sidebar .box-title")) == "Editor's picks"


def test_two_builds_are_byte_identical(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert build(SITES / "basic", one).ok and build(SITES / "basic", two).ok
    compared = filecmp.dircmp(one, two)

    def same(cmp):
        assert not cmp.left_only and not cmp.right_only and not cmp.diff_files, cmp.report()
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        assert not mismatch and not errors
        for sub in cmp.subdirs.values():
            same(sub)
    same(compared)


def test_cli_builds_another_site_folder_and_reports_errors(tmp_path, copy_site):
    out = tmp_path / "out"
    ok = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(SITES / "basic"), "--output", str(out),
                         "--today", "2026-11-22"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert (out / "index.html").is_file()
    site = copy_site("basic")
    bad = site / "content/articles/2026/thoi-su/trao-qua.md"
    bad.write_text(bad.read_text("utf-8").replace("category: thoi-su", "category: thoi-su-moi"), "utf-8")
    failed = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output", str(out)],
                            capture_output=True, text=True)
    assert failed.returncode == 1
    assert "content/articles/2026/thoi-su/trao-qua.md:4: error: unknown category 'thoi-su-moi'; did you mean 'thoi-su'?" in failed.stderr
    assert "Traceback" not in failed.stderr
    usage = subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-such-option"], capture_output=True, text=True)
    assert usage.returncode == 2


def test_number_filters_follow_the_site_language(tmp_path, copy_site):
    site = copy_site("basic")
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("language: vi", "language: en")
                      .replace("theme: congdoan", "theme: rieng"), "utf-8")
    theme = site / "themes" / "rieng"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: rieng\nparent: congdoan\n", encoding="utf-8")
    (theme / "templates" / "_footer.html").write_text(
        '<footer><p class="figures">{{ 1234567|number }} · {{ 2500000|money }}</p></footer>\n', encoding="utf-8")
    assert build(site, tmp_path / "out").ok
    home = BeautifulSoup((tmp_path / "out/index.html").read_text("utf-8"), "html.parser")
    assert text(home.select_one(".figures")) == "1,234,567 · 2,500,000 đ"
