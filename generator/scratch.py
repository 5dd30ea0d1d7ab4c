"""Throw-away work folders on a memory file system when the machine has one.

Why: the search index is made by Pagefind from one HTML file per record, and Pagefind writes
about one file per record back; all of them are deleted a second later. On a disk file system
each new file costs a fresh inode (measured on ext4 here: ~0.4 ms a file, and Pagefind's threads
then queue on the folder's lock), so for one year's part of the bench corpus (842 records)
writing the records took ~0.5 s and Pagefind 2.6 s; in /dev/shm 0.05 s and 1.9 s. Nothing in a
scratch folder outlives the build that made it, so nothing in it needs to be on disk.

A memory file system is used only with room to spare (Docker gives /dev/shm 64 MiB): a folder
asks for the bytes it expects to hold, and falls back to the site's cache folder when the
memory file system is missing, read-only or short of room. A build that is killed leaves its
folder behind: the next one removes the folders of processes that no longer run.

Pagefind's bundle (not what it finds) depends on the order in which the folder lists the record
files: on a memory file system that is the order they were written in, the records' own; on
ext4 it is a hash order seeded per file system. So a part indexed on disk, for want of room in
memory, has other (equally good) bytes than the same part indexed in memory; either is kept in
the cache under the part's key and used by every later build.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

MEMORY_ROOTS = (Path("/dev/shm"),)
PREFIX = "congdoan-ssg-"
SPARE_BYTES = 64 * 1024 * 1024      # left free for everything else that uses the memory file system


class Scratch:
    """Hands out work folders: on a memory file system when one has room, else under `fallback`."""

    def __init__(self, fallback: Path, roots: tuple[Path, ...] | None = None):
        self.fallback = fallback
        self._root = next((root for root in (MEMORY_ROOTS if roots is None else roots) if _usable(root)), None)
        self._reserved = 0
        self._lock = threading.Lock()
        self._swept = False

    def folder(self, label: str, size: int) -> tuple[Path, int]:
        """A new empty folder for about `size` bytes, and the reservation to `release` with it."""
        with self._lock:
            if self._root is not None and not self._swept:
                self._swept = True
                _sweep(self._root)
            if self._root is not None and _free(self._root) - self._reserved >= size + SPARE_BYTES:
                self._reserved += size
                return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{label}-", dir=self._root)), size
        return self.on_disk(label), 0

    def on_disk(self, label: str) -> Path:
        """A new empty folder under `fallback` (nothing to release but the folder)."""
        self.fallback.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"tmp-{label}-", dir=self.fallback))

    def release(self, folder: Path, reserved: int) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        with self._lock:
            self._reserved -= reserved


def _usable(root: Path) -> bool:
    return root.is_dir() and os.access(root, os.W_OK | os.X_OK)


def _free(root: Path) -> int:
    try:
        status = os.statvfs(root)
    except OSError:
        return 0
    return status.f_bavail * status.f_frsize


def _sweep(root: Path) -> None:
    """Remove the folders that builds no longer running left in the memory file system."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        pid = entry.name[len(PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:          # someone else's process: still running
        return True
    return True
