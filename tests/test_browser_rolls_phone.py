"""A long honour roll on a phone (390 x 844) in headless Chromium: the filter is reachable from the
first screen, page links sit above and below the list, the reader can re-order the list by unit or
award and back to the Vietnamese name order, sectioned rolls keep their sections, and without
JavaScript the plain paginated list works with no dead control on show."""
import random
import shutil

import pytest

from conftest import SITES, build
from generator.vietnamese import name_sort_key, search_fold, text_sort_key

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ông"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Hữu"]
GIVEN = ["Anh", "Ánh", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Ơn", "Sơn", "Tâm", "Yến"]
# Unit and award names whose Vietnamese order differs from code-point order ("Đ" after "G" and "Á"
# after "B" by code point, before them in Vietnamese).
UNITS = ["Công ty Giang Sơn", "Công ty Đông Á", "Công ty Dệt Hà Châu", "Công ty Bắc Hà", "Công ty Ánh Dương",
         "Công ty An Phát", "Công ty Ô tô Lam Điền", "Công ty Ơn Bình", "Công ty Cơ khí Sơn Hà", "Công ty Yên Thế"]
AWARDS = ["Lao động xuất sắc", "Công nhân giỏi", "Đoàn viên ưu tú", "Giải Ba hội thi tay nghề"]
ROLL = "vinh-danh/dai-2026/"
SECTIONED = "vinh-danh/co-phan-2026/"


def _roll_yaml() -> str:
    rng = random.Random(18)
    lines = ["title: Công nhân giỏi toàn tỉnh 2026", "kind: cong-nhan-gioi", "year: 2026",
             "issuer: Ban Thường vụ LĐLĐ tỉnh Thử nghiệm", "decision: Quyết định số 377/QĐ-LĐLĐ ngày 06/11/2026",
             "entries:", "  - name: Nguyễn Văn An", "    unit: Công ty Giang Sơn", "    locality: Đông Hà",
             "    award: Công nhân giỏi"]
    for i in range(449):
        lines += [f"  - name: {rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                  f"    unit: {rng.choice(UNITS)}", f"    locality: Quận {rng.randint(1, 9)}"]
        if i % 90:      # a few entries carry no award: they come last in award order
            lines.append(f"    award: {rng.choice(AWARDS)}")
    return "\n".join(lines) + "\n"


def _sectioned_yaml() -> str:
    rng = random.Random(7)
    lines = ["title: Khen thưởng có phân nhóm 2026", "kind: khen-thuong", "year: 2026", "entries:"]
    for i in range(12):
        lines += [f"  - collective: Tổ sản xuất số {i + 1}", f"    unit: {rng.choice(UNITS)}",
                  f"    award: {rng.choice(AWARDS)}", "    section: A. TẬP THỂ"]
    for _ in range(30):
        lines += [f"  - name: {rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                  f"    unit: {rng.choice(UNITS)}", f"    award: {rng.choice(AWARDS)}", "    section: B. CÁ NHÂN"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The honours fixture with a generated 450-entry roll (3 pages) and a roll in two sections."""
    root = tmp_path_factory.mktemp("rolls-phone")
    source = root / "site"
    shutil.copytree(SITES / "honours", source)
    (source / "content/honours/2025/dai-2026.yaml").write_text(_roll_yaml(), encoding="utf-8")
    (source / "content/honours/2025/co-phan-2026.yaml").write_text(_sectioned_yaml(), encoding="utf-8")
    output = root / "out"
    report = build(source, output)
    assert report.ok, [d.format() for d in report.diagnostics]
    return output


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(8_000)
    yield context.new_page()
    context.close()


def filter_control(page):
    return page.get_by_role("button", name="Lọc / Tìm tên")


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return (box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
            and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"])


def visible_entries(page, limit=40):
    """(title, unit, award) of the first visible entries of the list, whichever way it is shown."""
    return page.evaluate("""limit => Array.from(document.querySelectorAll('main li.honour-entry'))
        .filter(li => li.offsetParent !== null).slice(0, limit)
        .map(li => [li.querySelector('.honour-title').textContent.trim(),
                    (li.querySelector('.honour-unit') || {textContent: ''}).textContent.trim(),
                    (li.querySelector('.honour-award') || {textContent: ''}).textContent.trim()])""", limit)


def wait_for_data(page):
    page.wait_for_function("document.querySelectorAll('#loc-unit option').length > 5")


def test_filter_control_is_on_the_first_screen_and_focuses_the_name_field(site, phone, served):
    page = phone
    page.goto(served(site) + ROLL)
    control = filter_control(page)
    control.wait_for(state="visible")
    assert in_viewport(page, control)
    # It does not sit on the title.
    title, box = page.locator("h1").bounding_box(), control.bounding_box()
    assert box["y"] >= title["y"] + title["height"] or box["y"] + box["height"] <= title["y"]

    control.click()
    name = page.locator("#loc-ten")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'loc-ten'")
    assert in_viewport(page, name)
    # The control steps aside while the filter is on screen.
    page.wait_for_function("!document.querySelector('[data-roll-jump]').checkVisibility()")

    # Keyboard: reached with Tab from the top of a freshly loaded page, activated with Enter.
    page.evaluate("window.scrollTo(0, 0)")
    page.reload()
    control.wait_for(state="visible")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-roll-jump')"):
            break
    else:
        pytest.fail("the filter control is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'loc-ten'")
    assert in_viewport(page, name)

    wait_for_data(page)
    page.keyboard.type("nguyen van an")
    page.wait_for_function("""() => {
        const titles = Array.from(document.querySelectorAll('.filter-results .honour-title'), a => a.textContent);
        const fold = t => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
        return titles.length > 0 && titles.every(t => fold(t).startsWith('nguyen van an')); }""")
    titles = [t for t, _, _ in visible_entries(page, 500)]
    assert "Nguyễn Văn An" in titles and len(titles) < 200
    assert all(search_fold(t).startswith("nguyen van an") for t in titles)

    # Scrolled to the page links below the list, or to the very end, the control covers none of them.
    page.locator("#loc-ten").fill("")
    page.wait_for_selector("[data-honour-static]:not([hidden])")
    bottom = page.locator(".honour-pages").last
    for scroll in ("arguments => document.querySelector('.honour-pages--bottom').scrollIntoView({block: 'end'})",
                   "() => window.scrollTo(0, document.documentElement.scrollHeight)"):
        page.evaluate(scroll)
        page.wait_for_timeout(200)
        if not control.is_visible():
            continue
        box = control.bounding_box()
        for link in bottom.locator("a").all():
            other = link.bounding_box()
            assert (other["x"] + other["width"] <= box["x"] or box["x"] + box["width"] <= other["x"]
                    or other["y"] + other["height"] <= box["y"] or box["y"] + box["height"] <= other["y"]), link.inner_text()
    # Back in the list, it is there again.
    page.locator(".honour-static li.honour-entry").nth(100).scroll_into_view_if_needed()
    control.wait_for(state="visible")


def test_page_links_before_and_after_the_list(site, phone, served):
    page = phone
    page.goto(served(site) + ROLL)
    navs = page.locator("nav.honour-pages")
    assert navs.count() == 2
    first_entry = page.locator(".honour-static li.honour-entry").first.bounding_box()
    last_entry = page.locator(".honour-static li.honour-entry").last.bounding_box()
    top, bottom = navs.first.bounding_box(), navs.last.bounding_box()
    assert top["y"] + top["height"] <= first_entry["y"]
    assert bottom["y"] >= last_entry["y"] + last_entry["height"]
    for nav in (navs.first, navs.last):
        hrefs = [a.get_attribute("href") for a in nav.locator("a").all()]
        assert "/" + ROLL + "trang-2/" in hrefs and "/" + ROLL + "trang-3/" in hrefs
    # Two navigation regions, each with a name of its own.
    labels = [n.get_attribute("aria-label") for n in navs.all()]
    assert all(labels) and labels[0] != labels[1]
    # The top links work.
    navs.first.locator("a[href$='trang-3/']").click()
    page.wait_for_url("**/trang-3/")
    assert page.locator(".honour-static li.honour-entry").first.get_attribute("id") == "muc-401"


def test_order_by_unit_and_award_then_back_to_name(site, phone, served):
    page = phone
    page.goto(served(site) + ROLL)
    wait_for_data(page)
    by_name = visible_entries(page)
    assert [t for t, _, _ in by_name] == sorted((t for t, _, _ in by_name), key=name_sort_key)

    page.get_by_role("radio", name="Đơn vị").check()
    page.wait_for_selector("[data-honour-static][hidden]", state="attached")
    shown = visible_entries(page)
    assert shown[0][1] == min(UNITS, key=text_sort_key) == "Công ty An Phát"
    keys = [(text_sort_key(u), name_sort_key(t)) for t, u, _ in shown]
    assert keys == sorted(keys)
    assert page.locator(".filter-results h3").first.inner_text().startswith("Công ty An Phát")

    page.get_by_role("radio", name="Danh hiệu").check()
    page.wait_for_function("document.querySelector('.filter-results h3').textContent.startsWith('Công nhân giỏi')")
    shown = visible_entries(page)
    assert [a for _, _, a in shown[:3]] == ["Công nhân giỏi"] * 3
    keys = [(text_sort_key(a), name_sort_key(t)) for t, _, a in shown]
    assert keys == sorted(keys)
    # All of the roll is there in that order, in steps: the next award follows the first.
    awards = []
    while page.locator(".filter-more").is_visible():
        page.locator(".filter-more").click()
    for _, _, award in visible_entries(page, 1000):
        if not awards or awards[-1] != award:
            awards.append(award)
    assert awards == ["Công nhân giỏi", "Đoàn viên ưu tú", "Giải Ba hội thi tay nghề", "Lao động xuất sắc", ""]

    # The order also applies to a filtered list.
    page.locator("#loc-ten").fill("an")
    page.wait_for_function("document.querySelector('.filter-status').textContent.startsWith('Tìm thấy')")
    filtered = visible_entries(page, 1000)
    keys = [((0, text_sort_key(a)) if a else (1,), name_sort_key(t)) for t, _, a in filtered]
    assert keys == sorted(keys)
    page.locator("#loc-ten").fill("")

    page.get_by_role("radio", name="Tên").check()
    page.wait_for_selector("[data-honour-static]:not([hidden])")
    assert visible_entries(page) == by_name


def test_sectioned_roll_keeps_its_sections_in_every_order(site, phone, served):
    page = phone
    page.goto(served(site) + SECTIONED)
    wait_for_data(page)
    static = page.locator(".honour-static h2").all_inner_texts()
    assert static == ["A. TẬP THỂ", "B. CÁ NHÂN"]
    page.get_by_role("radio", name="Đơn vị").check()
    page.wait_for_selector("[data-honour-static][hidden]", state="attached")
    groups = page.evaluate("""() => Array.from(document.querySelectorAll('.filter-results h3')).map(h => h.textContent)""")
    sections = [g.split(" – ")[0] for g in groups]
    assert sections == sorted(sections) and set(sections) == {"A. TẬP THỂ", "B. CÁ NHÂN"}
    titles = [t for t, _, _ in visible_entries(page, 100)]
    collectives = [t.startswith("Tổ sản xuất") for t in titles]
    assert collectives == [True] * 12 + [False] * 30          # the first section stays first


def test_without_javascript_the_paginated_list_works(site, browser, served):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(8_000)
    page = context.new_page()
    try:
        page.goto(served(site) + ROLL)
        entries = page.locator(".honour-static li.honour-entry")
        assert entries.count() == 200 and entries.first.is_visible()
        # No control that needs JavaScript is on show.
        assert not filter_control(page).is_visible()
        assert page.locator("[data-roll-jump]").count() == 1 and page.locator("[data-roll-jump]").is_hidden()
        assert page.locator("form[data-honour-filter]").is_hidden()
        assert not any(r.is_visible() for r in page.get_by_role("radio").all())
        assert not any(b.is_visible() for b in page.locator("main button").all())
        # The page links work, from the top and from the bottom.
        page.locator("nav.honour-pages").first.locator("ol a[href$='trang-2/']").click()
        page.wait_for_url("**/trang-2/")
        assert entries.first.get_attribute("id") == "muc-201"
        page.locator("nav.honour-pages").last.locator("a[rel=next]").click()
        page.wait_for_url("**/trang-3/")
        assert entries.first.get_attribute("id") == "muc-401" and entries.count() == 50
    finally:
        context.close()
