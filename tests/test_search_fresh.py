"""The fresh search part (generator/search_fresh.py): an edit indexes the edited records alone,
the year's part stays as it was, and the search page hides the year's stale copies."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from conftest import SITES, build
from generator import search_fresh
from generator.search_fresh import FRESH, Base, plan_fresh
from generator.search_index import BundleCache
from generator.search_records import Member

ARTICLE = Path("content/articles/2026/dai-hoi-cong-doan-co-so.md")
TITLE = "Công đoàn cơ sở Nhà máy Gạch Bình Sơn tổ chức Đại hội nhiệm kỳ mới"


def member(url: str, group: str = "2026") -> Member:
    return Member(url, group, "article", None)


# ---- the plan (pure) ---------------------------------------------------------------------------
def test_changed_new_and_deleted_members_make_the_fresh_part_and_the_hidden_urls():
    base = Base("old", "head", {"/a/": "1", "/b/": "2", "/gone/": "3"})
    now = [member("/a/"), member("/b/"), member("/new/")]
    fresh = plan_fresh({"2026": now}, {"2026": "head"}, {"2026": {"/a/": "1", "/b/": "2*", "/new/": "4"}},
                       {"2026": base})
    assert fresh.bases == {"2026": "old"}
    assert [m.url for m in fresh.members] == ["/b/", "/new/"]
    assert fresh.hidden == {"2026": frozenset({"/b/", "/gone/"})}


def test_a_part_without_a_base_or_with_another_head_is_left_to_be_indexed_whole():
    rows = {"2026": {"/a/": "1*"}, "2025": {"/c/": "5*"}, "2024": {"/d/": "6"}}
    missing = {"2026": [member("/a/")], "2025": [member("/c/", "2025")], "2024": [member("/d/", "2024")]}
    bases = {"2026": Base("b26", "head", {"/a/": "1"}), "2025": Base("b25", "other head", {"/c/": "5"}),
             "2024": None}
    fresh = plan_fresh(missing, {p: "head" for p in missing}, rows, bases)
    assert fresh.bases == {"2026": "b26"} and [m.url for m in fresh.members] == ["/a/"]
    assert plan_fresh({"2024": missing["2024"]}, {"2024": "head"}, rows, bases) is None


def test_past_the_limit_every_changed_part_is_indexed_whole():
    base = Base("old", "head", {f"/{i}/": "0" for i in range(5)})
    missing = {"2026": [member(f"/{i}/") for i in range(5)]}
    rows = {"2026": {f"/{i}/": "1" for i in range(5)}}
    assert plan_fresh(missing, {"2026": "head"}, rows, {"2026": base}, limit=4) is None
    assert len(plan_fresh(missing, {"2026": "head"}, rows, {"2026": base}, limit=5).members) == 5


# ---- builds ------------------------------------------------------------------------------------
def edit(site: Path, old: str, new: str) -> None:
    path = site / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def fragments(part: Path) -> dict[str, dict]:
    """fragment id -> the record Pagefind keeps for it (its URL, text and meta)."""
    found = {}
    for file in (part / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd")
        found[file.name.removesuffix(".pf_fragment")] = json.loads(data)
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def listing(out: Path) -> dict:
    return json.loads((out / "pagefind" / "parts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """The discovery site built with a souvenir "ngọc trai" in an article, then rebuilt after the
    editor changed it to "pha lê": (site, output, the first build's 2026 part, the second report)."""
    site = tmp_path_factory.mktemp("fresh") / "discovery"
    shutil.copytree(SITES / "discovery", site)
    edit(site, "cung cấp.", "cung cấp. Quà lưu niệm bằng ngọc trai.")
    out = tmp_path_factory.mktemp("fresh-out") / "output"
    assert build(site, out).ok
    first = tree(out / "pagefind" / "2026")
    edit(site, "bằng ngọc trai.", "bằng pha lê.")
    report = build(site, out)
    assert report.ok, "\n".join(d.format() for d in report.diagnostics)
    return site, out, first, report


def test_an_edit_indexes_the_edited_article_alone_and_keeps_its_years_part(edited):
    site, out, first, report = edited
    assert tree(out / "pagefind" / "2026") == first, "the year's part is published as it was"
    written = {p.split("/")[1] for p in report.changed if p.startswith("pagefind/") and p.count("/") > 1}
    assert written == {FRESH}
    [record] = fragments(out / "pagefind" / FRESH).values()
    assert record["meta"]["title"] == TITLE and "pha lê" in record["content"] and "ngọc trai" not in record["content"]
    assert listing(out)["parts"] == ["2026/", "phong-trao/", "chung/", f"{FRESH}/", "vinh-danh/"]


def test_the_years_stale_record_is_listed_as_hidden_by_its_fragment_id(edited):
    site, out, first, report = edited
    stale = {fid: r["url"] for fid, r in fragments(out / "pagefind" / "2026").items() if "ngọc trai" in r["content"]}
    assert len(stale) == 1
    assert listing(out)["hidden"] == {"2026/": stale}


def test_the_edited_article_is_found_once_by_its_new_words_and_not_by_its_old(edited, browser, served):
    from test_search_browser import search
    site, out, first, report = edited
    page = browser.new_page()
    try:
        page.goto(served(out))
        for query, times in (("pha lê", 1), ("ngọc trai", 0), ("Bình Sơn", 1), ("binh son", 1)):
            titles = [r["title"] for r in search(page, query)]
            assert titles.count(TITLE) == times, (query, titles)
    finally:
        page.close()


def test_a_deleted_article_is_hidden_without_a_fresh_part(copy_site, tmp_path):
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    gone = site / "content" / "articles" / "2026" / "hoi-thi-ao-dai.md"
    gone.unlink()
    report = build(site, out)
    assert report.ok, "\n".join(d.format() for d in report.diagnostics)
    assert not (out / "pagefind" / FRESH).exists()
    [(fid, url)] = listing(out)["hidden"]["2026/"].items()
    assert fragments(out / "pagefind" / "2026")[fid]["meta"]["title"] == "Hội thi áo dài nữ công nhân"


def test_past_the_limit_the_part_is_indexed_whole_and_the_fresh_part_goes(copy_site, tmp_path, monkeypatch):
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    edit(site, "cung cấp.", "cung cấp. Quà lưu niệm bằng ngọc trai.")
    assert build(site, out).ok and (out / "pagefind" / FRESH).is_dir()
    monkeypatch.setattr(search_fresh, "FRESH_LIMIT", 0)
    edit(site, "bằng ngọc trai.", "bằng pha lê.")
    report = build(site, out)
    assert report.ok
    assert not (out / "pagefind" / FRESH).exists() and "hidden" not in listing(out)
    records = fragments(out / "pagefind" / "2026").values()
    assert [r["meta"]["title"] for r in records].count(TITLE) == 1
    assert any("pha lê" in r["content"] for r in records)
    # the part indexed whole is the base of the next edit's fresh part
    monkeypatch.setattr(search_fresh, "FRESH_LIMIT", 50)
    edit(site, "bằng pha lê.", "bằng gốm.")
    assert build(site, out).ok
    [record] = fragments(out / "pagefind" / FRESH).values()
    assert "gốm" in record["content"]
    assert set(listing(out)["hidden"]["2026/"].values()) == {record["url"]}


def test_a_base_missing_from_the_cache_means_the_part_is_indexed_whole(copy_site, tmp_path):
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    cache = site / ".cache" / "search"
    base = json.loads((cache / "base-2026.json").read_text(encoding="utf-8"))
    BundleCache(cache, "vi", 1).discard(base["digest"])
    edit(site, "cung cấp.", "cung cấp. Quà lưu niệm bằng ngọc trai.")
    assert build(site, out).ok
    assert not (out / "pagefind" / FRESH).exists() and "hidden" not in listing(out)
    assert any("ngọc trai" in r["content"] for r in fragments(out / "pagefind" / "2026").values())
