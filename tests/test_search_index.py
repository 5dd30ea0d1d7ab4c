"""The static search index: what each record holds, and that Pagefind writes a complete bundle."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import SITES, build
from generator import search, search_fresh, search_index, search_records
from generator.search import built_records, ordered_parts, result_labels
from generator.search_index import BundleCache, SearchIndexError, part_digest, part_key, split_group
from generator.search_records import (CAMPAIGNS, GENERAL, SENTINEL, Member, SearchRecord, category_names, member_record,
                                      model_members, model_records, record_html)
from generator.search_text import d_words
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
    parts = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["parts"]
    # newest year first (the primary part the search page loads), then campaigns, pages, then rolls
    assert parts[0] == "2026/" and parts[-2:] == ["chung/", "vinh-danh/"]
    assert (bundle / parts[0] / "pagefind.js").is_file()
    pages = 0
    for part in parts:
        entry = json.loads((bundle / part / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages += entry["languages"]["vi"]["page_count"]
    assert sorted(p.name + "/" for p in bundle.iterdir() if p.is_dir()) == sorted(parts)
    # 5 published articles, 1 page, 1 campaign, and each roll, unit and entry of the built rolls
    from_rolls = built_records(outputs[0], "vi", result_labels({}))
    assert from_rolls and pages == 7 + len(from_rolls)


def test_a_group_is_split_by_url_and_an_edit_touches_one_part():
    records = [SearchRecord(f"/tin/{i}/", f"<p>{i}</p>", "2025") for i in range(25)]
    parts = split_group("2025", records, cap=10)
    assert sorted(parts) == ["2025-1", "2025-2", "2025-3"]
    assert sorted(r.url for part in parts.values() for r in part) == sorted(r.url for r in records)
    assert split_group("2025", records[:10], cap=10) == {"2025": records[:10]}
    assert split_group("2025", [], cap=10) == {}
    edited = [SearchRecord(r.url, r.html + "!" if r.url == "/tin/7/" else r.html, r.group) for r in records]
    before = {name: part_digest(part, "vi") for name, part in parts.items()}
    after = {name: part_digest(part, "vi") for name, part in split_group("2025", edited, cap=10).items()}
    assert sum(before[name] != after[name] for name in before) == 1


def test_members_fall_in_the_parts_their_records_would():
    records = [SearchRecord(f"/tin/{i}/", f"<p>{i}</p>", "2025") for i in range(25)]
    members = [Member(r.url, r.group, "article", None) for r in records]
    by_records, by_members = split_group("2025", records, cap=10), split_group("2025", members, cap=10)
    assert {p: [r.url for r in part] for p, part in by_records.items()} == \
        {p: [m.url for m in part] for p, part in by_members.items()}


def test_a_part_key_holds_everything_a_record_reads(monkeypatch):
    doc, about = SimpleNamespace(path="content/articles/a.md"), SimpleNamespace(path="content/pages/p.md")
    article, page = Member("/thoi-su/a/", "2026", "article", doc), Member("/p/", GENERAL, "page", about)
    sources = {doc.path: "1" * 64, about.path: "2" * 64}
    labels = result_labels({})
    shared = dict(language="vi", names={"thoi-su": "Thời sự"}, labels=labels, base_path="/",
                  timezone="Asia/Ho_Chi_Minh")

    def key(name="2026", members=(article,), found=sources, **changes):
        return part_key(name, list(members), found, **{**shared, **changes})

    base = key()
    changed = [key(name="2026-1"), key(members=[Member("/thoi-su/b/", "2026", "article", doc)]),
               key(members=[Member(article.url, "2025", "article", doc)]),
               key(members=[article, Member("/thoi-su/c/", "2026", "article", SimpleNamespace(path="c.md"))]),
               key(found={**sources, doc.path: "3" * 64}), key(language="en"), key(base_path="/tin/"),
               key(timezone="UTC"), key(names={"thoi-su": "Thời sự - Chính trị"})]
    assert len({base, *changed}) == len(changed) + 1, "every input changes the key"
    # the labels show only in records of pages and campaigns, the category names only in articles'
    assert key(labels={**labels, "page": "Trang"}) == base
    general = key(GENERAL, [page])
    assert key(GENERAL, [page], labels={**labels, "page": "Trang"}) != general
    assert key(GENERAL, [page], names={}) == general
    # the code that makes documents, records and bundles, and Pagefind's version
    monkeypatch.setattr(search_index, "module_closure_version", lambda module: f"edited {module}")
    assert key() != base
    monkeypatch.undo()
    monkeypatch.setattr(search_index, "pagefind_version", lambda: "0.0.0")
    assert key() != base
    monkeypatch.undo()
    # a document that no source file of this build made is keyed by its own content
    loose = [Member(article.url, "2026", "article", SimpleNamespace(path="x.md", title=t)) for t in ("A", "B")]
    assert key(members=[loose[0]], found={}) != key(members=[loose[1]], found={})


def watch_search(monkeypatch) -> dict:
    """Each build's plan of index parts (part -> key), its model, and how many records of the
    model's documents it made (record_html calls from search_records, not from the rolls)."""
    seen = {"plans": [], "records": 0, "model": None}
    extend, make = search.SearchFeature.extend, search_records.record_html

    def watched_extend(self, model, docs, ctx):
        plan = extend(self, model, docs, ctx)
        seen["plans"].append(dict(plan.digests))
        seen["model"] = model
        return plan

    def counted(*args, **kwargs):
        seen["records"] += 1
        return make(*args, **kwargs)

    monkeypatch.setattr(search.SearchFeature, "extend", watched_extend)
    monkeypatch.setattr(search_records, "record_html", counted)
    return seen


