"""Operating-system failures (a full disk, a read-only or foreign folder, a name too long) are
reported as what they are: one line naming the output or cache folder the user knows, with what
to do, exit status 1; and the last good output folder is left exactly as it was.

The failures are simulated by monkeypatching the lowest-level call that writes or moves a file
(open() in the page renderer, os.replace, Pagefind's process): the tests run as root, where a
chmod 0o555 folder or a read-only bind mount cannot be made without privileges the test suite
should not assume, and root writes through chmod anyway.
"""
from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SITES, TODAY
from generator import folder_steps, render, scratch, search_index, splice
from generator.cli import main

ARTICLE = "content/articles/2026/thoi-su/trao-qua.md"
PAGE = "thoi-su/trao-qua-cho-cong-nhan-kho-khan/index.html"        # the article's page


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(site: Path, out: Path, capsys) -> tuple[int, str]:
    """The command line's build; returns the exit status and what it printed on stderr."""
    capsys.readouterr()
    status = main(["build", "--site", str(site), "--output", str(out), "--today", TODAY.isoformat(), "--jobs", "1",
                   "--quiet"])
    return status, capsys.readouterr().err


def edit(site: Path) -> None:
    """An edit that makes the next build render, index and publish again."""
    with (site / ARTICLE).open("a", encoding="utf-8") as stream:
        stream.write("\nMột câu mới về buổi trao quà.\n")


def inside(path, folder: Path) -> bool:
    try:
        return Path(os.path.abspath(os.fsdecode(path))).is_relative_to(folder)
    except (TypeError, ValueError):
        return False


