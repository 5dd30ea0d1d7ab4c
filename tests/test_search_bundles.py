"""Where the search index is made (scratch folders) and how cached bundles reach the output
(hard links, checked against the bundle's sums)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SITES, build
from generator import scratch, search_index
from generator.scratch import Scratch
from generator.search_index import SUMS_FILE


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ---- scratch folders --------------------------------------------------------------------------

def test_scratch_folders_go_to_memory_while_it_has_room(tmp_path, monkeypatch):
    memory, disk = tmp_path / "shm", tmp_path / "cache"
    memory.mkdir()
    monkeypatch.setattr(scratch, "_free", lambda root: scratch.SPARE_BYTES + 1000)
    box = Scratch(disk, roots=(memory,))
    first, reserved = box.folder("a", 600)
    assert first.parent == memory and first.is_dir() and reserved == 600
    second, none = box.folder("b", 600)             # 600 more would eat into the spare room
    assert second.parent == disk and none == 0
    box.release(first, reserved)
    assert not first.exists()
    third, reserved = box.folder("c", 600)          # released: room again
    assert third.parent == memory
    box.release(second, none)
    box.release(third, reserved)
    assert list(memory.iterdir()) == [] and list(disk.iterdir()) == []


def test_without_a_usable_memory_root_scratch_is_on_disk(tmp_path):
    box = Scratch(tmp_path / "cache", roots=(tmp_path / "missing",))
    folder, reserved = box.folder("a", 10)
    assert folder.parent == tmp_path / "cache" and reserved == 0


def test_scratch_removes_what_dead_builds_left_in_memory(tmp_path):
    memory = tmp_path / "shm"
    memory.mkdir()
    left = memory / f"{scratch.PREFIX}{dead_pid()}-abc-x1"
    mine = memory / f"{scratch.PREFIX}{os.getpid()}-abc-x2"
    other = memory / "someone-elses"
    for folder in (left, mine, other):
        (folder / "site").mkdir(parents=True)
    box = Scratch(tmp_path / "cache", roots=(memory,))
    made, reserved = box.folder("a", 10)
    assert not left.exists() and mine.is_dir() and other.is_dir() and made.is_dir()
    box.release(made, reserved)


# ---- bundles in the cache and in the output ---------------------------------------------------

def cached_bundles(site: Path) -> list[Path]:
    return [p for p in (site / ".cache" / "search").iterdir() if (p / "pagefind-entry.json").is_file()]


def test_bundles_are_installed_as_links_to_checked_cache_files(copy_site, tmp_path):
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    bundles = cached_bundles(site)
    sums = {}
    for bundle in bundles:
        listed = json.loads((bundle / SUMS_FILE).read_text(encoding="utf-8"))
        for rel, sha in listed.items():
            sums[(bundle / rel).stat().st_ino] = sha
    published = [p for p in (out / "pagefind").rglob("*") if p.is_file() and p.name != "parts.json"]
    assert published and not [p for p in published if p.name == SUMS_FILE]
    # every published index file is one of the cached files (the same inode), whose sum is listed
    assert all(p.stat().st_ino in sums for p in published)


def test_a_cached_bundle_changed_through_its_link_is_indexed_again(copy_site, tmp_path):
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    clean = tree(out)
    # a hand edit in the output, in place: it writes through the link into the cache as well
    entry = out / "pagefind" / "2026" / "pagefind-entry.json"
    with entry.open("a", encoding="utf-8") as stream:
        stream.write(" ")
    again = build(site, out)
    assert again.ok and not [d for d in again.diagnostics if "search index" in d.message]
    assert tree(out) == clean
    # the cache holds an intact bundle again: a build into an empty folder gets the same bytes
    fresh = tmp_path / "fresh"
    assert build(site, fresh).ok
    assert tree(fresh / "pagefind") == tree(out / "pagefind")


def test_a_cached_bundle_without_sums_is_indexed_again(copy_site, tmp_path):
    site = copy_site("discovery")
    out = tmp_path / "out"
    assert build(site, out).ok
    clean = tree(out)
    for bundle in cached_bundles(site):
        (bundle / SUMS_FILE).unlink()
    fresh = tmp_path / "fresh"
    report = build(site, fresh)
    assert report.ok and not [d for d in report.diagnostics if "search index" in d.message]
    assert tree(fresh) == clean


@pytest.mark.parametrize("where", ["on disk", "in memory, copied to the cache"])
def test_a_bundle_copied_out_of_scratch_equals_one_made_in_the_cache(copy_site, tmp_path, monkeypatch, where):
    # Every folder here is on one file system: Pagefind's bytes follow the order in which a
    # folder lists its files (see scratch.py), so only the copying is compared, not the medium.
    reference_site = tmp_path / "reference-site"
    shutil.copytree(SITES / "discovery", reference_site)
    reference = tmp_path / "reference"
    monkeypatch.setattr(scratch, "MEMORY_ROOTS", ())
    assert build(reference_site, reference).ok
    assert not list((reference_site / ".cache" / "search").glob("tmp-*")), "work folders are removed"

    site = copy_site("discovery")
    memory = tmp_path / "memory"
    memory.mkdir()
    if where == "on disk":
        monkeypatch.setattr(scratch, "MEMORY_ROOTS", (tmp_path / "missing",))
    else:     # a memory file system is another device: the bundle is copied out of it
        monkeypatch.setattr(scratch, "MEMORY_ROOTS", (memory,))
        monkeypatch.setattr(search_index, "same_device", lambda one, other: False)
    out = tmp_path / "out"
    assert build(site, out).ok
    assert tree(out) == tree(reference)
    assert list(memory.iterdir()) == [], "scratch folders are removed"
    assert not list((site / ".cache" / "search").glob("tmp-*"))


def test_a_memory_file_system_that_fills_up_costs_a_second_try_on_disk(copy_site, tmp_path, monkeypatch):
    reference_site = tmp_path / "reference-site"
    shutil.copytree(SITES / "discovery", reference_site)
    reference = tmp_path / "reference"
    monkeypatch.setattr(scratch, "MEMORY_ROOTS", ())
    assert build(reference_site, reference).ok

    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(scratch, "MEMORY_ROOTS", (memory,))
    failed = {"write": 0, "pagefind": 0}
    write, run = search_index.write_record_files, search_index.run_pagefind

    def full_write(site, records):               # the first part's records find no room
        if site.is_relative_to(memory) and not failed["write"]:
            failed["write"] += 1
            site.mkdir(parents=True)
            (site / "half.html").write_text("<p>", encoding="utf-8")
            raise OSError(28, "No space left on device")
        write(site, records)

    def full_run(work, language):                # and Pagefind fails in memory for another part
        if work.is_relative_to(memory) and not failed["pagefind"]:
            failed["pagefind"] += 1
            raise search_index.SearchIndexError("Error: No space left on device (os error 28)")
        run(work, language)

    monkeypatch.setattr(search_index, "write_record_files", full_write)
    monkeypatch.setattr(search_index, "run_pagefind", full_run)
    site = copy_site("discovery")
    out = tmp_path / "out"
    report = build(site, out)
    assert failed == {"write": 1, "pagefind": 1}
    assert report.ok and not [d for d in report.diagnostics if "search index" in d.message]
    assert tree(out) == tree(reference)
    assert list(memory.iterdir()) == [] and not list((site / ".cache" / "search").glob("tmp-*"))
