"""Searching the site in headless Chromium, in Vietnamese with and without diacritics."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


pytestmark = pytest.mark.browser
HAS_ROLLS = importlib.util.find_spec("generator.honours") is not None


@pytest.fixture(scope="module")
def output(discovery_output) -> Path:
    return discovery_output


@pytest.fixture
def home(browser, served, output):
    page = browser.new_page()
    page.goto(served(output))
    yield page
    page.close()


def search(page, query: str) -> list[dict]:
    """Type a query in the header search box, submit, and read the results shown."""
    page.fill("#o-tim-kiem", query)
    page.press("#o-tim-kiem", "Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
    page.wait_for_selector("[data-search][data-state=done]")
    return page.eval_on_selector_all(".search-result", """items => items.map(li => ({
        title: li.querySelector('h2').textContent,
        href: li.querySelector('a').getAttribute('href'),
        meta: (li.querySelector('.search-result-meta') || {}).textContent || '',
        excerpt: li.querySelector('.search-result-excerpt').textContent,
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")


def test_typed_without_diacritics_finds_cong_nhan_gioi(home):
    results = search(home, "cong nhan gioi")
    assert any("Công nhân giỏi" in r["title"] for r in results), results
    story = next(r for r in results if r["title"] == "Tuyên dương 50 Công nhân giỏi năm 2026")
    assert story["href"] == "/thoi-su/tuyen-duong-50-cong-nhan-gioi-nam-2026/"
    assert story["meta"] == "Thời sự · 20/09/2026", "category and date"
    assert "công nhân giỏi" in story["excerpt"].lower(), "excerpt shown with its diacritics"
    assert {m.lower() for m in story["marks"]} >= {"công", "nhân"}


def test_cong_doan_finds_cong_doan_despite_the_letter_d(home):
    results = search(home, "cong doan")
    assert results and "Công đoàn" in results[0]["title"], [r["title"] for r in results]
    assert "đoàn" in " ".join(results[0]["marks"]).lower()


def test_dai_hoi_finds_dai_hoi(home):
    titles = [r["title"] for r in search(home, "dai hoi")]
    assert "Đại hội" in titles[0], titles


def test_query_with_diacritics_ranks_exact_matches_first(home):
    titles = [r["title"] for r in search(home, "đại hội")]
    assert "Đại hội" in titles[0], titles
    titles = [r["title"] for r in search(home, "áo dài")]
    assert titles[0] == "Hội thi áo dài nữ công nhân", titles


def test_status_says_how_many_results_and_when_there_are_none(home):
    results = search(home, "cong nhan gioi")
    while home.is_visible("#them-ket-qua"):         # ten at a time: show them all
        home.click("#them-ket-qua")
        home.wait_for_function(f"document.querySelectorAll('.search-result').length > {len(results)}")
        results = home.query_selector_all(".search-result")
    assert home.inner_text("#ket-qua-trang-thai") == f"Tìm thấy {len(results)} kết quả cho “cong nhan gioi”."
    assert search(home, "xyzzyqua") == []
    assert "Không tìm thấy kết quả nào" in home.inner_text("#ket-qua-trang-thai")
    assert home.input_value("#tu-khoa") == "xyzzyqua"


@pytest.mark.skipif(not HAS_ROLLS, reason="honour rolls are built by generator/honours")
@pytest.mark.parametrize("query", ["Đặng Văn Đức", "dang van duc", "Trương Thị Ngọc Diệp", "truong thi ngoc diep"])
def test_a_person_on_an_honour_roll_is_found_by_name(home, query):
    name = "Đặng Văn Đức" if "duc" in query.lower() or "Đức" in query else "Trương Thị Ngọc Diệp"
    results = search(home, query)
    assert results, query
    first = results[0]
    assert first["title"] == name, [(r["title"], r["href"]) for r in results]
    assert first["meta"] == "Vinh danh · Công nhân giỏi huyện Bình Sơn năm 2026"
    assert first["href"].startswith("/vinh-danh/cong-nhan-gioi-2026/#muc-"), "links to the entry itself"
    home.click(".search-result a")
    home.wait_for_load_state()
    anchor = first["href"].split("#")[1]
    assert name in home.inner_text(f"[id='{anchor}']")


def test_without_javascript_the_search_page_explains_and_offers_sections(browser, served, output):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served(output))
    page.fill("#o-tim-kiem", "cong doan")
    page.press("#o-tim-kiem", "Enter")
    page.wait_for_url("**/tim-kiem/?q=cong+doan")
    text = page.inner_text("main")
    assert "cần JavaScript" in text
    links = page.eval_on_selector_all(".search-noscript a", "as => as.map(a => a.getAttribute('href'))")
    assert "/thoi-su/" in links and "/hoat-dong-cong-doan/" in links
    context.close()
