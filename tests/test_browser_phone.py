"""Readers on phones: the sample site (repo root) in headless Chromium, with both bundled themes.

- every menu item is one tap (on the menu control) away on a 360 px phone, with and without
  JavaScript, and the control works from the keyboard;
- the editor's picks ("Nên xem") come within the first three screens of the home page;
- on a laptop the home page's right column carries campaigns, honour rolls and videos below the
  picks, and the secondary items of each section have small lazy thumbnails.
"""
import re

import pytest

from conftest import ROOT, build
from generator.config import load_config

pytestmark = pytest.mark.browser

THEMES = ("congdoan", "tinh")
PHONE = {"width": 360, "height": 740}
TALL_PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
MENU_NAME = "Menu chính"
# The title of the picks box: congdoan's string, and tinh's own (themes/tinh/theme.yaml).
PICKS = {"congdoan": "Nên xem", "tinh": "Tiêu điểm"}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The sample site built once with each bundled theme."""
    built = {}
    for theme in THEMES:
        out = tmp_path_factory.mktemp("phone") / f"out-{theme}"
        report = build(ROOT, out, theme=theme)
        assert report.ok, [d.format() for d in report.diagnostics]
        built[theme] = out
    return built


@pytest.fixture(scope="module")
def menu():
    config, _ = load_config(ROOT)
    items = [(m.title, config.base_path + m.url.lstrip("/")) for m in config.menu]
    assert len(items) >= 9, "the sample menu is long enough to overflow a phone"
    return items


# A link is reachable when a tap at its centre lands on it: it is laid out, wholly inside the
# viewport (the page not scrolled), and neither clipped by a scrolling row nor covered.
REACHABLE = """el => {
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === el || el.contains(hit));
}"""


def reachable_hrefs(page) -> set[str]:
    """hrefs of the menu's links a tap would hit right now."""
    nav = page.get_by_role("navigation", name=MENU_NAME)
    found = set()
    for link in nav.locator("a[href]").all():
        if link.evaluate(REACHABLE):
            found.add(link.get_attribute("href"))
    return found


def menu_control(page, why: str = ""):
    """The one control of the menu (a <summary> or <button>) shown on this screen."""
    nav = page.get_by_role("navigation", name=MENU_NAME)
    controls = [c for c in nav.locator("summary, button").all() if c.is_visible()]
    assert len(controls) == 1, f"expected one visible menu control in the '{MENU_NAME}' nav, found {len(controls)}{why}"
    return controls[0]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", ["", "thoi-su/"], ids=["home", "category"])
