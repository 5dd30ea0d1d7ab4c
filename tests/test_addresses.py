"""Published addresses stay valid: aliases redirect, a build warns when it would stop publishing an
address, and in `serve` an open tab follows its page to the new address."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SITES, build
from generator.urls import alias
from test_editorial_serve import saved, start_serve

ARTICLE = "content/articles/2026/giai-bong-chuyen.md"
OLD_URL = "/hoat-dong-cong-doan/khai-mac-giai-bong-chuyen-cong-nhan/"
NEW_TITLE = "Khai mạc giải bóng chuyền công nhân huyện Bến Đá"
NEW_URL = "/hoat-dong-cong-doan/khai-mac-giai-bong-chuyen-cong-nhan-huyen-ben-da/"


@pytest.fixture
def site(tmp_path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "editorial", target, ignore=shutil.ignore_patterns(".cache"))
    return target


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def retitle(site: Path, extra: str = "") -> None:
    edit(site, ARTICLE, "title: Khai mạc giải bóng chuyền công nhân\n", f"title: {NEW_TITLE}\n{extra}")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("value, expected", [
    ("/tin-cu/bai-viet", "/tin-cu/bai-viet/"), ("/tin-cu/bai-viet/", "/tin-cu/bai-viet/"),
    ("/tin/2019/05/123.html", "/tin/2019/05/123.html"), ("/tin/c%C3%B4ng-%C4%91o%C3%A0n/", "/tin/c%C3%B4ng-%C4%91o%C3%A0n/"),
])
def test_an_alias_is_a_site_path(value, expected):
    assert alias(value) == (expected, "")


@pytest.mark.parametrize("value", ["tin-cu/a/", "//evil.example/a/", "/a/../../etc/passwd", "/index.php?id=12",
                                   "/a#b", "/", "/tin cũ/", "https://old.example/a/"])
def test_a_bad_alias_is_refused(value):
    assert alias(value)[0] == "" and alias(value)[1]


def test_each_alias_gets_a_redirect_page(site, tmp_path):
    retitle(site, f"aliases: [{OLD_URL}, /tin-cu/123.html, /tin-tuc/bong-chuyen]\n")
    out = tmp_path / "out"
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    for rel in ("hoat-dong-cong-doan/khai-mac-giai-bong-chuyen-cong-nhan/index.html", "tin-cu/123.html",
                "tin-tuc/bong-chuyen/index.html"):
        page = soup(out / rel)
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert page.find("link", rel="canonical")["href"] == "https://ben-da.example.vn" + NEW_URL
        assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={NEW_URL}"
        assert page.find("a")["href"] == NEW_URL and page.find("a").get_text() == NEW_TITLE
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert "tin-cu" not in sitemap and OLD_URL not in sitemap


@pytest.mark.parametrize("aliases, message", [
    ("[/thoi-su/]", "the old address /thoi-su/ is a page this site publishes"),
    ("[/rss.xml]", "the old address /rss.xml is a page this site publishes"),
    ("[/thoi-su/hoi-nghi-nguoi-lao-dong-nha-may-gach-ben-da/]", "is the address of content/articles/2026/hoi-nghi-nguoi-lao-dong.md"),
    ("[/gioi-thieu/]", "is the address of content/pages/gioi-thieu.md"),
    ("[/a/../../etc/passwd]", "'..' cannot be part of an address"),
])
def test_an_alias_that_takes_a_real_address_or_leaves_the_site_is_an_error(site, tmp_path, aliases, message):
    retitle(site, f"aliases: {aliases}\n")
    report = build(site, tmp_path / "out")
    assert not report.ok
    assert any(d.path == ARTICLE and d.line == 3 and message in d.message for d in report.diagnostics), \
        [d.format() for d in report.diagnostics]


def test_two_documents_may_not_claim_one_alias(site, tmp_path):
    retitle(site, "aliases: [/tin-cu/1/]\n")
    edit(site, "content/pages/gioi-thieu.md", "title:", "aliases: [/tin-cu/1/]\ntitle:")
    report = build(site, tmp_path / "out")
    assert any("the old address /tin-cu/1/ is also listed by" in d.message for d in report.diagnostics)


def test_a_retitled_article_warns_with_the_alias_line_to_add(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    retitle(site)
    report = build(site, out)
    assert report.ok
    [warning] = [d for d in report.diagnostics if "moves from" in d.message]
    assert (warning.path, warning.line, warning.severity) == (ARTICLE, 2, "warning")
    assert f"moves from {OLD_URL} to {NEW_URL}" in warning.message
    assert warning.hint == f"add the line: aliases: [{OLD_URL}]"
    assert report.moved == {OLD_URL: NEW_URL}
    again = build(site, out)                     # said once: the next build knows the new address
    assert not [d for d in again.diagnostics if "moves from" in d.message]


def test_a_category_change_points_at_the_category_line(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    edit(site, ARTICLE, "category: hoat-dong-cong-doan", "category: thoi-su")
    report = build(site, out)
    [warning] = [d for d in report.diagnostics if "moves from" in d.message]
    assert warning.line == 4 and "to /thoi-su/khai-mac-giai-bong-chuyen-cong-nhan/" in warning.message


def test_an_alias_keeps_the_old_address_without_a_warning(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    retitle(site, f"aliases: [{OLD_URL}]\n")
    report = build(site, out)
    assert report.ok and not [d for d in report.diagnostics if d.severity == "warning" and d.path == ARTICLE]
    assert (out / OLD_URL.strip("/") / "index.html").is_file()


def test_a_deleted_article_warns_naming_its_address(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    (site / ARTICLE).unlink()
    report = build(site, out)
    [warning] = [d for d in report.diagnostics if "no longer published" in d.message]
    assert warning.path == ARTICLE and warning.message.startswith(OLD_URL)
    assert warning.hint == f"if another page replaces it, add to that page: aliases: [{OLD_URL}]"


@pytest.mark.browser
def test_in_serve_a_retitled_articles_tab_follows_it(browser, site, tmp_path):
    process, base, _ = start_serve(site, tmp_path)
    try:
        page = browser.new_page()
        page.goto(base + OLD_URL)
        assert page.locator("h1").inner_text() == "Khai mạc giải bóng chuyền công nhân"
        saved(page, lambda: retitle(site))
        page.wait_for_url(base + NEW_URL)
        assert page.locator("h1").inner_text() == NEW_TITLE
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.browser
def test_after_a_slug_change_with_an_alias_the_old_address_redirects(browser, site, tmp_path, served):
    out = tmp_path / "out"
    assert build(site, out).ok
    edit(site, ARTICLE, "title: Khai mạc giải bóng chuyền công nhân\n",
         f"title: Khai mạc giải bóng chuyền công nhân\nslug: bong-chuyen-ben-da\naliases: [{OLD_URL}]\n")
    assert build(site, out).ok
    origin = served(out).rstrip("/")
    page = browser.new_page()
    page.goto(origin + OLD_URL)
    page.wait_for_url(origin + "/hoat-dong-cong-doan/bong-chuyen-ben-da/")
    assert page.locator("h1").inner_text() == "Khai mạc giải bóng chuyền công nhân"
    page.close()


# -- permalink patterns ---------------------------------------------------------------------------

def set_permalinks(site: Path, pattern: str) -> None:
    with open(site / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write(f'permalinks: {{article: "{pattern}"}}\n')


def test_a_permalink_pattern_sets_every_articles_address(site, tmp_path):
    set_permalinks(site, "/tin-tuc/:year/:month/:day/:slug/")
    edit(site, "content/articles/2026/hoi-nghi-nguoi-lao-dong.md", "/nu-cong/trao-qua-cho-nu-cong-nhan/",
         "/tin-tuc/2026/03/08/trao-qua-cho-nu-cong-nhan/")        # a body link, written by the new pattern
    out = tmp_path / "out"
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    target = "/tin-tuc/2026/04/02/khai-mac-giai-bong-chuyen-cong-nhan/"
    page = soup(out / target.strip("/") / "index.html")
    assert page.find("h1").get_text(strip=True) == "Khai mạc giải bóng chuyền công nhân"
    assert page.find("link", rel="canonical")["href"] == "https://ben-da.example.vn" + target
    assert not (out / "hoat-dong-cong-doan" / "khai-mac-giai-bong-chuyen-cong-nhan").exists()
    listing = soup(out / "hoat-dong-cong-doan" / "index.html")
    assert target in {a["href"] for a in listing.select("main a")}
    assert target in (out / "sitemap.xml").read_text("utf-8")
    import feedparser
    feed = feedparser.parse((out / "rss.xml").read_bytes())
    assert "https://ben-da.example.vn" + target in {e.link for e in feed.entries}


def test_changing_the_pattern_warns_for_each_moved_article(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    set_permalinks(site, "/:year/:slug/")
    report = build(site, out)
    moved = [d for d in report.diagnostics if "moves from" in d.message]
    assert len(moved) == 3 and all(d.message.split(" to ")[1].startswith("/2026/") for d in moved)


@pytest.mark.parametrize("pattern, message", [
    ("/:category/", "must contain :slug"),
    (":category/:slug", "must start and end with '/'"),
    ("/:category/:slug.html/", "may hold only"),
    ("/chu-de/:slug/", "cannot start with /chu-de/"),
])
def test_a_bad_permalink_pattern_is_an_error_of_site_yaml(site, tmp_path, pattern, message):
    set_permalinks(site, pattern)
    report = build(site, tmp_path / "out")
    assert any(d.path == "site.yaml" and d.line == 24 and message in d.message for d in report.diagnostics), \
        [d.format() for d in report.diagnostics]


def test_two_articles_at_one_address_by_the_pattern_are_an_error(site, tmp_path):
    set_permalinks(site, "/:year/:slug/")
    (site / "content" / "articles" / "2026" / "trung.md").write_text(
        "---\ntitle: Khai mạc giải bóng chuyền công nhân\ndate: 2026-05-01 08:00\ncategory: thoi-su\n---\n\nBài khác.\n",
        "utf-8")
    report = build(site, tmp_path / "out")
    assert any("two articles would be published at /2026/khai-mac-giai-bong-chuyen-cong-nhan/" in d.message
               for d in report.diagnostics)


def test_a_roll_may_have_aliases_and_its_move_is_warned(site, tmp_path):
    roll = "content/honours/2026/cong-nhan-gioi-2026.yaml"
    out = tmp_path / "out"
    assert build(site, out).ok
    (site / roll).rename(site / "content/honours/2026/cong-nhan-gioi-ben-da-2026.yaml")
    report = build(site, out)
    [warning] = [d for d in report.diagnostics if "no longer published" in d.message]
    assert warning.path == roll and warning.message.startswith("/vinh-danh/cong-nhan-gioi-2026/")
    moved = site / "content/honours/2026/cong-nhan-gioi-ben-da-2026.yaml"
    moved.write_text(moved.read_text("utf-8").replace("year: 2026", "year: 2026\naliases: [/vinh-danh/cong-nhan-gioi-2026/]"),
                     "utf-8")
    assert build(site, out).ok
    page = soup(out / "vinh-danh" / "cong-nhan-gioi-2026" / "index.html")
    assert page.find("link", rel="canonical")["href"] == "https://ben-da.example.vn/vinh-danh/cong-nhan-gioi-ben-da-2026/"
