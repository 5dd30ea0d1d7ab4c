"""An incremental build gives byte for byte the output of a clean build, whatever was edited.

Each case builds a copy of the `basic` fixture site (with a small child theme, so templates and UI
strings can be edited), edits it, builds again into the same folder with the warm cache, then
builds the edited site from scratch (no cache, empty folder) and compares the two whole trees.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TODAY, build
from generator import parallel, state as state_module
from generator.cache import cache_folder
from generator.pipeline import BuildOptions, build_site
from generator.state import BuildState
from generator.themes import BUNDLED_THEMES

ARTICLES = Path("content/articles")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(built: Path, clean: Path) -> None:
    got, want = tree(built), tree(clean)
    assert sorted(got) == sorted(want), (f"only in incremental: {sorted(set(got) - set(want))}; "
                                         f"only in clean: {sorted(set(want) - set(got))}")
    differing = [path for path in want if got[path] != want[path]]
    assert not differing, f"files differ from a clean build: {differing}"


@pytest.fixture
def site(copy_site) -> Path:
    """The basic site on a child theme `rieng` that overrides one template and one UI string."""
    folder = copy_site("basic")
    theme = folder / "themes" / "rieng"
    (theme / "templates").mkdir(parents=True)
    (theme / "static" / "css").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: rieng\nparent: congdoan\nstrings:\n  vi:\n    other_news: Tin khác\n",
                                      encoding="utf-8")
    footer = (BUNDLED_THEMES / "congdoan" / "templates" / "_footer.html").read_text(encoding="utf-8")
    (theme / "templates" / "_footer.html").write_text(footer + "<!-- rieng -->\n", encoding="utf-8")
    (theme / "static" / "css" / "rieng.css").write_text(".rieng { color: #a00; }\n", encoding="utf-8")
    config = folder / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme: congdoan", "theme: rieng"), encoding="utf-8")
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def clean_build(site: Path, tmp_path: Path) -> Path:
    """The edited site built from nothing: its cache removed, into an empty folder."""
    shutil.rmtree(cache_folder(site), ignore_errors=True)
    out = tmp_path / "clean"
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    return out


EDITS = {
    "title": lambda s: replace_in(s / ARTICLES / "2026/ra-mat-to-nu-cong.md", "title: Ra mắt tổ nữ công số",
                                  "title: Ra mắt tổ nữ công số đầu tiên"),
    "title moves the page": lambda s: replace_in(s / ARTICLES / "2025/video-hoi-thao.md",
                                                 "Hội thao công nhân mùa xuân", "Hội thao công nhân mùa thu"),
    "date": lambda s: replace_in(s / ARTICLES / "2026/thoi-su/trao-qua.md", "date: 2026-11-18 09:00",
                                 "date: 2026-11-21 09:00"),
    "category": lambda s: replace_in(s / ARTICLES / "2026/trao-qua-nu-cong.md", "category: nu-cong",
                                     "category: thoi-su\nslug: trao-qua-nu-cong"),
    "tags": lambda s: replace_in(s / ARTICLES / "2026/thoi-su/trao-qua.md", "tags: [Sáng kiến]",
                                 "tags: [Sáng kiến, An toàn lao động]"),
    "body": lambda s: (s / ARTICLES / "2026/thoi-su/trao-qua.md").open("a", encoding="utf-8").write(
        "\nCông đoàn cơ sở cùng tham gia trao quà.\n"),
    "template": lambda s: replace_in(s / "themes/rieng/templates/_footer.html", "<!-- rieng -->",
                                     "<p class=\"rieng\">Bản tin thử nghiệm</p>"),
    "ui string": lambda s: replace_in(s / "themes/rieng/theme.yaml", "other_news: Tin khác", "other_news: Tin khác nữa"),
    "static file": lambda s: (s / "themes/rieng/static/css/rieng.css").write_text(".rieng { color: #060; }\n"),
    "site.yaml": lambda s: replace_in(s / "site.yaml", "tagline: Đoàn kết – Sáng tạo – Vì người lao động",
                                      "tagline: Đoàn kết – Đổi mới – Vì người lao động"),
    "per_page": lambda s: replace_in(s / "site.yaml", "per_page: 2", "per_page: 3"),
    "deleted article": lambda s: (s / ARTICLES / "2026/trao-qua-nu-cong.md").unlink(),
    "renamed file": lambda s: (s / ARTICLES / "2026/trao-qua-nu-cong.md").rename(s / ARTICLES / "2025/trao-qua-nc.md"),
    "new article": lambda s: (s / ARTICLES / "2026/moi.md").write_text(
        "---\ntitle: Khai mạc hội thao công nhân\ndate: 2026-11-21 07:30\ncategory: hoat-dong\n"
        "tags: [Thể thao, Sáng kiến]\n---\nHội thao khai mạc sáng nay.\n", encoding="utf-8"),
    "draft published": lambda s: replace_in(s / ARTICLES / "2026/ban-nhap.md", "draft: true", "draft: false"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_build_equals_clean_build(site, tmp_path, edit):
    out = tmp_path / "out"
    first = build(site, out)
    assert first.ok, [d.format() for d in first.diagnostics]
    assert first.unchanged == 0
    EDITS[edit](site)
    again = build(site, out)
    assert again.ok, [d.format() for d in again.diagnostics]
    if edit in ("body", "static file"):
        assert again.unchanged >= again.pages - 1     # only the edited article's page is rendered
    assert_same_tree(out, clean_build(site, tmp_path))


def test_nothing_changed_renders_nothing_and_touches_nothing(site, tmp_path, monkeypatch):
    monkeypatch.setattr(state_module, "RACY_SECONDS", 0)
    out = tmp_path / "out"
    assert build(site, out).ok
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build(site, out)
    assert again.ok and again.pages > 0 and again.unchanged == again.pages
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_output_edited_or_deleted_by_hand_is_written_again(site, tmp_path, monkeypatch):
    monkeypatch.setattr(state_module, "RACY_SECONDS", 0)
    out = tmp_path / "out"
    assert build(site, out).ok
    (out / "gioi-thieu" / "index.html").unlink()
    (out / "index.html").write_text("sửa tay", encoding="utf-8")
    shutil.rmtree(out / "static")
    assert build(site, out).ok
    assert_same_tree(out, clean_build(site, tmp_path))


def test_output_folder_deleted_is_built_whole(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    shutil.rmtree(out)
    report = build(site, out)
    assert report.ok and report.unchanged == 0
    assert_same_tree(out, clean_build(site, tmp_path))


def test_failed_build_leaves_output_untouched_and_next_build_is_right(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    before = tree(out)
    article = site / ARTICLES / "2026/thoi-su/trao-qua.md"
    replace_in(article, "category: thoi-su", "category: khong-co")
    failed = build(site, out)
    assert not failed.ok
    assert tree(out) == before
    replace_in(article, "category: khong-co", "category: thoi-su")
    EDITS["tags"](site)
    assert build(site, out).ok
    assert_same_tree(out, clean_build(site, tmp_path))


def test_damaged_cache_is_ignored(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    blobs = sorted(cache_folder(site).glob("*.pickle"))
    assert blobs
    for number, blob in enumerate(blobs):      # truncated, garbage, or a flipped byte
        data = blob.read_bytes()
        blob.write_bytes(data[: len(data) // 2] if number % 3 == 0 else
                         b"garbage" if number % 3 == 1 else data[:-1] + bytes([data[-1] ^ 1]))
    EDITS["tags"](site)
    assert build(site, out).ok
    assert_same_tree(out, clean_build(site, tmp_path))


def test_warm_state_in_memory_gives_the_same_output(site, tmp_path):
    """What `serve` does: one BuildState kept across builds, nothing reloaded from disk."""
    out = tmp_path / "out"
    state = BuildState(site.resolve())
    options = BuildOptions(output=out, today=TODAY)
    assert build_site(site, options, state=state).ok
    for edit in ("date", "new article", "ui string"):
        EDITS[edit](site)
        assert build_site(site, options, state=state).ok
    assert_same_tree(out, clean_build(site, tmp_path))


def test_jobs_1_and_jobs_2_give_identical_output(site, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)     # use the worker pool even for a small site
    one, two = tmp_path / "one", tmp_path / "two"
    assert build(site, one, jobs=1).ok
    shutil.rmtree(cache_folder(site))
    report = build(site, two, jobs=2)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert_same_tree(two, one)
    EDITS["tags"](site)                                  # and the incremental path in parallel
    assert build(site, two, jobs=2).ok
    assert_same_tree(two, clean_build(site, tmp_path))


def test_serve_defers_the_finish_steps_until_after_the_pages(site, tmp_path):
    """`serve` publishes the edited pages first and rebuilds the search index after."""
    out = tmp_path / "out"
    state = BuildState(site.resolve(), defer_finish=True)
    options = BuildOptions(output=out, today=TODAY)
    assert build_site(site, options, state=state).deferred is None     # a first build runs everything
    EDITS["title"](site)
    report = build_site(site, options, state=state)
    assert report.ok and report.deferred is not None
    state.flush()                          # serve writes its manifest on a thread of its own
    clean = clean_build(site, tmp_path)
    index = {p for p in tree(clean) if p.startswith("pagefind/")}
    assert index and {p: b for p, b in tree(out).items() if p not in index and not p.startswith("pagefind/")} == \
        {p: b for p, b in tree(clean).items() if p not in index}
    assert report.deferred(wait=True) == []
    assert_same_tree(out, clean)
    assert build_site(site, options, state=state).deferred is None


HONOUR_EDITS = {
    "roll entry": lambda s: replace_in(s / "content/honours/2024/cong-nhan-gioi-2024.yaml",
                                       "position: Tổ trưởng tổ cơ khí", "position: Tổ phó tổ cơ khí"),
    "roll deleted": lambda s: (s / "content/honours/2025/khen-thuong-2025.yaml").unlink(),
    "campaign": lambda s: replace_in(s / "content/campaigns/thi-dua-2024.md", "title:", "title: Đợt"),
}


@pytest.mark.parametrize("edit", sorted(HONOUR_EDITS))
def test_honour_rolls_and_their_search_records_follow_edits(copy_site, tmp_path, edit):
    """Rolls, unit pages and the search records built from them (read back from the output)."""
    site = copy_site("honours")
    out = tmp_path / "out"
    assert build(site, out).ok
    HONOUR_EDITS[edit](site)
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert_same_tree(out, clean_build(site, tmp_path))


def test_a_deferred_step_overtaken_by_a_newer_build_never_leaves_stale_output(site, tmp_path):
    out = tmp_path / "out"
    state = BuildState(site.resolve(), defer_finish=True)
    options = BuildOptions(output=out, today=TODAY)
    assert build_site(site, options, state=state).ok
    EDITS["title"](site)
    first = build_site(site, options, state=state)
    first.deferred()                       # on its own thread, as `serve` runs it
    EDITS["tags"](site)
    second = build_site(site, options, state=state)
    state.background.join()
    if second.deferred is not None:
        second.deferred(wait=True)
    state.flush()
    assert_same_tree(out, clean_build(site, tmp_path))