def hidden_beside(folder: Path) -> list[str]:
    """Staging and backup folders the build left beside the output folder (its publication
    folder keeps only the lock, the record and the standby tree: publication.py)."""
    home = folder.parent / f".{folder.name}.publish"
    kept = {"lock", "record.json", "standby"}
    left = [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.") and p != home]
    left += [f"{home.name}/{p.name}" for p in home.iterdir() if p.name not in kept] if home.is_dir() else []
    return sorted(left)


def assert_plain(err: str, folder: Path, *hints: str) -> None:
    """One plain error line about `folder`: no traceback, no "bug", no hidden staging name."""
    assert f"{folder}: error: " in err, err
    for hint in hints:
        assert hint in err, err
    assert "bug in the generator" not in err and "internal error" not in err, err
    assert "Traceback" not in err, err
    assert ".new-" not in err and ".old-" not in err and f".{folder.name}." not in err, err


@pytest.fixture
def site(tmp_path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "basic", target)
    return target


@pytest.fixture
def published(site, tmp_path, capsys) -> tuple[Path, dict[str, bytes]]:
    """The site built once into tmp_path/out (the last good output), then edited."""
    out = tmp_path / "out"
    status, err = build(site, out, capsys)
    assert status == 0, err
    before = tree(out)
    assert "index.html" in before and any(p.startswith("pagefind/") for p in before)
    edit(site)
    return out, before


# ---- the output folder ------------------------------------------------------------------------

def failing_page_writes(monkeypatch, code: int, after_creating: bool = False) -> list[str]:
    """Make writing a page (into the standby or the staging folder) fail with `code`, at its
    creation or, with `after_creating`, once the file exists (a disk that fills up)."""
    failed: list[str] = []

    def refused(root: str, rel: str, data: bytes) -> None:
        failed.append(root + rel)
        if after_creating:
            folder_steps.write_new(root, rel, b"")
        raise OSError(code, os.strerror(code), root + rel)
    monkeypatch.setattr(render, "write_new", refused)
    monkeypatch.setattr(splice, "write_new", refused)
    return failed


def test_full_disk_while_writing_a_page_names_the_output_folder(site, published, capsys, monkeypatch):
    out, before = published
    failing_page_writes(monkeypatch, errno.ENOSPC, after_creating=True)
    status, err = build(site, out, capsys)
    assert status == 1
    assert_plain(err, out, "no space left", "free space on the disk that holds")
    assert tree(out) == before
    assert hidden_beside(out) == []
    monkeypatch.undo()                 # room again: the next build publishes the edit
    status, err = build(site, out, capsys)
    assert status == 0, err
    assert "Một câu mới về buổi trao quà" in (out / PAGE).read_text("utf-8")


@pytest.mark.parametrize("code, hints", [
    (errno.ENOSPC, ("no space left", "free space on the disk that holds")),
    (errno.EDQUOT, ("quota", "free space")),
    (errno.EROFS, ("read-only", "--output")),
    (errno.EACCES, ("permission", "check who owns")),
    (errno.EPERM, ("permission", "check who owns")),
    (errno.ENAMETOOLONG, ("file name is too long", "shorten")),
])
def test_each_os_error_writing_the_output_has_its_own_hint(site, published, capsys, monkeypatch, code, hints):
    out, before = published
    failed = failing_page_writes(monkeypatch, code)       # the page cannot be created
    status, err = build(site, out, capsys)
    assert status == 1
    assert_plain(err, out, *hints)
    if code == errno.ENAMETOOLONG:     # which name: the page's path in the output folder
        written = Path(failed[0])
        folder = next(p for p in written.parents if p.name == "standby" or p.name.startswith("staging-"))
        assert written.relative_to(folder).as_posix() in err, err
    assert tree(out) == before
    assert hidden_beside(out) == []


def _mount(monkeypatch, folder: Path, read_only: bool) -> None:
    """Make `folder` behave like a mount point of its own: a rename across its edge fails with
    EXDEV and renaming the folder itself with EBUSY, as the kernel does; when `read_only`, every
    change inside it fails with EROFS (after the EXDEV, which the kernel checks first)."""
    real = {name: getattr(os, name) for name in ("replace", "rename", "link", "mkdir", "unlink", "rmdir")}
    real_open, real_io_open = builtins.open, io.open

    def crossing(name):
        def move(source, target, *args, **kwargs):
            if Path(os.path.abspath(source)) == folder:
                raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), source)
            if inside(source, folder) != inside(target, folder):
                raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), source, None, target)
            if read_only and inside(target, folder):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), source, None, target)
            return real[name](source, target, *args, **kwargs)
        return move

    def changing(name):
        def change(path, *args, **kwargs):
            if read_only and kwargs.get("dir_fd") is None and inside(path, folder):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
            return real[name](path, *args, **kwargs)
        return change

    def opening(original):
        def open_(file, mode="r", *args, **kwargs):
            if read_only and isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+") \
                    and inside(file, folder):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), file)
            return original(file, mode, *args, **kwargs)
        return open_

    real_ismount, real_swap = os.path.ismount, folder_steps.swap

    def swap(first, second):          # a mount point cannot be exchanged with a folder beside it
        if Path(os.fsdecode(second)) == folder or Path(os.fsdecode(first)) == folder:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), os.fsdecode(second))
        return real_swap(first, second)

    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == folder or real_ismount(path))
    monkeypatch.setattr(folder_steps, "swap", swap)
    monkeypatch.setattr(os, "replace", crossing("replace"))
    monkeypatch.setattr(os, "rename", crossing("rename"))
    monkeypatch.setattr(os, "link", crossing("link"))
    for name in ("mkdir", "unlink", "rmdir"):
        monkeypatch.setattr(os, name, changing(name))
    monkeypatch.setattr(builtins, "open", opening(real_open))
    monkeypatch.setattr(io, "open", opening(real_io_open))


@pytest.mark.parametrize("first", [True, False], ids=["first-build", "next-build"])
def test_a_read_only_output_mount_says_so_and_names_the_folder(site, tmp_path, capsys, monkeypatch, first):
    out = tmp_path / "out"
    if first:
        out.mkdir()                    # an empty read-only mount
    else:
        status, err = build(site, out, capsys)
        assert status == 0, err
        edit(site)
    before = tree(out)
    _mount(monkeypatch, out, read_only=True)
    status, err = build(site, out, capsys)
    monkeypatch.undo()
    assert status == 1
    assert_plain(err, out, "read-only", "choose another folder with --output")
    assert "cross-device" not in err
    assert tree(out) == before
    assert hidden_beside(out) == []


