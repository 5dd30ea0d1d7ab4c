"""The stamp index: a one-shot build reads only the sources whose stat changed, never trusts a stat
that was too recent when it was recorded, shrugs off a damaged index, and a source whose bytes
are read on demand (a document-cache miss, maybe in a worker process) is exactly the one hashed.

Every content file is dated well in the past first, so the first build may record its stamp
(see state.RACY_SECONDS); `reads` counts the source files opened in this process.
"""
from __future__ import annotations

import builtins
import io
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import build
from generator import parallel, state as state_module
from generator.cache import cache_folder, read_blob, write_blob
from generator.crash import describe_crash
from generator.sources import STAMPS_FILE, SourceChanged

ARTICLE = Path("content/articles/2026/ra-mat-to-nu-cong.md")
SOURCE_SUFFIXES = (".md", ".yaml", ".yml")


@pytest.fixture
def site(copy_site) -> Path:
    folder = copy_site("basic")
    with open(folder / ARTICLE, "a", encoding="utf-8") as stream:
        stream.write("\nMARKER-AAAA\n")
    past = time.time_ns() - 100 * 1_000_000_000
    for file in (folder / "content").rglob("*"):
        if file.is_file():
            os.utime(file, ns=(past, past))
    return folder


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Names of the source files opened from now on, in this process (Path.read_bytes included)."""
    opened: list[str] = []
    real = builtins.open

    def spy(file, *args, **kwargs):
        name = os.fspath(file) if isinstance(file, (str, os.PathLike)) else ""
        if f"{os.sep}content{os.sep}" in name and name.endswith(SOURCE_SUFFIXES):
            opened.append(os.path.basename(name))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    return opened


def assert_same_tree(built: Path, reference: Path) -> None:
    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    got, want = tree(built), tree(reference)
    assert sorted(got) == sorted(want)
    assert [path for path in want if got[path] != want[path]] == []


def sources_in(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "content").rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES)


def published(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def rewrite_keeping_stat(file: Path, old: str, new: str) -> None:
    """Same size, same inode, same mtime: what an mtime-preserving copy or a racy save leaves."""
    before = os.stat(file)
    data = file.read_bytes()
    assert old.encode() in data and len(old.encode()) == len(new.encode())
    file.write_bytes(data.replace(old.encode(), new.encode()))       # in place: the inode stays
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(file)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


def test_unchanged_sources_are_not_read_by_the_next_one_shot_build(site, tmp_path, reads):
    out = tmp_path / "out"
    assert build(site, out).ok
    assert sorted(reads) == sources_in(site)           # a cold build reads each source once
    with open(site / ARTICLE, "a", encoding="utf-8") as stream:
        stream.write("\nMARKER-CCCC\n")
    reads.clear()
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert reads == [ARTICLE.name]
    assert "MARKER-CCCC" in published(out)


def test_a_file_rewritten_within_the_racy_window_is_read_again(site, tmp_path, reads, monkeypatch):
    recent = time.time_ns() - 1_000_000_000         # saved 1 s before the build: within RACY_SECONDS
    os.utime(site / ARTICLE, ns=(recent, recent))
    out = tmp_path / "out"
    assert build(site, out).ok
    rewrite_keeping_stat(site / ARTICLE, "MARKER-AAAA", "MARKER-BBBB")   # saved again in the same mtime tick
    monkeypatch.setattr(state_module, "RACY_SECONDS", 0)   # later: the stat alone would now look settled
    reads.clear()
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert reads == [ARTICLE.name]
    text = published(out)
    assert "MARKER-BBBB" in text and "MARKER-AAAA" not in text


def _garbage(path: Path, env: str) -> None:
    path.write_bytes(b"garbage")


def _truncated(path: Path, env: str) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def _not_a_dict(path: Path, env: str) -> None:
    write_blob(path, env, ["not", "an", "index"])


def _bad_entries(path: Path, env: str) -> None:
    """Entries with the right kind and stamp but no usable digest, and others of no shape at all."""
    stored = read_blob(path, env)
    bad = [lambda kind, stamp: (kind, stamp, 42), lambda kind, stamp: (kind, stamp),
           lambda kind, stamp: "x", lambda kind, stamp: None]
    write_blob(path, env, {rel: bad[number % len(bad)](*entry[:2]) for number, (rel, entry) in enumerate(stored.items())})


@pytest.mark.parametrize("damage", [_garbage, _truncated, _not_a_dict, _bad_entries])
def test_a_damaged_stamp_index_is_ignored_and_rebuilt(site, tmp_path, reads, damage):
    first = tmp_path / "first"
    assert build(site, first).ok
    index = cache_folder(site) / STAMPS_FILE
    env = state_module._stamps_env()
    damage(index, env)
    reads.clear()
    again = tmp_path / "again"                    # a new folder: no shortcut, every source discovered
    report = build(site, again)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert sorted(reads) == sources_in(site)      # nothing trusted: every source read and hashed
    assert_same_tree(again, first)
    rebuilt = read_blob(index, env)
    assert isinstance(rebuilt, dict) and len(rebuilt) == len(sources_in(site))


def test_bytes_that_no_longer_match_the_trusted_digest_stop_the_build(site, tmp_path):
    """The index vouches for a stat the file still has, but its bytes changed (an mtime-keeping
    rewrite): once a reader needs them, the build stops instead of filing them under the old
    digest, and drops the index so that building again reads the file."""
    assert build(site, tmp_path / "first").ok
    rewrite_keeping_stat(site / ARTICLE, "MARKER-AAAA", "MARKER-BBBB")
    for blob in cache_folder(site).glob("documents-*.pickle"):
        blob.unlink()                                # a document-cache miss: the reader needs the bytes
    out = tmp_path / "out"
    with pytest.raises(SourceChanged) as caught:
        build(site, out)
    assert caught.value.path == ARTICLE.as_posix()
    assert describe_crash(caught.value).startswith(f"{ARTICLE.as_posix()}: error: the file changed")
    assert not out.exists()
    assert not (cache_folder(site) / STAMPS_FILE).exists()
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert "MARKER-BBBB" in published(out)


def test_sources_read_on_demand_in_worker_processes_give_the_same_output(site, tmp_path, reads, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)     # use the worker pool even for a small site
    reference = tmp_path / "one"
    assert build(site, reference, jobs=1).ok
    shutil.rmtree(cache_folder(site))
    cold = tmp_path / "cold"
    assert build(site, cold, jobs=2).ok                  # cold: the bytes read while hashing go to the workers
    assert_same_tree(cold, reference)
    for blob in cache_folder(site).glob("documents-*.pickle"):
        blob.unlink()                                    # stamps kept, documents gone: all read on demand
    reads.clear()
    lazy = tmp_path / "lazy"
    report = build(site, lazy, jobs=2)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert reads == []                                   # this process read nothing: the workers did
    assert_same_tree(lazy, reference)


def test_a_recorded_stamp_is_trusted_only_while_the_file_is_old_enough(tmp_path, reads):
    """The rule at lookup, on its own: a stat equal to the recorded one vouches for the digest
    only if the file's mtime is more than RACY_SECONDS before this build started."""
    from generator.state import BuildState

    rel = "content/articles/a.md"
    file = tmp_path / rel
    file.parent.mkdir(parents=True)
    file.write_bytes(b"---\ntitle: A\n---\n")
    status = os.stat(file)
    recorded = ("article", (status.st_size, status.st_mtime_ns, status.st_ino), "0" * 64)
    for started, trusted in ((status.st_mtime_ns + 1_000_000_000, False), (status.st_mtime_ns + 3_000_000_000, True)):
        state = BuildState(tmp_path, keep_sources=False, persist=False, stamps={rel: recorded}, started_ns=started)
        reads.clear()
        source = state.load_source("article", str(file), rel)
        assert (source.digest == "0" * 64, reads) == ((True, []) if trusted else (False, ["a.md"]))


def test_a_build_stats_each_source_once(site, tmp_path, monkeypatch):
    """The inputs stamp has just stat-ed every file under content/: discover takes the sources'
    stats from it rather than asking again (unless a build skipped the stamp, as serve's do)."""
    out = tmp_path / "out"
    assert build(site, out).ok
    with open(site / ARTICLE, "a", encoding="utf-8") as stream:
        stream.write("\nMARKER-BBBB\n")
    asked: list[str] = []
    real = os.stat

    def counting(path, *args, **kwargs):
        if f"{os.sep}content{os.sep}" in os.fspath(path) and os.fspath(path).endswith(SOURCE_SUFFIXES):
            asked.append(os.path.basename(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(state_module.os, "stat", counting)
    report = build(site, out)
    assert report.ok and report.unchanged < report.pages       # the edit was built
    assert asked == []
    assert any("MARKER-BBBB" in page.read_text(encoding="utf-8") for page in out.rglob("*.html"))