def test_every_menu_item_is_one_tap_away_on_a_phone(browser, served, outputs, menu, theme, javascript, path):
    url = served(outputs[theme])
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url + path)
    wanted = {href for _, href in menu}
    before = reachable_hrefs(page)
    missing = sorted(wanted - before)
    if missing:                                   # one tap on the control must bring the rest
        control = menu_control(page, f"; out of reach without it: {missing}")
        assert control.evaluate(REACHABLE), "the menu control is on the first screen"
        box = control.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        after = reachable_hrefs(page)
        assert not wanted - after, f"after one tap, still out of reach: {sorted(wanted - after)}"
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
        # A tap on the last item (one that was out of reach) opens its page.
        title, href = next((t, h) for t, h in reversed(menu) if h in missing)
        nav = page.get_by_role("navigation", name=MENU_NAME)
        target = next(a for a in nav.locator(f'a[href="{href}"]').all() if a.evaluate(REACHABLE))
        assert target.inner_text().strip() == title
        box = target.bounding_box()
        with page.expect_navigation():
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.url == url + href.lstrip("/")
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("theme", THEMES)
def test_menu_control_works_from_the_keyboard(browser, served, outputs, menu, theme, javascript):
    url = served(outputs[theme])
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url + "thoi-su/")
    control = menu_control(page)
    assert control.inner_text().strip() == "Chuyên mục", "the control has a visible, accessible name"
    for _ in range(20):                               # Tab from the top of the page to the control
        page.keyboard.press("Tab")
        if control.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reaches the menu control")
    focus = control.evaluate("""el => ({visible: el.matches(':focus-visible'),
                                        outline: getComputedStyle(el).outlineStyle,
                                        width: parseFloat(getComputedStyle(el).outlineWidth)})""")
    assert focus["visible"] and focus["outline"] != "none" and focus["width"] >= 2, focus
    wanted = {href for _, href in menu}
    for key in ("Enter", "Space"):
        page.keyboard.press(key)
        assert not wanted - reachable_hrefs(page), f"{key} opens the menu"
        if key == "Enter":
            page.keyboard.press("Enter")                  # and closes it again
            assert wanted - reachable_hrefs(page), "Enter closes the menu"
    # The open menu marks the current section, and Tab goes on into its links.
    nav = page.get_by_role("navigation", name=MENU_NAME)
    current = [a for a in nav.locator('a[aria-current="page"]').all() if a.evaluate(REACHABLE)]
    assert current and {a.get_attribute("href") for a in current} == {"/thoi-su/"}
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == menu[0][1]
    context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_picks_come_within_three_screens_of_the_phone_home_page(browser, served, outputs, theme):
    url = served(outputs[theme])
    context = browser.new_context(viewport=TALL_PHONE)
    page = context.new_page()
    page.goto(url)
    heading = page.locator("#nen-xem")
    assert heading.inner_text().strip().casefold() == PICKS[theme].casefold()
    lead = page.locator("main .card--lead").bounding_box()
    top = heading.bounding_box()["y"]
    assert lead["y"] + lead["height"] <= top, "the picks come after the lead story"
    assert top < 3 * TALL_PHONE["height"], f"'{PICKS[theme]}' starts at {top:.0f}px, beyond three screens"
    assert heading.locator("xpath=..").locator("a[href]").count() >= 4
    context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_laptop_home_fills_the_right_column_and_thumbnails_secondary_items(browser, served, outputs, theme):
    url = served(outputs[theme])
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(url)
    picks_box = page.locator("#nen-xem").locator("xpath=..")
    picks = picks_box.bounding_box()
    first_block = page.locator('main section[aria-labelledby^="khoi-"]').first.bounding_box()
    assert picks["x"] >= first_block["x"] + first_block["width"], "the picks stand in the right column"
    # The right column below the picks: campaigns under way with their progress, the newest
    # honour rolls and the videos, starting right under the picks.
    below = page.evaluate("""(picks) => [...document.querySelectorAll('main h2')].map(h => {
            const r = h.getBoundingClientRect();
            return {text: h.textContent.trim(), x: r.x, y: r.y + scrollY};
        }).filter(h => h.x >= picks.x - 1 && h.y > picks.y + picks.height - 1)""", picks)
    titles = [h["text"] for h in below]
    for expected in ("Phong trào thi đua", "Vinh danh", "Video"):
        assert any(t.casefold() == expected.casefold() for t in titles), f"'{expected}' not in the right column: {titles}"
    assert below and below[0]["y"] - (picks["y"] + picks["height"]) < 80, "no hole under the picks"

    def in_right_column(locator) -> list:
        return [x for x in locator.all() if x.is_visible() and x.bounding_box()["x"] >= picks["x"] - 1]

    bars = in_right_column(page.locator('main [role="progressbar"]'))
    assert bars and all(b.get_attribute("aria-valuenow") and b.get_attribute("aria-valuetext") for b in bars)
    assert in_right_column(page.locator('main a[href*="/vinh-danh/"]'))
    assert in_right_column(page.locator("main .card--video a[href]"))

    # Secondary items of each section: a small <img> thumbnail with its size, loaded lazily.
    blocks = page.locator('main section[aria-labelledby^="khoi-"]')
    assert blocks.count() >= 6
    for i in range(blocks.count()):
        cards = blocks.nth(i).locator("article.card")
        assert cards.count() >= 2
        for j in range(1, cards.count()):
            img = cards.nth(j).locator("img")
            assert img.count() == 1, f"section {i}, item {j} has no thumbnail"
            assert img.get_attribute("loading") == "lazy"
            assert re.fullmatch(r"\d+", img.get_attribute("width") or "")
            assert re.fullmatch(r"\d+", img.get_attribute("height") or "")
            img.scroll_into_view_if_needed()
            box = img.bounding_box()
            assert box and 48 <= box["width"] <= 160, f"section {i}, item {j}: thumbnail {box}"
            img.evaluate("el => el.complete || new Promise(r => el.addEventListener('load', r, {once: true}))")
            source = img.evaluate("el => el.currentSrc")
            variant = re.search(r"-(\d+)\.(webp|jpg)$", source)
            assert variant and int(variant.group(1)) <= 400, f"thumbnail loads {source}"
    # The lead picture stays eager and first in line.
    lead = page.locator("main .card--lead img")
    assert lead.get_attribute("fetchpriority") == "high" and lead.get_attribute("loading") is None
    context.close()
