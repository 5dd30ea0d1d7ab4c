"""What a build writes, before it is published (publication.py publishes it).

A build stages the files it writes in a private folder (`Staging`); `Manifest` records what the
published folder holds (a fingerprint, the bytes' sha256, size and mtime per file), so the next
build can tell unchanged files from changed ones and notice files changed or deleted by hand
(those are simply written again).

An output folder that is a mount point of its own (a Docker volume) cannot be swapped whole: the
staged files replace their namesakes one by one (`Staging.publish_moves`), each copied beside its
namesake and renamed over it, and a publish that fails midway puts back what it had changed.
"""
from __future__ import annotations

import errno
import functools
import itertools
import os
import shutil
import stat
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
    generation: str | None = None       # the published generation it describes (publication.py)
    standby: str | None = None          # the generation the standby tree holds, if known
    differs: frozenset = frozenset()    # paths whose file differs between the two trees

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

    def __init__(self, target: Path, folder: Path):
        self.target = target.resolve()
        self.folder = folder
        remove_path(folder)
        folder.mkdir(parents=True)
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

    def mirror(self, paths, source: Path | None = None) -> None:
        """Hard-link files this build did not stage, to make the tree complete: published ones
        (from the output), or those the build wrote elsewhere (`source`: the standby)."""
        source = source or self.target
        for rel in paths:
            if rel in self.staged:
                continue
            destination = self.path(rel)
            try:
                os.link(source / rel, destination)
            except OSError:
                shutil.copy2(source / rel, destination)

    def unstage(self, rel: str) -> None:
        """Take back a staged file (another producer of the same path won)."""
        if rel in self.staged:
            os.unlink(self.folder / rel)
            self.staged.discard(rel)

    def publish_moves(self, paths, deleted) -> None:
        """Move the staged `paths` into place, then delete the files no longer produced. Should a
        step fail, what the earlier ones changed is put back before the error is raised."""
        undo = _Undo(self.target)
        target, staged = os.path.join(self.target, ""), os.path.join(self.folder, "")
        try:
            for rel in sorted(paths):
                destination = target + rel
                undo.make_folders(rel.rpartition("/")[0])
                mode = _mode(destination)
                if mode is None:
                    undo.added.append(destination)
                elif stat.S_ISDIR(mode):
                    undo.set_aside(destination, rel)
                else:
                    undo.keep_copy(destination, rel)
                _move(staged + rel, destination)
            for rel in sorted(deleted):
                if _mode(target + rel) is None:
                    continue
                undo.set_aside(target + rel, rel)
                _prune_empty((self.target / rel).parent, self.target)
        except BaseException:
            undo.roll_back()
            raise
        undo.done()
        shutil.rmtree(self.folder, ignore_errors=True)

    def discard(self) -> None:
        remove_path(self.folder)


class _Undo:
    """What a publish changed in the target, to put back should it fail midway: the files it
    replaced or deleted (kept, numbered, in a hidden folder beside the target until it succeeds:
    hard links where they can be made), and the files and folders it added."""

    def __init__(self, target: Path):
        self.target = os.path.join(target, "")
        self.folder = os.path.join(target.parent, f".{target.name}.old-{os.getpid()}-{next(_SERIAL)}", "")
        self.kept: list[str] = []          # paths (relative to the target) kept as folder/<index>
        self.added: list[str] = []         # files and folders that were not there before
        self._present: set[str] = {""}     # folders of the target known to exist

    def make_folders(self, rel: str) -> None:
        """Make the target's folder `rel` and those above it that are missing."""
        missing = []
        while rel not in self._present and not os.path.lexists(self.target + rel):
            missing.append(rel)
            rel = rel.rpartition("/")[0]
        for folder in reversed(missing):
            os.mkdir(self.target + folder)
            self.added.append(self.target + folder)
            self._present.add(folder)
        self._present.add(rel)

    def keep_copy(self, path: str, rel: str) -> None:
        """Keep a file that stays in place until its replacement is renamed over it."""
        spot = self._spot()
        try:
            os.link(path, spot)
        except OSError:                    # another file system, or one without hard links
            shutil.copy2(path, spot, follow_symlinks=False)
        self.kept.append(rel)

    def set_aside(self, path: str, rel: str) -> None:
        """Take a file or folder out of the target, keeping it."""
        _move(path, self._spot())
        self.kept.append(rel)
        self._present = {""}               # a folder may have gone (set aside, or left empty)

    def roll_back(self) -> None:
        """Put the target back as it was, as far as the failure allows."""
        for path in reversed(self.added):
            try:
                os.rmdir(path) if stat.S_ISDIR(_mode(path) or 0) else os.unlink(path)
            except OSError:
                pass
        for index in reversed(range(len(self.kept))):
            destination, spot = self.target + self.kept[index], f"{self.folder}{index}"
            try:
                mode = _mode(destination)
                if mode is not None and stat.S_ISDIR(mode):
                    shutil.rmtree(destination)
                elif mode is not None and os.path.isdir(spot):
                    os.unlink(destination)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                _move(spot, destination)
            except OSError:
                pass
        self.done()

    def done(self) -> None:
        if self.kept:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _spot(self) -> str:
        if not self.kept:
            os.mkdir(self.folder)
        return f"{self.folder}{len(self.kept)}"


def _mode(path) -> int | None:
    """The file type and mode of `path` itself (not of a link's target), None if there is none."""
    try:
        return os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None


def _move(source, destination) -> None:
    """os.replace; across file systems (EXDEV: an output folder that is a mount point of its own)
    a copy beside the destination renamed over it, then the source removed."""
    try:
        os.replace(source, destination)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    source, destination = Path(source), Path(destination)
    temporary = destination.with_name(f".{destination.name}.new-{os.getpid()}-{next(_SERIAL)}")
    folder = source.is_dir() and not source.is_symlink()
    try:
        if folder:
            shutil.copytree(source, temporary, symlinks=True)
        else:
            shutil.copy2(source, temporary, follow_symlinks=False)
        os.replace(temporary, destination)
    except BaseException:
        if os.path.isdir(temporary) and not os.path.islink(temporary):
            shutil.rmtree(temporary, ignore_errors=True)
        elif os.path.lexists(temporary):
            try:
                os.unlink(temporary)
            except OSError:
                pass
        raise
    if folder:
        shutil.rmtree(source, ignore_errors=True)
    else:
        os.unlink(source)


def remove_path(path) -> None:
    """Remove a file, a link or a whole folder, if there is one."""
    mode = _mode(path)
    if mode is None:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        os.unlink(path)


def files_under(folder: Path) -> list[str]:
    """Every file (or link) under `folder`, as relative POSIX paths."""
    found = []
    for directory, subdirs, names in os.walk(folder):
        rel = os.path.relpath(directory, folder).replace(os.sep, "/")
        names += [name for name in subdirs if os.path.islink(os.path.join(directory, name))]
        found.extend(name if rel == "." else f"{rel}/{name}" for name in names)
    return found


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