@pytest.fixture
def whole_parts(monkeypatch):
    """Every changed part indexed whole, as when an edit passes the fresh part's limit
    (search_fresh; its own tests are in test_search_fresh.py)."""
    monkeypatch.setattr(search_fresh, "FRESH_LIMIT", -1)


def test_parts_are_keyed_by_their_sources_and_records_made_only_for_missing_parts(copy_site, tmp_path,
                                                                                monkeypatch, whole_parts):
    site = copy_site("discovery")
    older = site / "content" / "articles" / "2025" / "hop-ban-chap-hanh.md"
    older.parent.mkdir()
    older.write_text("---\ntitle: Họp Ban Chấp hành\ndate: 2025-03-01 08:00\ncategory: thoi-su\n---\n\n"
                     "Đoàn viên dự họp.\n", encoding="utf-8")
    seen = watch_search(monkeypatch)
    out = tmp_path / "out"
    assert build(site, out).ok
    first = seen["plans"][-1]
    assert list(first) == ["2026", "2025", CAMPAIGNS, GENERAL], "one kind of record per part"
    assert seen["records"] == 5 + 1 + 2, "a first build makes every record (articles, page, campaign)"
    # the records of the planned parts are the whole model's, in the same parts
    model = seen["model"]
    names, labels = category_names(model.config), result_labels({})
    assert {p: [member_record(m, names, labels, "vi") for m in found]
            for p, found in ordered_parts(model_members(model)).items()} == \
        ordered_parts(model_records(model, labels))

    # (c) nothing changed but a file's time: the pipeline runs again, and makes no record
    seen["records"] = 0
    os.utime(older, (1_000_000_000, 1_000_000_000))
    report = build(site, out)
    assert report.ok and len(seen["plans"]) == 2 and seen["plans"][-1] == first
    assert seen["records"] == 0
    assert not indexed(report)
    # nor into an empty folder: every part's bundle comes from the cache, the same bytes
    assert build(site, tmp_path / "other").ok and seen["records"] == 0
    assert tree(tmp_path / "other" / "pagefind") == tree(out / "pagefind")

    # (a) an article's body: its year's part only is keyed anew and indexed, its records made
    article = site / "content" / "articles" / "2026" / "dai-hoi-cong-doan-co-so.md"
    with article.open("a", encoding="utf-8") as stream:
        stream.write("\nMột câu mới về hội thao.\n")
    report = build(site, out)
    edited = seen["plans"][-1]
    assert report.ok and [p for p in first if first[p] != edited[p]] == ["2026"]
    assert seen["records"] == 5
    assert indexed(report) == {"2026"}

    # (b) a category's name: the years' parts (their records show it), not the general part
    seen["records"] = 0
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("thoi-su: Thời sự", "thoi-su: Thời sự - Chính trị"),
                      encoding="utf-8")
    report = build(site, out)
    renamed = seen["plans"][-1]
    assert report.ok and [p for p in edited if edited[p] != renamed[p]] == ["2026", "2025"]
    assert seen["records"] == 5 + 1 and indexed(report) == {"2026", "2025"}
    # (b) a result label of the theme (pages'): the general part only, not the campaigns'
    seen["records"] = 0
    theme = site / "themes" / "rieng"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: rieng\nparent: congdoan\nstrings:\n  vi:\n    search_kind_page: Trang\n",
                                      encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("theme: congdoan", "theme: rieng"), encoding="utf-8")
    report = build(site, out)
    relabelled = seen["plans"][-1]
    assert report.ok and [p for p in renamed if renamed[p] != relabelled[p]] == [GENERAL]
    assert seen["records"] == 1 and indexed(report) == {GENERAL}


