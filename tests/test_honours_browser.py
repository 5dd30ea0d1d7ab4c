"""Live filtering of a long roll in headless Chromium: by unit, and by a name typed without diacritics."""
import random

import pytest

from conftest import build

pytestmark = pytest.mark.browser

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Hữu"]
GIVEN = ["Anh", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Quang", "Sơn", "Tâm"]
UNITS = [f"Công ty Cổ phần Số {i}" for i in range(1, 41)]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """A copy of the honours fixture with a generated roll of 2,400 entries."""
    import shutil
    from conftest import SITES
    root = tmp_path_factory.mktemp("big")
    site = root / "site"
    shutil.copytree(SITES / "honours", site)
    rng = random.Random(3)
    lines = ["title: Công nhân giỏi toàn tỉnh 2026", "kind: cong-nhan-gioi", "year: 2026", "entries:",
             "  - name: Nguyễn Văn An", "    unit: Công ty Cổ phần Số 7", "    locality: Đông Hà",
             "    award: Công nhân giỏi xuất sắc"]
    for _ in range(2399):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        lines += [f"  - name: {name}", f"    unit: {rng.choice(UNITS)}", f"    locality: Quận {rng.randint(1, 12)}",
                  f"    award: {rng.choice(['Công nhân giỏi', 'Lao động giỏi'])}"]
    (site / "content/honours/2025/toan-tinh-2026.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = root / "out"
    report = build(site, output)
    assert report.ok, [d.format() for d in report.diagnostics]
    return output


def test_big_roll_pages_stay_small(big_site):
    pages = list((big_site / "vinh-danh/toan-tinh-2026").glob("**/index.html"))
    assert len(pages) > 12
    assert max(p.stat().st_size for p in pages) < 300_000


def test_filter_by_unit_and_name_without_diacritics(big_site, browser, served):
    url = served(big_site) + "vinh-danh/toan-tinh-2026/"
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(url)
        form = page.locator("form[data-honour-filter]")
        form.wait_for(state="visible")
        # The unit select fills from the JSON index of the whole roll.
        page.wait_for_function("document.querySelectorAll('#loc-unit option').length > 40")
        page.select_option("#loc-unit", label="Công ty Cổ phần Số 7")
        page.wait_for_selector("[data-honour-results]:not([hidden])")
        results = page.locator(".filter-results li")
        count = results.count()
        assert 20 < count < 200
        metas = page.locator(".filter-results .honour-meta").all_inner_texts()
        assert all("Công ty Cổ phần Số 7" in m for m in metas)
        assert page.locator("[data-honour-static]").is_hidden()

        page.fill("#loc-ten", "nguyen van an")
        page.wait_for_function("document.querySelectorAll('.filter-results li').length < %d" % count)
        titles = page.locator(".filter-results .honour-title").all_inner_texts()
        assert "Nguyễn Văn An" in titles
        assert all(t.startswith("Nguyễn Văn An") for t in titles)
        status = page.locator(".filter-status").inner_text()
        assert status.startswith("Tìm thấy")

        # The result links to the entry's place in the paged list.
        link = page.locator(".filter-results a", has_text="Nguyễn Văn An").first.get_attribute("href")
        assert link.startswith("/vinh-danh/toan-tinh-2026/") and "#muc-" in link

        # "đ" is found by "d" across the whole roll (entries on later pages too).
        page.select_option("#loc-unit", value="")
        page.fill("#loc-ten", "dang")
        page.wait_for_function("(document.querySelector('.filter-results .honour-title') || {}).textContent"
                               " && !document.querySelector('.filter-results .honour-title').textContent.startsWith('Nguyễn')")
        titles = page.locator(".filter-results .honour-title").all_inner_texts()
        assert len(titles) == 200 and all(t.startswith("Đặng") for t in titles)     # first batch shown
        total = int(page.locator(".filter-status").inner_text().split()[2].replace(".", ""))
        assert total > 200      # more than one page of the static list holds

        page.click("button[type=reset]")
        page.wait_for_selector("[data-honour-static]:not([hidden])")
    finally:
        page.close()


def test_roll_is_complete_without_javascript(big_site, browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served(big_site) + "vinh-danh/toan-tinh-2026/")
        assert page.locator("form[data-honour-filter]").is_hidden()
        page.click(".honour-browse a:has-text('Theo đơn vị')")
        page.click("a:has-text('Công ty Cổ phần Số 7')")
        assert "Nguyễn Văn An" in page.locator(".honour-static").inner_text()
    finally:
        context.close()
