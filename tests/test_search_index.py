"""The static search index: what each record holds, and that Pagefind writes a complete bundle."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SITES, build
from generator.search import built_records, result_labels
from generator.search_records import SENTINEL, d_words, record_html
from generator.search_rolls import is_roll_page, page_records


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture site built twice, into two folders."""
    site = tmp_path_factory.mktemp("site") / "discovery"
    shutil.copytree(SITES / "discovery", site)
    found = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name) / "output"
        report = build(site, out)
        assert report.ok, "\n".join(d.format() for d in report.diagnostics)
        assert not [d for d in report.diagnostics if "search index" in d.message]
        found.append(out)
    return found[0], found[1]


def test_bundle_is_written_with_every_searchable_page(outputs):
    bundle = outputs[0] / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = entry["languages"]["vi"]["page_count"]
    # 5 published articles, 1 page, 1 campaign, and (when rolls are built) each roll, unit and entry
    from_rolls = built_records(outputs[0], "vi", result_labels({}))
    assert pages == 7 + len(from_rolls)


def test_two_builds_write_the_same_index(outputs):
    first, second = (sorted(p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").rglob("*")
                            if p.is_file()) for out in outputs)
    assert first == second
    for rel in first:
        assert (outputs[0] / "pagefind" / rel).read_bytes() == (outputs[1] / "pagefind" / rel).read_bytes(), rel


def test_d_words_are_folded_in_order():
    assert d_words("Công đoàn tổ chức Đại hội, đoàn viên Đặng Văn Đức") == "doan Dai doan Dang Duc"
    assert d_words("không có chữ nào") == ""


def test_record_keeps_the_text_and_adds_a_folded_supplement():
    html = record_html("Đại hội Công đoàn", "<p>Đoàn viên dự đại hội ⁂ lần thứ V</p>",
                       {"date": "05/10/2026", "category": "Thời sự", "empty": ""}, "vi")
    text, supplement = html.split(f"<p>{SENTINEL}</p>")
    assert '<h1 data-pagefind-meta="title">Đại hội Công đoàn</h1>' in text
    assert "<p>Đoàn viên dự đại hội  lần thứ V</p>" in text, "the sentinel is taken out of page text"
    assert '<p data-pagefind-weight="7">Dai doan</p>' in supplement
    assert "<p>Doan dai</p>" in supplement
    assert '<span data-pagefind-meta="category">Thời sự</span>' in supplement
    assert "empty" not in html


ROLL_PAGE = """<html><body><header><h1>Site</h1></header><main id="noi-dung">
<nav class="breadcrumb"><a href="/">Trang chủ</a></nav>
<h1 class="t">Công nhân giỏi <em>2026</em></h1><p>Quyết định số 12</p>
<ol><li class="honour-entry" id="muc-1"><p class="honour-title">Đặng Văn Đức</p><p>Thợ lò</p><p>Nhà máy Gạch</p></li>
<li class="honour-entry" id="muc-2"><p class="honour-title">Lý Quốc Bảo</p><p>Thợ điện</p></li></ol>
</main></body></html>"""


def test_each_roll_entry_is_a_record_linked_to_its_place():
    labels = result_labels({})
    roll, first, second = page_records("/vinh-danh/a/", "roll", ROLL_PAGE, labels, "vi")
    assert first.url == "/vinh-danh/a/muc-1.html", "a file of its own for Pagefind"
    assert '<span data-pagefind-meta="href">/vinh-danh/a/#muc-1</span>' in first.html
    assert '<h1 data-pagefind-meta="title">Đặng Văn Đức</h1>' in first.html
    assert "<p>Thợ lò Nhà máy Gạch</p>" in first.html
    assert '<span data-pagefind-meta="context">Công nhân giỏi 2026</span>' in first.html
    assert "Dang Duc" in first.html.split(SENTINEL)[1], "the folded name is searchable"
    assert "Lý Quốc Bảo" in second.html
    assert roll.url == "/vinh-danh/a/"
    assert '<h1 data-pagefind-meta="title">Công nhân giỏi 2026</h1>' in roll.html
    assert "Quyết định số 12" in roll.html
    assert "Đặng Văn Đức" not in roll.html and "Trang chủ" not in roll.html, "entries and chrome left out"
    assert [r.url for r in page_records("/vinh-danh/a/trang-2/", "roll-page", ROLL_PAGE, labels, "vi")] == [
        "/vinh-danh/a/trang-2/muc-1.html", "/vinh-danh/a/trang-2/muc-2.html"]
    assert page_records("/x/", "roll", "<html><body><p>no main</p></body></html>", labels, "vi") == []


@pytest.mark.parametrize("rel, kind", [
    ("vinh-danh/cong-nhan-gioi-2026/index.html", "roll"),
    ("vinh-danh/cong-nhan-gioi-2026/trang-2/index.html", "roll-page"),
    ("vinh-danh/cong-nhan-gioi-2026/don-vi/nha-may/index.html", None),
    ("vinh-danh/index.html", None),
    ("vinh-danh/trang-2/index.html", None),
    ("don-vi/nha-may-gach/index.html", "unit"),
    ("don-vi/index.html", None),
    ("thoi-su/index.html", None),
])
def test_which_built_pages_are_indexed(rel, kind):
    assert is_roll_page(rel) == kind
