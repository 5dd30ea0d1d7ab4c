"""The only writer. Nothing in the published folder changes until a build has succeeded.

A build stages what it writes in a folder beside the target, then publishes it one of two ways:

- *move*: the staged files (only the changed ones) replace their namesakes one by one and files no
  longer produced are deleted. Used by every build that has a usable manifest of the folder.
- *swap*: the staged folder is a complete tree and replaces the published folder in one rename.
  Used for a first or full build (no manifest, or the folder was deleted).

`Manifest` records what the published folder holds (a fingerprint, the bytes' sha256, size and
mtime per file), so the next build can tell unchanged files from changed ones and notice files
changed or deleted by hand (those are simply written again).
"""
from __future__ import annotations

import itertools
import os
import shutil
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str          # relative to the output folder, forward slashes
    data: bytes


class Entry(NamedTuple):
    """One published file as the last successful build left it. A tuple, so that a manifest of
    ~25,000 of them loads in C (see Manifest.__setstate__): 7 x faster than as dataclasses."""

    fingerprint: str | None   # what it was made from (page fingerprint, bytes digest, copy stamp)
    sha256: str | None        # of its bytes, when the build had them in hand
    size: int
    mtime_ns: int
    origin: str               # "page", "file", "copy" or "finish:<feature name>"


@dataclass
class Manifest:
    """What the last successful build published into `output`."""

    output: str
    entries: dict[str, Entry] = field(default_factory=dict)
    finish_keys: dict[str, str] = field(default_factory=dict)   # feature -> digest of its inputs
    inputs_key: str | None = None                               # see pipeline: nothing changed
    summary: dict = field(default_factory=dict)                 # report figures a no-change build repeats

    def __getstate__(self) -> dict:
        """The entries as two lists, of paths and of plain tuples: pickle writes and reads those
        without a Python call per entry."""
        state = dict(self.__dict__)
        state["entries"] = (list(self.entries), [tuple(entry) for entry in self.entries.values()])
        return state

    def __setstate__(self, state: dict) -> None:
        paths, rows = state["entries"]
        self.__dict__.update(state)
        self.entries = dict(zip(paths, map(_AS_ENTRY, rows)))

    def damaged(self, folder: Path, paths=None) -> set[str]:
        """Files changed or deleted by hand since they were published (size or mtime differ);
        of `paths` only, when given."""
        damaged = set()
        entries = self.entries
        prefix, stat = os.path.join(folder, ""), os.stat     # a plain str prefix: ~25 % of the check
        for path in entries if paths is None else paths:
            entry = entries[path]
            try:
                status = stat(prefix + path)
            except OSError:
                damaged.add(path)
                continue
            if status.st_size != entry.size or status.st_mtime_ns != entry.mtime_ns:
                damaged.add(path)
        return damaged


_AS_ENTRY = functools.partial(tuple.__new__, Entry)    # a row as an Entry, in C

_SERIAL = itertools.count()      # two sessions of one process (serve) never share a folder


class Staging:
    """A private folder next to `target` that collects this build's new and changed files."""

    def __init__(self, target: Path):
        self.target = target.resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.folder = self.target.parent / f".{self.target.name}.new-{os.getpid()}-{next(_SERIAL)}"
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir()
        self.staged: set[str] = set()      # written or linked here by this build
        self._dirs: set[str] = {""}

    def path(self, rel: str) -> Path:
        """The staged location of `rel`, with its folder made; refuses paths leaving the folder."""
        if rel.startswith("/") or "\\" in rel or ".." in rel.split("/") or not rel:
            raise ValueError(f"refusing to write outside the output folder: {rel}")
        parent = rel.rpartition("/")[0]
        if parent not in self._dirs:
            os.makedirs(os.path.join(self.folder, parent), exist_ok=True)
            self._dirs.add(parent)
        return self.folder / rel

    def write(self, rel: str, data: bytes) -> None:
        with open(self.path(rel), "wb") as stream:
            stream.write(data)
        self.staged.add(rel)

    def copy_file(self, source: Path, rel: str) -> None:
        """Copy a source file (an image, a theme stylesheet) into the staged tree.

        A copy, not a hard link: editors save files in place, and a link would let an edit (even
        one that breaks the build) change the published folder without a successful build.
        """
        destination = self.path(rel)
        if os.path.lexists(destination):
            os.unlink(destination)
        shutil.copyfile(source, destination)
        self.staged.add(rel)

    def mirror(self, paths) -> None:
        """Hard-link published files that this build did not stage, to make the tree complete."""
        for rel in paths:
            if rel in self.staged:
                continue
            destination = self.path(rel)
            try:
                os.link(self.target / rel, destination)
            except OSError:
                shutil.copy2(self.target / rel, destination)

    def unstage(self, rel: str) -> None:
        """Take back a staged file (another producer of the same path won)."""
        if rel in self.staged:
            os.unlink(self.folder / rel)
            self.staged.discard(rel)

    def publish_moves(self, paths, deleted) -> None:
        """Move the staged `paths` into place, then delete the files no longer produced."""
        for rel in sorted(paths):
            destination = self.target / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.is_dir() and not destination.is_symlink():
                shutil.rmtree(destination)
            os.replace(self.folder / rel, destination)
        for rel in sorted(deleted):
            target = self.target / rel
            try:
                target.unlink()
            except FileNotFoundError:
                continue
            except IsADirectoryError:
                shutil.rmtree(target, ignore_errors=True)
            _prune_empty(target.parent, self.target)
        shutil.rmtree(self.folder, ignore_errors=True)

    def publish_swap(self) -> None:
        """Swap the complete staged tree in place of the target."""
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
        if self.target.exists():
            os.replace(self.target, old)
        os.replace(self.folder, self.target)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _prune_empty(folder: Path, root: Path) -> None:
    """Remove folders a deletion left empty, up to (not including) the output folder."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def static_files(folder: Path) -> list[tuple[Path, str]]:
    """(file, path relative to `folder`) of a theme's static folder; hidden files are left out."""
    found = []
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if file.is_file() and not any(part.startswith(".") for part in rel.parts):
            found.append((file, rel.as_posix()))
    return found
