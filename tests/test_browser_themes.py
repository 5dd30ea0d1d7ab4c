"""Both bundled themes (congdoan, tinh) in headless Chromium: menu, article layout, no overflow, print."""
import shutil

import pytest

from conftest import SITES, build, serve_folder

pytestmark = pytest.mark.browser

THEMES = ("congdoan", "tinh")
ARTICLE = "hoat-dong-cong-doan/hoi-nghi-nguoi-lao-dong-nam-2026-tai-nha-may-giay-lam-son/"
MENU = ["Trang chủ", "Thời sự", "Hoạt động Công đoàn", "Chính sách - Pháp luật", "Gương sáng", "Giới thiệu"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """tests/sites/themes built with each bundled theme (one site copy: the image cache is shared)."""
    site = tmp_path_factory.mktemp("themes") / "site"
    shutil.copytree(SITES / "themes", site)
    urls, stops = {}, []
    for theme in THEMES:
        out = site.parent / f"out-{theme}"
        report = build(site, out, theme=theme)
        assert report.ok, [d.format() for d in report.diagnostics]
        url, stop = serve_folder(out)
        urls[theme] = url
        stops.append(stop)
    yield urls
    for stop in stops:
        stop()


def overflow(page) -> int:
    """CSS pixels by which the page is wider than the viewport (0 or less when nothing overflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def open_page(browser, url: str, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.goto(url)
    return context, page


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", [390, 1366])
def test_menu_reaches_every_section_without_javascript(browser, sites, theme, width):
    context, page = open_page(browser, sites[theme], width, java_script_enabled=False)
    menu = page.get_by_role("navigation", name="Menu chính")
    assert menu.is_visible()
    links = menu.get_by_role("link")
    assert links.all_inner_texts() == MENU
    assert overflow(page) <= 0
    last = links.last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    last.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Giới thiệu"
    context.close()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", [390, 1366])
def test_article_layout(browser, sites, theme, width):
    context, page = open_page(browser, sites[theme] + ARTICLE, width)
    main, side = page.locator("main"), page.locator("main + *")
    title, cover, body = page.locator("article h1"), page.locator("figure.cover img"), page.locator(".article-body")
    assert title.is_visible() and cover.is_visible()
    t, c, b, m, s = (x.bounding_box() for x in (title, cover, body, main, side))
    assert t["y"] < c["y"] < b["y"], "title, cover, body in reading order"
    assert c["x"] >= m["x"] and c["x"] + c["width"] <= m["x"] + m["width"] + 1, "the cover stays in its column"
    if width >= 960:
        assert s["x"] >= m["x"] + m["width"], "the sidebar sits beside the article"
    else:
        assert s["y"] >= m["y"] + m["height"], "the sidebar comes after the article"
    assert overflow(page) <= 0
    context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_no_page_is_wider_than_the_window_from_360_to_1920(browser, sites, theme):
    for width in (360, 1920):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in ("", ARTICLE, "thoi-su/", "gioi-thieu/"):
            page.goto(sites[theme] + path)
            assert overflow(page) <= 0, f"{theme} {path or 'home'} at {width}px"
        context.close()


def test_tinh_looks_like_a_provincial_portal(browser, sites):
    context, page = open_page(browser, sites["tinh"], 1366)
    banner = page.locator(".site-header .slogan").bounding_box()
    assert banner["y"] == 0 and banner["width"] == 1366, "the slogan is a full-width banner on top"
    panel = page.get_by_role("navigation", name="Công đoàn trực thuộc")
    assert panel.get_by_role("link").count() == 4 and panel.is_visible()
    columns = page.locator(".tinh-columns > section")
    tops = {round(columns.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1, "the first three sections stand side by side"
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
    assert brand == "#0b4a8f"
    context.close()
    context, page = open_page(browser, sites["congdoan"], 1366)
    assert page.locator(".member-links").count() == 0 and page.locator(".tinh-columns").count() == 0
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()") == "#b0121b"
    context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_print_keeps_the_article_and_prints_link_addresses(browser, sites, theme):
    context, page = open_page(browser, sites[theme] + ARTICLE, 1366)
    page.emulate_media(media="print")
    for selector in (".main-nav", ".share", "main + *", ".more-news", ".site-footer", ".breadcrumb"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("article h1").is_visible() and page.locator(".article-body").is_visible()
    after = page.evaluate("""() => {
        const link = document.createElement('a');
        link.href = '/thoi-su/'; link.textContent = 'Thời sự';
        document.querySelector('.article-body p').append(link);
        return getComputedStyle(link, '::after').content;
    }""")
    assert after == '" (/thoi-su/)"'
    context.close()
