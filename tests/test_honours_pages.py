"""Honour pages of the `honours` fixture site: order, cross-roll links, units, facets, money."""
import json

import pytest
from bs4 import BeautifulSoup

from conftest import SITES, build


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    output = tmp_path_factory.mktemp("honours") / "output"
    report = build(SITES / "honours", output)
    assert report.ok, [d.format() for d in report.diagnostics]
    return output


def soup(out, path):
    return BeautifulSoup((out / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def names(page):
    return [p.get_text(strip=True) for p in page.select(".honour-static .honour-title")]


def test_roll_lists_persons_in_vietnamese_order(out):
    page = soup(out, "vinh-danh/cong-nhan-gioi-2024")
    assert names(page) == ["Nguyễn Văn An", "Trần Thị Anh", "Lê Thị Ánh"]
    assert soup(out, "vinh-danh/cong-nhan-gioi-2025").select_one("h1").get_text(strip=True) == "Công nhân giỏi năm 2025"
    assert names(soup(out, "vinh-danh/cong-nhan-gioi-2025")) == ["Nguyễn văn An", "Phạm Thị Lan Anh", "Trần Thị Anh"]


def test_roll_shows_issuer_decision_description_and_campaign(out):
    page = soup(out, "vinh-danh/cong-nhan-gioi-2024")
    facts = page.select_one(".honour-header dl").get_text(" ", strip=True)
    assert "LĐLĐ Thử nghiệm" in facts and "Quyết định số 12/QĐ-LĐLĐ ngày 20/12/2024" in facts
    assert page.select_one(".honour-description strong").get_text() == "công nhân giỏi"
    assert page.select_one(".honour-header a[href='/phong-trao/thi-dua-2024/']")


def test_same_person_in_two_years_links_both_rolls(out):
    page = soup(out, "vinh-danh/cong-nhan-gioi-2024")
    an = page.select_one(".honour-static li#muc-1")
    also = an.select_one(".honour-also")
    assert also.get_text(" ", strip=True).startswith("Được vinh danh: Công nhân giỏi 2024 , 2025")
    assert [a["href"] for a in also.select("a")] == ["/vinh-danh/cong-nhan-gioi-2025/#muc-1"]
    # Trần Thị Anh changed unit but carries the same `person:` id.
    anh = page.select_one(".honour-static li#muc-2").select_one(".honour-also a")
    assert anh["href"] == "/vinh-danh/cong-nhan-gioi-2025/#muc-3"
    # Lê Thị Ánh is in one roll only.
    assert page.select_one(".honour-static li#muc-3 .honour-also") is None


def test_entry_links_unit_and_article(out):
    entry = soup(out, "vinh-danh/cong-nhan-gioi-2025").select_one("li#muc-1")
    assert entry.select_one(".honour-meta a")["href"] == "/don-vi/cong-ty-co-khi-hoa-binh/"
    assert entry.select_one(".honour-article a")["href"] == "/guong-sang/chan-dung-an/"


def test_initiatives_show_authors_field_and_money_with_total(out):
    page = soup(out, "vinh-danh/sang-kien-2025")
    first = page.select_one("li#muc-1")
    assert first.select_one(".honour-title").get_text() == "Bộ gá hàn xoay"
    assert "Tác giả: Đỗ Văn Ứng" in first.get_text() and "Lĩnh vực: Cơ khí" in first.get_text()
    assert first.select_one(".honour-benefit strong").get_text() == "35.500.000\u00a0đ"
    assert page.select_one("li#muc-2 .honour-benefit strong").get_text() == "120.000.000\u00a0đ"
    assert "155.500.000\u00a0đ" in page.select_one(".honour-header").get_text()


def test_index_lists_rolls_by_year_then_kind(out):
    page = soup(out, "vinh-danh")
    years = [h.get_text(strip=True) for h in page.select(".honour-year h2")]
    assert years == ["Năm 2025", "Năm 2024"]
    kinds_2025 = [h.get_text(strip=True) for h in page.select(".honour-year")[0].select("h3")]
    assert kinds_2025 == ["Công nhân giỏi", "Khen thưởng", "Sáng kiến"]


def test_summary_chart_has_numbers_as_text(out):
    page = soup(out, "vinh-danh/cong-nhan-gioi-2024")
    tables = page.select("table.honour-chart")
    assert [t.caption.get_text() for t in tables] == ["Theo danh hiệu", "Theo đơn vị", "Theo địa phương"]
    rows = [(r.th.get_text(strip=True), r.td.get_text(strip=True)) for r in tables[0].select("tbody tr")]
    assert rows == [("Công nhân giỏi cấp tỉnh", "2"), ("Công nhân giỏi cấp cơ sở", "1")]


def test_facet_pages_work_without_javascript(out):
    index = soup(out, "vinh-danh/cong-nhan-gioi-2024/don-vi")
    links = {a.get_text(): a["href"] for a in index.select(".honour-groups a")}
    assert links == {"Công ty Cơ khí Hòa Bình": "/vinh-danh/cong-nhan-gioi-2024/don-vi/cong-ty-co-khi-hoa-binh/",
                     "Công ty May Sông Hồng": "/vinh-danh/cong-nhan-gioi-2024/don-vi/cong-ty-may-song-hong/"}
    group = soup(out, "vinh-danh/cong-nhan-gioi-2024/don-vi/cong-ty-may-song-hong")
    assert names(group) == ["Trần Thị Anh", "Lê Thị Ánh"]
    # Entries keep their number and link to their place in the full list.
    assert [li["id"] for li in group.select(".honour-static li")] == ["muc-2", "muc-3"]
    award = soup(out, "vinh-danh/cong-nhan-gioi-2024/danh-hieu/cong-nhan-gioi-cap-tinh")
    assert names(award) == ["Nguyễn Văn An", "Lê Thị Ánh"]


def test_json_index_covers_the_roll_with_folded_names(out):
    data = json.loads((out / "vinh-danh/cong-nhan-gioi-2024/danh-sach.json").read_text(encoding="utf-8"))
    assert data["facets"]["unit"] == ["Công ty Cơ khí Hòa Bình", "Công ty May Sông Hồng"]
    assert data["entries"][0][:2] == [1, "Nguyễn Văn An"] and data["entries"][0][-1] == "nguyen van an"
    assert data["entries"][0][3] == 0 and data["entries"][1][3] == 1


def test_unit_page_lists_honours_over_years_and_articles(out):
    page = soup(out, "don-vi/cong-ty-co-khi-hoa-binh")
    assert page.h1.get_text() == "Công ty Cơ khí Hòa Bình"      # the spelling most rolls use
    years = [h.get_text(strip=True) for h in page.select(".honour-year h2")]
    assert years == ["Năm 2025", "Năm 2024"]
    rolls_2025 = [a.get_text() for a in page.select(".honour-year")[0].select("h3 a")]
    assert rolls_2025 == ["Công nhân giỏi năm 2025", "Sáng kiến tiêu biểu năm 2025"]
    assert [a["href"] for a in page.select(".more-news .card-title a")] == ["/guong-sang/chan-dung-an/"]
    units = soup(out, "don-vi")
    assert "Nhà máy Z151" in [a.get_text() for a in units.select(".honour-groups a")]


def test_roll_pages_split_under_the_size_budget(tmp_path, copy_site):
    site = copy_site("honours")
    lines = ["title: Danh sách dài", "kind: cong-nhan-gioi", "year: 2026", "entries:"]
    for i in range(450):
        lines += [f"  - name: Nguyễn Văn Người {i:03d}", f"    unit: Công ty số {i % 7}", "    award: Công nhân giỏi"]
    (site / "content/honours/2025/dai.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "out"
    assert build(site, output).ok
    pages = sorted((output / "vinh-danh/dai").glob("**/index.html"))
    assert (output / "vinh-danh/dai/trang-3/index.html").is_file()
    assert not (output / "vinh-danh/dai/trang-4").exists()
    assert max(p.stat().st_size for p in pages) < 300_000
    last = soup(output, "vinh-danh/dai/trang-3")
    assert last.select_one(".honour-static .honour-list")["start"] == "401"
    assert [a.get_text(" ", strip=True) for a in last.select(".honour-pages a")][0] == "1 000 – 199"
    # Page links above and below the list, as two navigation regions named apart.
    first = soup(output, "vinh-danh/dai")
    navs = first.select(".honour-static > nav.honour-pages")
    static = first.select_one(".honour-static")
    assert len(navs) == 2 and static.contents.index(navs[0]) < static.contents.index(first.select_one(".honour-static section"))
    assert navs[0]["aria-label"] != navs[1]["aria-label"]
    assert [a["href"] for a in navs[0].select("ol a")] == [a["href"] for a in navs[1].select("ol a")]
    # What needs JavaScript starts hidden: the corner button to the filter, and the filter with its order.
    assert first.select_one("button[data-roll-jump]").has_attr("hidden")
    form = first.select_one("form[data-honour-filter]")
    assert form.has_attr("hidden") and len(form.select("input[name=order]")) == 3