def indexed(report) -> set[str]:
    """The index parts a build wrote into the output (the honour rolls' part aside)."""
    return {p.split("/")[1] for p in report.changed if p.startswith("pagefind/") and p.count("/") > 1} - {"vinh-danh"}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_parts_are_ordered_newest_year_first():
    records = [SearchRecord("/a/", "", "2024"), SearchRecord("/b/", "", GENERAL), SearchRecord("/c/", "", "2026"),
               SearchRecord("/d/", "", "2025")]
    assert list(ordered_parts(records)) == ["2026", "2025", "2024", GENERAL]


def test_an_edit_indexes_only_the_part_it_changed(copy_site, tmp_path, monkeypatch, whole_parts):
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    indexed = []
    original = BundleCache._write_records
    monkeypatch.setattr(BundleCache, "_write_records", lambda self, digest, records: (
        indexed.append(records[0].group), original(self, digest, records))[1])
    article = site / "content" / "articles" / "2026" / "dai-hoi-cong-doan-co-so.md"
    assert "date: 2026" in article.read_text(encoding="utf-8")
    with article.open("a", encoding="utf-8") as stream:
        stream.write("\nMột câu mới về hội thao.\n")
    again = build(site, out)
    assert again.ok
    assert indexed == ["2026"]
    # the other parts (campaigns, pages, honour rolls) were neither indexed nor written again
    assert {p.name for p in (out / "pagefind").iterdir() if p.is_dir()} == {"2026", CAMPAIGNS, "chung", "vinh-danh"}
    written = {p.split("/")[1] for p in again.changed if p.startswith("pagefind/")}
    assert written == {"2026"}


def test_a_failing_indexer_is_an_error_and_the_last_site_stays(copy_site, tmp_path, monkeypatch):
    """A site whose search silently broke is worse than yesterday's site with working search."""
    site = copy_site("discovery")
    assert build(site, tmp_path / "out").ok
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    (site / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (site / "content" / "pages" / "moi.md").write_text("---\ntitle: Trang mới\n---\n\nNội dung.\n", "utf-8")

    def broken(self, digest, written):
        raise SearchIndexError("Pagefind exited with status 1")
    monkeypatch.setattr(BundleCache, "_index", broken)
    report = build(site, tmp_path / "out")
    assert not report.ok
    assert any(d.severity == "error" and "search index not built" in d.message for d in report.diagnostics)
    assert not any("Pagefind is installed" in (d.hint or "") for d in report.diagnostics)
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before


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
                       {"date": "05/10/2026", "category": "Thời sự", "empty": ""}, "vi", kind="tin-tuc")
    text, supplement = html.split(f"<p>{SENTINEL}</p>")
    assert '<h1 data-pagefind-meta="title">Đại hội Công đoàn</h1>' in text
    assert "<p> Đoàn viên dự đại hội  lần thứ V </p>" in text, "the sentinel is taken out of page text"
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
    assert "<p> Thợ lò Nhà máy Gạch </p>" in first.html
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


def test_prune_keeps_the_used_and_the_recent_bundles_and_pagefinds_work_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "CACHE_ENTRIES_KEPT", 2)
    folder = tmp_path / "search"
    names = ["used", "old-1", "old-2", "old-3", "old-4", "tmp-abc-1-2"]
    for age, name in enumerate(names):              # "used" is the oldest, tmp-... the newest but one
        (folder / name).mkdir(parents=True)
        os.utime(folder / name, ns=(10**18 - age * 10**9,) * 2)
    os.utime(folder / "tmp-abc-1-2", ns=(1,) * 2)   # an old work folder of a Pagefind still running
    cache = BundleCache(folder, "vi", 1)
    cache.prune({"used"})
    assert sorted(p.name for p in folder.iterdir()) == ["old-1", "old-2", "tmp-abc-1-2", "used"]
    (folder / "old-5").mkdir()
    cache.prune({"used"})                           # once per build: the second call does nothing
    assert (folder / "old-5").is_dir()


def test_each_parts_records_are_made_just_before_they_are_written(copy_site, tmp_path, monkeypatch):
    """The plan hands the record writer what makes each part's records, not the records: one
    part's records exist at a time (at 100,000 articles all of them were ~1 GB)."""
    from generator.search import SearchPlan

    events: list[tuple[str, str]] = []
    remake, write = SearchPlan.remake, BundleCache._write_records

    def making(self, part):
        events.append(("make", part))
        return remake(self, part)

    def writing(self, digest, records):
        events.append(("write", records[0].group if records else "?"))
        return write(self, digest, records)

    monkeypatch.setattr(SearchPlan, "remake", making)
    monkeypatch.setattr(BundleCache, "_write_records", writing)
    assert build(copy_site("discovery"), tmp_path / "out").ok
    parts = [part for kind, part in events if kind == "make"]
    assert len(parts) >= 2
    assert events[:2 * len(parts)] == [event for part in parts for event in (("make", part), ("write", part))]
