"""The built portal in headless Chromium, on a phone (390 px) and a laptop (1366 px)."""
import pytest

from conftest import SITES, build

pytestmark = pytest.mark.browser

ARTICLE = "thoi-su/hoi-nghi-bieu-duong-cong-nhan-gioi-nam-2026/"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "output"
    assert build(SITES / "basic", out).ok
    from conftest import serve_folder
    url, stop = serve_folder(out)
    yield url
    stop()


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing overflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [390, 1366])
def test_home_menu_works_without_javascript(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    menu = page.get_by_role("navigation", name="Menu chính")
    links = menu.get_by_role("link")
    assert links.count() == 4
    assert overflow(page) <= 0
    # The last menu item is reachable on a phone (the row scrolls) and leads to its page.
    last = links.last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    last.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Giới thiệu"
    context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_article_layout(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_url + ARTICLE)
    title = page.locator("article h1")
    sapo = page.locator("article .sapo")
    cover = page.locator("article figure.cover img")
    body = page.locator("article .article-body")
    assert title.is_visible() and sapo.is_visible() and cover.is_visible()
    t, s, c, b = (x.bounding_box() for x in (title, sapo, cover, body))
    assert t["y"] < s["y"] < c["y"] < b["y"], "title, sapo, cover, body in reading order"
    assert c["width"] <= width and c["x"] >= 0
    sidebar = page.locator("aside.sidebar")
    if width >= 960:
        assert sidebar.bounding_box()["x"] > b["x"] + b["width"] - 1, "sidebar beside the article"
    else:
        assert sidebar.bounding_box()["y"] > b["y"], "sidebar below the article on a phone"
    assert overflow(page) <= 0
    # The enhancement script fills in today's date and shows the print button.
    assert page.locator("#hom-nay").is_visible()
    assert page.locator("button[data-print]").is_visible()
    assert not errors
    context.close()
