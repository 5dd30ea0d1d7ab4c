"""The inputs stamp: a digest of the stat of every input file, with which a build that finds
nothing changed since the last one into a folder stops after a few thousand `stat` calls."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


def inputs_stamp(roots: list[Path], extra: tuple, settled_before_ns: int, stats: dict | None = None) -> str | None:
    """Digest of the size, mtime and inode of every file under `roots`, plus `extra` (options,
    code version, today). None when a file was modified after `settled_before_ns`, too recently
    to be trusted (see state.RACY_SECONDS). `stats` receives each file's (size, mtime, inode) by
    its path (see state.BuildState.walked)."""
    h = hashlib.sha256(repr(extra).encode())
    limit = settled_before_ns
    for root in roots:
        h.update(f"\0root {root}\0".encode())
        if root.is_file():
            status = root.stat()
            if status.st_mtime_ns > limit:
                return None
            h.update(f"{status.st_size} {status.st_mtime_ns} {status.st_ino}\n".encode())
            continue
        for path, status in sorted(_walk(root, stats)):
            if status[1] > limit:
                return None
            h.update(f"{path}\0{status[0]} {status[1]} {status[2]}\n".encode())
    return h.hexdigest()


def _walk(root: Path, stats: dict | None = None):
    """(relative path, (size, mtime, inode)) of every file under root, skipping hidden folders
    like .cache; symbolic links are followed, as the readers follow them. Each also goes into
    `stats` by its full path."""
    if not root.is_dir():
        return
    stack = [str(root)]
    cut = len(str(root)) + 1
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for item in entries:
            try:
                if item.is_dir():
                    if not item.name.startswith("."):
                        stack.append(item.path)
                    continue
                status = item.stat()
            except OSError:
                continue
            stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
            if stats is not None:
                stats[item.path] = stamp
            yield item.path[cut:], stamp
