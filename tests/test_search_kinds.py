"""What Pagefind indexes of each search record: words of neighbouring blocks and table cells
kept apart, and the kind of each record ("kind" filter) the same in every part of the index,
the fresh part included. Read from Pagefind's own output (its fragments), not from our HTML."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from conftest import SITES, build
from generator.search import result_labels
from generator.search_fresh import FRESH
from generator.search_index import run_pagefind, write_record_files
from generator.search_records import SearchRecord, record_html
from generator.search_rolls import page_records

KIND = "kind"     # the filter every record carries
ROLL_PAGE_HEAD = "<html><body><main><h1>Công nhân giỏi 2026</h1>"


def fragments(bundle: Path) -> dict[str, dict]:
    """URL -> the fragment Pagefind wrote for it (its content, filters, meta)."""
    found = {}
    for file in (bundle / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


def indexed(tmp_path: Path, records: list[SearchRecord]) -> dict[str, dict]:
    """Run Pagefind on `records` as a build does, and read back what it kept of each."""
    write_record_files(tmp_path / "site", records)
    run_pagefind(tmp_path, "vi")
    return fragments(tmp_path / "bundle")


def record(body: str, kind: str = "tin-tuc", url: str = "/a/") -> SearchRecord:
    return SearchRecord(url, record_html("Tổng kết", body, {"category": "Thời sự"}, "vi", kind=kind))


BLOCKS = ("<dl><div><dt>Số được vinh danh</dt><dd>19 cá nhân</dd></div><dt>Quyết định</dt><dd>Số 318</dd></dl>"
          "<table><caption>Theo danh hiệu</caption><thead><tr><th>Danh hiệu</th><th>Số lượng</th></tr></thead>"
          "<tbody><tr><th><a href='/x/'>Công nhân giỏi</a></th><td><span>19</span></td></tr>"
          "<tr><td>Lao động</td><td>7</td></tr></tbody></table>"
          "<ul><li>Một</li><li>Hai</li></ul><ol><li>Ba</li></ol><div>Bốn</div><div>Năm<br>Sáu</div>"
          "<h2>Bảy</h2><p>Tám</p><blockquote>Chín</blockquote><figure><img src='a.jpg' alt=''>"
          "<figcaption>Mười</figcaption></figure><section>Mười một</section><pre>Mười hai</pre>")


def test_every_block_and_cell_boundary_is_a_space_in_what_pagefind_indexes(tmp_path):
    content = indexed(tmp_path, [record(BLOCKS)])["/a/"]["content"]
    words = content.split("⁂")[0]
    for glued in ("danh19", "nhânQuyết", "hiệuSố", "giỏi19", "Lao động7", "MộtHai", "HaiBa", "BaBốn", "BốnNăm",
                  "NămSáu", "SáuBảy", "BảyTám", "TámChín", "ChínMười", "MườiMười"):
        assert glued not in words, (glued, words)
    for apart in ("vinh danh 19 cá nhân", "Danh hiệu Số lượng", "Công nhân giỏi 19", "Lao động 7", "Năm Sáu"):
        assert apart in words.replace(".", ""), (apart, words)
    # and every word is found on its own: "19" is a word of the record
    assert not re.search(r"[^\W\d_]\d|\d[^\W\d_]", words), words


def test_a_roll_pages_facts_and_chart_cells_stay_apart(tmp_path):
    page = (ROLL_PAGE_HEAD + "<dl class='campaign-facts'><div><dt>Đơn vị ban hành</dt><dd>Ban Thường vụ</dd></div>"
            "<div><dt>Số được vinh danh</dt><dd>19 cá nhân</dd></div></dl>"
            "<table class='honour-chart'><thead><tr><th>Danh hiệu</th><th>Số lượng</th></tr></thead><tbody>"
            "<tr><th>Công nhân giỏi</th><td><span class='chart-bar'></span><span class='chart-value'>19</span></td>"
            "</tr></tbody></table>"
            "<ol><li class='honour-entry' id='muc-1'><p class='honour-title'>Đặng Văn Đức</p><p>Thợ lò</p>"
            "<p>Được vinh danh</p><p>2024</p></li></ol></main></body></html>")
    records = page_records("/vinh-danh/a/", "roll", page, result_labels({}), "vi")
    found = indexed(tmp_path, records)
    roll = found["/vinh-danh/a/"]["content"].split("⁂")[0]
    assert "Đơn vị ban hành Ban Thường vụ" in roll and "Số được vinh danh 19 cá nhân" in roll, roll
    assert "Danh hiệu Số lượng" in roll and "Công nhân giỏi 19" in roll, roll
    entry = found["/vinh-danh/a/muc-1.html"]["content"].split("⁂")[0]
    assert "Được vinh danh 2024" in entry, entry



def test_each_record_carries_its_kind_as_a_pagefind_filter(tmp_path):
    labels = result_labels({})
    roll = page_records("/vinh-danh/a/", "roll", ROLL_PAGE_HEAD + "<p>Quyết định</p><ol><li class='honour-entry' "
                        "id='muc-1'><p class='honour-title'>Lê Văn An</p></li></ol></main></body></html>", labels, "vi")
    unit = page_records("/don-vi/b/", "unit", ROLL_PAGE_HEAD + "<p>Đơn vị</p></main></body></html>", labels, "vi")
    records = [record("<p>Tin</p>", "tin-tuc", "/tin/"), record("<p>Thi đua</p>", "phong-trao", "/phong-trao/c/"),
               record("<p>Giới thiệu</p>", "gioi-thieu", "/gioi-thieu/"), *roll, *unit]
    found = indexed(tmp_path, records)
    assert {url: f["filters"] for url, f in found.items()} == {
        "/tin/": {KIND: ["tin-tuc"]}, "/phong-trao/c/": {KIND: ["phong-trao"]}, "/gioi-thieu/": {KIND: ["gioi-thieu"]},
        "/vinh-danh/a/": {KIND: ["vinh-danh"]}, "/vinh-danh/a/muc-1.html": {KIND: ["vinh-danh"]},
        "/don-vi/b/": {KIND: ["vinh-danh"]}}
    # the kind is a filter, not a word of the record
    assert all("tin-tuc" not in f["content"] and "vinh-danh" not in f["content"] for f in found.values())


def expected_kind(url: str) -> str:
    first = url.strip("/").split("/")[0]
    return {"vinh-danh": "vinh-danh", "don-vi": "vinh-danh", "phong-trao": "phong-trao",
            "gioi-thieu": "gioi-thieu"}.get(first, "tin-tuc")


def test_every_record_of_every_part_has_one_kind(discovery_output):
    bundle = discovery_output / "pagefind"
    parts = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["parts"]
    seen = set()
    for part in parts:
        for url, fragment in fragments(bundle / part).items():
            assert fragment["filters"] == {KIND: [expected_kind(url)]}, (part, url, fragment["filters"])
            seen.add(expected_kind(url))
    assert seen == {"tin-tuc", "phong-trao", "gioi-thieu", "vinh-danh"}


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def test_fresh_records_go_to_one_part_per_kind_and_carry_it(copy_site, tmp_path):
    """An edit of an article, a campaign and a page in one build: three fresh parts, one kind each
    (a Pagefind part holding two kinds would have other bytes at every build)."""
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    content = site / "content"
    append(content / "articles" / "2026" / "dai-hoi-cong-doan-co-so.md", "\nQuà lưu niệm bằng gốm.\n")
    append(content / "campaigns" / "thi-dua-nam-2026.md", "\nTổng kết vào tháng Chạp.\n")
    append(content / "pages" / "gioi-thieu.md", "\nTrụ sở mới ở phố Chùa.\n")
    report = build(site, out)
    assert report.ok, "\n".join(d.format() for d in report.diagnostics)
    listing = json.loads((out / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    fresh = [part for part in listing["parts"] if part.startswith(FRESH)]
    assert fresh == [f"{FRESH}/", f"{FRESH}-phong-trao/", f"{FRESH}-chung/"], listing["parts"]
    words = {"tin-tuc": "gốm", "phong-trao": "tháng Chạp", "gioi-thieu": "phố Chùa"}
    for part, kind in zip(fresh, ("tin-tuc", "phong-trao", "gioi-thieu")):
        [record] = fragments(out / "pagefind" / part).values()
        assert record["filters"] == {KIND: [kind]} and words[kind] in record["content"], (part, record)
    # the whole parts stay as they were, their stale records hidden
    assert sorted(listing["hidden"]) == ["2026/", "chung/", "phong-trao/"]
    for part in listing["parts"]:
        kinds = {tuple(f["filters"][KIND]) for f in fragments(out / "pagefind" / part).values()}
        assert len(kinds) == 1, (part, kinds)