def test_an_output_folder_on_another_mount_is_published_by_copying(tmp_path, capsys, monkeypatch):
    """The output folder is a mount point of its own (a Docker volume): the staged files cannot
    be renamed into it, so they are copied; the result is the same as an ordinary build's."""
    monkeypatch.setattr(scratch, "MEMORY_ROOTS", ())        # the same index bytes in both builds
    mounted_site, plain_site = tmp_path / "a" / "site", tmp_path / "b" / "site"
    shutil.copytree(SITES / "basic", mounted_site)
    shutil.copytree(SITES / "basic", plain_site)
    out, reference = tmp_path / "a" / "out", tmp_path / "b" / "out"
    out.mkdir()
    for step in ("first", "edited"):
        if step == "edited":
            edit(mounted_site)
            edit(plain_site)
        with monkeypatch.context() as patch:
            _mount(patch, out, read_only=False)
            status, err = build(mounted_site, out, capsys)
        assert status == 0, err
        status, err = build(plain_site, reference, capsys)
        assert status == 0, err
        assert tree(out) == tree(reference), step
        assert hidden_beside(out) == []


def test_a_failure_midway_through_publishing_leaves_the_last_output(site, published, capsys, monkeypatch):
    """The next generation is made in the standby tree beside the output (publication.py): a
    failure while making it leaves the published folder as it was, and the next build, with the
    standby in an unknown state, publishes the edit."""
    out, before = published
    real_replace = os.replace
    moved = []

    def replace(source, target, *args, **kwargs):    # the third file moved into the standby is refused
        if inside(target, out.parent / f".{out.name}.publish" / "standby"):
            moved.append(target)
            if len(moved) == 3:
                raise OSError(errno.EACCES, os.strerror(errno.EACCES), source, None, target)
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    status, err = build(site, out, capsys)
    monkeypatch.undo()
    assert len(moved) == 3
    assert status == 1
    assert_plain(err, out, "permission", "check who owns")
    assert tree(out) == before
    assert hidden_beside(out) == []
    status, err = build(site, out, capsys)
    assert status == 0, err
    assert tree(out) != before


def test_a_folder_beside_the_output_that_cannot_be_made_names_the_output_folder(site, published, capsys,
                                                                                monkeypatch):
    """The publication folder (.out.publish, beside the output) lives in the output's parent: a
    parent the build may not write is said as the output folder's problem, not as a crash."""
    out, before = published
    shutil.rmtree(out.parent / f".{out.name}.publish")
    real_mkdir = os.mkdir

    def mkdir(path, *args, **kwargs):
        if Path(os.fsdecode(path)).name == f".{out.name}.publish":
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    status, err = build(site, out, capsys)
    monkeypatch.undo()
    assert status == 1
    assert_plain(err, out, "permission", "check who owns")
    assert tree(out) == before


def test_a_failed_swap_leaves_the_last_output(site, published, capsys, monkeypatch):
    """A full build (no record of the folder) swaps the staged tree in: when the swap fails,
    the folder is the one published before."""
    out, before = published
    manifests = list((site / ".cache").rglob("manifest-*.pickle"))
    assert manifests
    for manifest in manifests:
        manifest.unlink()

    def swap(first, second):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(first), None, os.fsdecode(second))

    monkeypatch.setattr(folder_steps, "swap", swap)
    status, err = build(site, out, capsys)
    monkeypatch.undo()
    assert status == 1
    assert_plain(err, out, "no space left")
    assert tree(out) == before
    assert hidden_beside(out) == []


# ---- the cache folder and Pagefind ------------------------------------------------------------

def _pagefind_says(monkeypatch, code: int, stderr: str) -> None:
    """Pagefind's process ends with `code` and `stderr` (what it prints)."""
    real_run = subprocess.run

    def run(args, *rest, **kwargs):
        if "pagefind" in args:
            return subprocess.CompletedProcess(args, code, "", stderr)
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(search_index.subprocess, "run", run)


