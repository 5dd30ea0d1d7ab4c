"""`serve` reads only the sources its watcher reports changed (sources.rediscover via
BuildState.discover), skips the output check its last verification vouches for, checks both by a
full scan after each build (BuildState.verify), and its output still equals a clean build's.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TODAY, build
from generator import sources as sources_module
from generator.cache import cache_folder
from generator.devserver import Builder, ServeState, local_base_path
from generator.pipeline import BuildOptions
from generator.sources import discover, rediscover
from test_incremental import ARTICLES, replace_in, site, tree  # noqa: F401 (fixture)

ORIGIN = "http://127.0.0.1:8000"
EDITED = ARTICLES / "2026/thoi-su/trao-qua.md"
EDITED_PAGE = "thoi-su/trao-qua-cho-cong-nhan-kho-khan/index.html"
OTHER = ARTICLES / "2026/ra-mat-to-nu-cong.md"
OTHER_PAGE = "nu-cong/ra-mat-to-nu-cong-so/index.html"


@pytest.fixture
def scans(monkeypatch) -> list[int]:
    """How many times every source folder was listed (a full discover)."""
    calls: list[int] = []

    def counting(*args, **kwargs):
        calls.append(1)
        return discover(*args, **kwargs)

    monkeypatch.setattr(sources_module, "discover", counting)
    return calls


@pytest.fixture
def builder(site, tmp_path, scans) -> Builder:
    """A serve builder after its first build; `builder.scans` counts full scans."""
    made = Builder(site, BuildOptions(today=TODAY, jobs=1), ServeState(tmp_path / "serve"), ORIGIN, quiet=True)
    report = made.build()
    assert report.ok, [d.format() for d in report.diagnostics]
    assert not made.requested.is_set()          # the check after the build found nothing amiss
    made.scans = scans
    return made


def rebuild(builder: Builder, *changed: Path) -> int:
    """What the watcher and the builder thread do: report the paths, then build. Returns how many
    full scans the build made; the check after it (verify) makes one more of its own."""
    if changed:
        builder.changed([builder.site_dir / path for path in changed])
    builder.requested.clear()
    scans, before_check = builder.scans, []
    check = builder.build_state.verify
    builder.build_state.verify = lambda *args: before_check.append(len(scans)) or check(*args)
    try:
        scans.clear()
        report = builder.build()
    finally:
        builder.build_state.verify = check
    assert report.ok, [d.format() for d in report.diagnostics]
    assert scans == [1] * (before_check[0] + 1)       # the check ran, and scanned everything once
    return before_check[0]


def assert_same_as_clean(builder: Builder, tmp_path: Path) -> None:
    """Byte for byte a clean build with serve's base URL. The search index is left out: serve
    makes it after the reload, on a thread of its own (tests/test_search_index.py covers it)."""
    site = builder.site_dir
    shutil.rmtree(cache_folder(site), ignore_errors=True)
    clean = tmp_path / "clean"
    report = build(site, clean, base_url=ORIGIN + local_base_path(site, None))
    assert report.ok, [d.format() for d in report.diagnostics]
    got, want = ({path: data for path, data in tree(folder).items() if not path.startswith("pagefind/")}
                 for folder in (builder.state.output, clean))
    assert sorted(got) == sorted(want)
    assert [path for path in want if got[path] != want[path]] == []


def page(builder: Builder, path: str = EDITED_PAGE) -> str:
    return (builder.state.output / path).read_text(encoding="utf-8")


def append(builder: Builder, text: str, path: Path = EDITED) -> None:
    with (builder.site_dir / path).open("a", encoding="utf-8") as stream:
        stream.write(f"\n{text}\n")


def test_a_reported_edit_reads_only_that_source(builder, tmp_path, monkeypatch):
    loaded: list[str] = []
    real = builder.build_state.load_source
    monkeypatch.setattr(builder.build_state, "load_source", lambda kind, file, rel: loaded.append(rel) or real(kind, file, rel))
    replace_in(builder.site_dir / EDITED, "tags: [Sáng kiến]", "tags: [Sáng kiến, Nữ công]")
    append(builder, "Công đoàn cơ sở cùng tham gia trao quà.")
    assert rebuild(builder, EDITED) == 0
    assert loaded == [EDITED.as_posix()]
    assert not builder.requested.is_set()
    assert_same_as_clean(builder, tmp_path)


def test_editors_temporary_files_do_not_make_a_full_scan(builder, tmp_path):
    folder = builder.site_dir / EDITED.parent
    for name in ("trao-qua.md~", "4913", ".trao-qua.md.swp"):     # vim's and others' companions
        (folder / name).write_text("tạm", encoding="utf-8")
    append(builder, "Tin mới bổ sung.")
    for name in ("trao-qua.md~", "4913"):
        (folder / name).unlink()
    assert rebuild(builder, EDITED, EDITED.parent / "trao-qua.md~", EDITED.parent / "4913",
                   EDITED.parent / ".trao-qua.md.swp") == 0
    assert "Tin mới bổ sung." in page(builder)
    (folder / ".trao-qua.md.swp").unlink()
    assert_same_as_clean(builder, tmp_path)


def test_new_deleted_and_moved_sources_are_found_by_a_full_scan(builder, tmp_path):
    site = builder.site_dir
    added = ARTICLES / "2026/bai-moi.md"
    (site / added).write_text("---\ntitle: Bài mới về an toàn lao động\ndate: 2026-03-02\ncategory: thoi-su\n---\n\n"
                              "Người lao động được tập huấn an toàn.\n", encoding="utf-8")
    assert rebuild(builder, added) == 1
    assert "tập huấn an toàn" in page(builder, "thoi-su/bai-moi-ve-an-toan-lao-dong/index.html")
    (site / added).unlink()
    assert rebuild(builder, added) == 1
    assert not (builder.state.output / "thoi-su/bai-moi-ve-an-toan-lao-dong").exists()
    (site / ARTICLES / "2026").rename(site / ARTICLES / "2027")          # a folder moved: its files unreported
    assert rebuild(builder, ARTICLES / "2026", ARTICLES / "2027") == 1
    assert_same_as_clean(builder, tmp_path)


def test_a_build_asked_for_without_a_report_scans_everything(builder):
    append(builder, "Không báo.")
    assert rebuild(builder) == 1               # e.g. requested.set() by anything but the watcher
    assert "Không báo." in page(builder)


def test_a_change_the_watcher_missed_is_found_by_the_check_after_the_build(builder, tmp_path):
    append(builder, "Bỏ sót.", OTHER)          # never reported
    append(builder, "Đã báo.")
    assert rebuild(builder, EDITED) == 0
    assert "Đã báo." in page(builder) and "Bỏ sót." not in page(builder, OTHER_PAGE)
    assert builder.requested.is_set()          # it found the missed change: another build follows
    rebuild(builder)
    assert "Bỏ sót." in page(builder, OTHER_PAGE)
    assert_same_as_clean(builder, tmp_path)


def test_a_published_file_changed_by_hand_is_written_again(builder, tmp_path):
    damaged = builder.state.output / "gioi-thieu/index.html"
    damaged.write_text("sửa tay", encoding="utf-8")     # in place: the standby shares the file
    append(builder, "Sau khi sửa tay.")
    rebuild(builder, EDITED)                   # trusts the folder the last check vouched for
    assert builder.requested.is_set()          # its own check finds the damage
    rebuild(builder)
    assert damaged.read_text(encoding="utf-8") != "sửa tay"
    assert_same_as_clean(builder, tmp_path)


def test_a_file_deleted_by_hand_that_the_last_build_changed_is_written_again(builder, tmp_path):
    """The standby holds the version before the last build's, so the file is linked from the
    published folder: a trusting build that finds it gone publishes without it, and its check
    after the build finds it missing."""
    append(builder, "Lần sửa thứ nhất.")
    rebuild(builder, EDITED)                   # the edited article's page differs from the standby's
    lost = builder.state.output / EDITED_PAGE
    lost.unlink()
    append(builder, "Sửa bài khác.", OTHER)
    rebuild(builder, OTHER)
    assert builder.requested.is_set()
    rebuild(builder)
    assert lost.is_file()
    assert_same_as_clean(builder, tmp_path)


def test_rediscover_answers_only_for_modified_known_sources(site):
    before = discover(site)

    def load(kind, file, rel):
        return ("loaded", kind, rel)

    found = rediscover(before, {EDITED.as_posix(), "site.yaml", "content/media/anh.jpg"}, site, load)
    assert found is not None
    assert [s for s in found if isinstance(s, tuple)] == [("loaded", "article", EDITED.as_posix())]
    assert [s.path for s in found if not isinstance(s, tuple)] == [s.path for s in before if s.path != EDITED.as_posix()]
    (site / ARTICLES / "2026/thu-muc").mkdir()
    for touched in ("content/articles/2026/moi.md", "content/articles/2026/thu-muc", "content/articles/2026",
                    "content/pages/moi.md"):
        assert rediscover(before, {touched}, site, load) is None, touched
    (site / EDITED).unlink()
    assert rediscover(before, {EDITED.as_posix()}, site, load) is None


def test_a_link_out_of_the_site_made_during_serve_is_reported(builder, tmp_path):
    outside = tmp_path / "ngoai.jpg"
    outside.write_bytes(b"\xff\xd8\xff")
    link = builder.site_dir / "content/media/ngoai.jpg"
    link.symlink_to(outside)
    builder.changed([link])
    builder.requested.clear()
    report = builder.build()
    assert [(d.path, d.severity) for d in report.diagnostics if "outside the site folder" in d.message] == [
        ("content/media/ngoai.jpg", "error")]
    append(builder, "Sửa tiếp khi còn lỗi.")       # the next edit still reports it, from the kept answer
    builder.changed([builder.site_dir / EDITED])
    assert [d.path for d in builder.build().diagnostics if d.severity == "error"] == ["content/media/ngoai.jpg"]
    link.unlink()
    rebuild(builder, Path("content/media/ngoai.jpg"))


def test_a_check_cut_short_by_another_save_leaves_the_trust_to_the_next_complete_check(builder, tmp_path):
    damaged = builder.state.output / "gioi-thieu/index.html"
    damaged.write_text("sửa tay", encoding="utf-8")     # by hand, after the last check
    output = builder.state.output.resolve()
    assert builder.build_state.verify(builder.site_dir, output, lambda: True) is None      # gave way at once
    append(builder, "Lưu lại ngay.")
    assert rebuild(builder, EDITED) == 0      # the sources are still trusted as the watcher reports them,
    assert damaged.read_text(encoding="utf-8") == "sửa tay"   # and the folder as the last complete check found it
    assert builder.requested.is_set()         # until the check after this build finds the damage
    rebuild(builder)
    assert damaged.read_text(encoding="utf-8") != "sửa tay"
    assert_same_as_clean(builder, tmp_path)
