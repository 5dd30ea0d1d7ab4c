"""The short path for body edits (generator/edits.py): only the edited article's page is planned,
and the output is still byte for byte a clean build's, whatever the edit turns out to touch.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TODAY, build
from generator import pipeline
from generator.config import load_config
from generator.diagnostics import Diagnostics
from generator.model import build_model, with_new_bodies
from generator.pipeline import BuildContext, BuildOptions, build_site, read_documents
from generator.sources import list_media
from generator.state import BuildState
from test_incremental import ARTICLES, assert_same_tree, clean_build, replace_in, site  # noqa: F401 (fixture)

EDITED = ARTICLES / "2026/thoi-su/trao-qua.md"       # no sapo: its lead comes from the first paragraph


def append(site: Path, text: str, path: Path = EDITED) -> None:
    with (site / path).open("a", encoding="utf-8") as stream:
        stream.write(text)


@pytest.fixture
def planned(monkeypatch) -> list[int]:
    """How many times the whole page plan was made (the long path)."""
    calls: list[int] = []
    real = pipeline.plan_pages

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_pages", counting)
    return calls


def first_build(site: Path, out: Path, planned: list[int]):
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert planned == [1]
    planned.clear()
    return report


def test_a_body_edit_plans_only_its_page_and_equals_a_clean_build(site, tmp_path, planned):
    out = tmp_path / "out"
    first = first_build(site, out, planned)
    append(site, "\nCông đoàn cơ sở cùng tham gia trao quà.\n")
    again = build(site, out)
    assert again.ok, [d.format() for d in again.diagnostics]
    assert planned == []                                   # the short path
    assert (again.pages, again.files) == (first.pages, first.files)
    assert again.unchanged == again.pages - 1
    changed = {path for path in again.changed if path.endswith(".html")}
    assert changed == {"thoi-su/trao-qua-cho-cong-nhan-kho-khan/index.html"}
    assert "cùng tham gia trao quà" in (out / "thoi-su/trao-qua-cho-cong-nhan-kho-khan/index.html").read_text(encoding="utf-8")
    assert_same_tree(out, clean_build(site, tmp_path))


def test_body_edits_in_a_row_then_a_tag_edit_stay_equal_to_clean_builds(site, tmp_path, planned):
    out = tmp_path / "out"
    first_build(site, out, planned)
    append(site, "\nĐoạn thứ nhất thêm vào.\n")
    append(site, "\nMột đoạn khác, ở bài khác.\n", ARTICLES / "2026/ra-mat-to-nu-cong.md")
    assert build(site, out).ok
    append(site, "\nĐoạn thứ hai thêm vào.\n")
    assert build(site, out).ok
    assert planned == []
    replace_in(site / EDITED, "tags: [Sáng kiến]", "tags: [Sáng kiến, Nữ công]")
    assert build(site, out).ok
    assert planned == [1]                                  # tags are surface: the long path
    assert_same_tree(out, clean_build(site, tmp_path))


def test_a_body_edit_that_changes_the_lead_takes_the_long_path(site, tmp_path, planned):
    """Without `sapo:`, the card shows the first paragraph: editing it changes other pages too."""
    out = tmp_path / "out"
    first_build(site, out, planned)
    replace_in(site / EDITED, "Đoàn công tác trao 50 suất quà", "Đoàn công tác trao 80 suất quà")
    assert build(site, out).ok
    assert planned == [1]
    assert_same_tree(out, clean_build(site, tmp_path))


def test_a_broken_link_added_to_a_body_is_reported_on_the_short_path(site, tmp_path, planned):
    out = tmp_path / "out"
    first_build(site, out, planned)
    published = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    append(site, "\nXem thêm [tin cũ](/thoi-su/khong-co-bai-nay/).\n")
    report = build(site, out)
    assert planned == []
    errors = [d for d in report.diagnostics if d.severity == "error"]
    assert [(d.path, d.line) for d in errors] == [(EDITED.as_posix(), 11)]
    assert "/thoi-su/khong-co-bai-nay/" in errors[0].message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == published   # nothing published


def test_a_link_to_a_page_that_exists_is_accepted_on_the_short_path(site, tmp_path, planned):
    out = tmp_path / "out"
    first_build(site, out, planned)
    append(site, "\nXem [Nữ công](/nu-cong/), [giới thiệu](/gioi-thieu/), [RSS](/rss.xml) và [bản đồ](/sitemap.xml).\n")
    report = build(site, out)
    assert planned == []
    assert report.ok, [d.format() for d in report.diagnostics]
    assert_same_tree(out, clean_build(site, tmp_path))


def test_full_content_feeds_follow_a_body_edit(site, tmp_path, planned):
    (site / "site.yaml").open("a", encoding="utf-8").write("feeds: {length: 20, full_content: true}\n")
    out = tmp_path / "out"
    first_build(site, out, planned)
    append(site, "\nCâu mới cho người đọc RSS.\n")
    report = build(site, out)
    assert planned == [] and report.ok
    assert "Câu mới cho người đọc RSS." in (out / "rss.xml").read_text(encoding="utf-8")
    assert_same_tree(out, clean_build(site, tmp_path))


def test_a_body_edit_of_a_draft_changes_no_page(site, tmp_path, planned):
    out = tmp_path / "out"
    first_build(site, out, planned)
    append(site, "\nBản nháp thêm một câu.\n", ARTICLES / "2026/ban-nhap.md")
    report = build(site, out)
    assert planned == [] and report.ok
    assert not [path for path in report.changed if path.endswith(".html")]
    assert_same_tree(out, clean_build(site, tmp_path))


def test_serve_swaps_new_bodies_into_the_model_it_keeps(site, tmp_path, planned, monkeypatch):
    """`serve` keeps the model: a body edit swaps the new article in instead of building it again,
    then a tag edit builds it again; both give a clean build's bytes."""
    built: list[int] = []
    real = pipeline.build_model
    monkeypatch.setattr(pipeline, "build_model", lambda *a, **k: built.append(1) or real(*a, **k))
    out = tmp_path / "out"
    state = BuildState(site.resolve())
    options = BuildOptions(output=out, today=TODAY)
    assert build_site(site, options, state=state).ok and built == [1]
    append(site, "\nMột câu thêm khi đang xem trước.\n")
    assert build_site(site, options, state=state).ok
    assert built == [1] and planned == [1]                 # swapped in, and the short path
    assert "khi đang xem trước" in (out / "thoi-su/trao-qua-cho-cong-nhan-kho-khan/index.html").read_text("utf-8")
    assert_same_tree(out, clean_build(site, tmp_path))
    replace_in(site / EDITED, "tags: [Sáng kiến]", "tags: [Sáng kiến, Nữ công]")
    assert build_site(site, options, state=state).ok
    assert built == [1, 1, 1]                              # this build, and clean_build's
    shutil.rmtree(tmp_path / "clean")
    assert_same_tree(out, clean_build(site, tmp_path))