def test_a_full_cache_disk_under_pagefind_is_an_error_naming_the_cache(site, published, capsys, monkeypatch):
    out, before = published
    monkeypatch.setattr(scratch, "MEMORY_ROOTS", ())          # Pagefind works in SITE/.cache
    _pagefind_says(monkeypatch, 1, "Error: No space left on device (os error 28)\n")
    status, err = build(site, out, capsys)
    assert status == 1
    assert_plain(err, site / ".cache", "no space left", "free space on the disk that holds")
    assert "Pagefind is installed" not in err
    assert tree(out) == before


def test_a_full_cache_disk_while_writing_records_is_an_error_naming_the_cache(site, published, capsys, monkeypatch):
    out, before = published
    monkeypatch.setattr(scratch, "MEMORY_ROOTS", ())

    def full(folder: Path, records) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "index.html"))

    monkeypatch.setattr(search_index, "write_record_files", full)
    status, err = build(site, out, capsys)
    assert status == 1
    assert_plain(err, site / ".cache", "no space left", "free space on the disk that holds")
    assert "Pagefind is installed" not in err
    assert tree(out) == before


def test_a_cache_full_only_after_publishing_is_a_warning_and_the_next_build_is_right(site, published, capsys,
                                                                                      monkeypatch):
    """The site went out; only the record of it (the manifest, in the cache) could not be kept:
    said as a warning about the cache folder, and the next build writes the folder whole."""
    from generator import state as state_module
    out, _ = published
    real_write = state_module.write_blob

    def full(path, *args, **kwargs):
        if Path(path).name.startswith("manifest-"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(path, *args, **kwargs)

    monkeypatch.setattr(state_module, "write_blob", full)
    status, err = build(site, out, capsys)
    monkeypatch.undo()
    assert status == 0, err
    assert f"{site / '.cache'}: warning: cannot write the cache folder: no space left" in err, err
    assert "the site was published" in err and "bug in the generator" not in err
    assert "Một câu mới về buổi trao quà" in (out / PAGE).read_text("utf-8")
    after = tree(out)
    status, err = build(site, out, capsys)
    assert status == 0, err
    assert tree(out) == after


@pytest.mark.parametrize("stderr, missing", [
    ("Traceback (most recent call last):\n  File \"pagefind/__main__.py\", line 6\n"
     "FileNotFoundError: Could not find pagefind binary\n", True),
    ("/usr/bin/python3: No module named pagefind\n", True),
    ("Error: the index could not be written: unexpected end of input\n", False),
])
def test_the_install_hint_only_when_pagefind_is_missing(site, published, capsys, monkeypatch, stderr, missing):
    out, _ = published
    monkeypatch.setattr(scratch, "MEMORY_ROOTS", ())
    _pagefind_says(monkeypatch, 1, stderr)
    before = tree(out)
    status, err = build(site, out, capsys)
    # A failed index is an error: nothing is published, the last site (and its search) stays
    assert status == 1, err
    assert tree(out) == before
    assert "search index not built" in err, err
    assert ("Pagefind is installed" in err) == missing, err
    assert "bug in the generator" not in err and "Traceback (most recent" not in err


def test_a_full_cache_disk_while_resizing_pictures_names_the_cache_not_the_picture(tmp_path, capsys, monkeypatch):
    """Resized copies are written under .cache/: a full disk there is not a damaged photo."""
    from generator import image_variants

    site = tmp_path / "site"
    shutil.copytree(SITES / "editorial", site)
    cache = site / ".cache"

    def full(info, site_dir):
        raise OSError(errno.ENOSPC, "No space left on device", str(cache / "v" / "ab" / "x-480.webp"))
    monkeypatch.setattr(image_variants, "_make_variants", full)
    status, err = build(site, tmp_path / "out", capsys)
    assert status == 1
    assert_plain(err, cache.resolve(), "no space left on the disk", f"free space on the disk that holds {cache.resolve()}")
    assert "cannot read image" not in err and "hoi-nghi.jpg" not in err