def test_a_model_with_new_bodies_equals_the_model_built_again(site):
    def model_of(folder: Path):
        config, _ = load_config(folder)
        ctx = BuildContext(folder, config, BuildOptions(today=TODAY), TODAY, list_media(folder))
        docs = read_documents(folder, ctx, [], Diagnostics(), BuildState(folder, persist=False))
        return docs, build_model(docs.articles, docs.pages, docs.campaigns, config, TODAY, False, ctx.media)

    docs, before = model_of(site)
    append(site, "\nThân bài mới.\n")
    append(site, "\nThân bài mới của bài khác.\n", ARTICLES / "2026/ra-mat-to-nu-cong.md")
    new_docs, after = model_of(site)
    fresh = {a.key: a for a in new_docs.articles if a.path in (
        EDITED.as_posix(), (ARTICLES / "2026/ra-mat-to-nu-cong.md").as_posix())}
    assert len(fresh) == 2
    swapped = with_new_bodies(before, fresh, new_docs.pages)
    assert swapped != before
    assert swapped == after
    assert all(a is fresh[a.key] for a in swapped.articles if a.key in fresh)


def test_link_warnings_of_unchanged_articles_are_still_reported(site, tmp_path, planned):
    """A link to a draft is a warning; the short path checks only the edited article's links
    and repeats the others' warnings from the last build."""
    other = ARTICLES / "2026/ra-mat-to-nu-cong.md"
    append(site, "\nSắp có [bài mới](/thoi-su/bai-dang-viet-do/).\n", other)
    out = tmp_path / "out"
    first = first_build(site, out, planned)

    def warnings(report) -> list[str]:
        return sorted(d.format() for d in report.diagnostics)

    assert [d.path for d in first.diagnostics if "bai-dang-viet-do" in d.message] == [other.as_posix()]
    append(site, "\nThêm một câu.\n")
    again = build(site, out)
    assert planned == [] and warnings(again) == warnings(first)
    replace_in(site / other, "Sắp có [bài mới](/thoi-su/bai-dang-viet-do/).", "Sắp có bài mới.")
    fixed = build(site, out)
    assert planned == [] and not [d for d in fixed.diagnostics if "bai-dang-viet-do" in d.message]
    shutil.rmtree(tmp_path / "out")
    assert warnings(build(site, tmp_path / "out")) == warnings(fixed)      # what a clean build says


def test_serve_writes_its_manifest_on_a_thread_and_a_later_build_uses_it(site, tmp_path, planned):
    out = tmp_path / "out"
    state = BuildState(site.resolve(), defer_finish=True)
    options = BuildOptions(output=out, today=TODAY)
    first = build_site(site, options, state=state)
    assert first.ok
    append(site, "\nMột câu lúc xem trước.\n")
    edited = build_site(site, options, state=state)
    if edited.deferred is not None:
        edited.deferred(wait=True)
    state.flush()
    again = build(site, out)                       # a one-shot build, reading the manifest from disk
    assert again.ok and again.unchanged == again.pages
    assert_same_tree(out, clean_build(site, tmp_path))


def test_a_deleted_static_file_is_reported_in_unchanged_articles_too(site, tmp_path, planned):
    """Body links may point to theme files: their list is in the plan key, so a link warning or
    error carried from the last build is never stale."""
    other = ARTICLES / "2026/ra-mat-to-nu-cong.md"
    append(site, "\nXem [mẫu in](/static/css/rieng.css).\n", other)
    out = tmp_path / "out"
    first_build(site, out, planned)
    (site / "themes/rieng/static/css/rieng.css").unlink()
    append(site, "\nThêm một câu.\n")
    report = build(site, out)
    assert planned == [1]
    assert [(d.path, d.severity) for d in report.diagnostics if "rieng.css" in d.message] == [(other.as_posix(), "error")]
