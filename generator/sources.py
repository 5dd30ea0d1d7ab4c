"""Finding and reading the site's source files: the only code that reads content from disk."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.diagnostics import Diagnostic, ERROR

CONTENT = "content"
# (kind, folder under content/, glob)
SOURCE_KINDS = (
    ("article", "articles", "**/*.md"),
    ("page", "pages", "*.md"),
    ("campaign", "campaigns", "*.md"),
    ("honours", "honours", "**/*.yaml"),
    ("honours", "honours", "**/*.yml"),
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    kind: str
    path: str        # relative to the site folder, with forward slashes
    data: bytes
    digest: str      # sha256 of data: the cache key of everything derived from this file


def discover(site_dir: Path, load: Callable[[str, Path, str], SourceFile] | None = None) -> list[SourceFile]:
    """Every content source of a site folder, in a stable order. Hidden files are skipped.

    `load(kind, file, rel)`, when given, makes each SourceFile instead of reading it here: a warm
    BuildState (state.py) hands back the one it read before when the file's stat is unchanged.
    """
    found: list[SourceFile] = []
    resolved: dict[Path, Path] = {}
    for kind, folder, pattern in SOURCE_KINDS:
        base = site_dir / CONTENT / folder
        if not base.is_dir():
            continue
        for file in sorted(base.glob(pattern)):
            rel = file.relative_to(site_dir)
            if any(part.startswith(".") for part in rel.parts) or not file.is_file() or not _inside(file, site_dir, resolved):
                continue
            if load is not None:
                found.append(load(kind, file, rel.as_posix()))
                continue
            data = file.read_bytes()
            found.append(SourceFile(kind, rel.as_posix(), data, hashlib.sha256(data).hexdigest()))
    return found


def list_media(site_dir: Path) -> dict[str, Path]:
    """Published media: URL path ("/media/anh/a.jpg") -> file on disk."""
    base = site_dir / CONTENT / "media"
    if not base.is_dir():
        return {}
    media = {}
    for file in sorted(base.rglob("*")):
        rel = file.relative_to(base)
        if file.is_file() and not any(part.startswith(".") for part in rel.parts) and _inside(file, site_dir):
            media["/media/" + rel.as_posix()] = file
    return media


def _inside(file: Path, site_dir: Path, resolved: dict[Path, Path] | None = None) -> bool:
    """False for a symbolic link that leads out of the site folder: it is never read or published.

    With `resolved` (a cache for one scan) each folder is resolved once, not every file's whole
    path: the same answer, since a file that is not a link resolves to its resolved folder / name.
    """
    if resolved is None:
        return file.resolve().is_relative_to(site_dir.resolve())
    if file.is_symlink():
        return file.resolve().is_relative_to(_resolved(site_dir, resolved))
    return _resolved(file.parent, resolved).is_relative_to(_resolved(site_dir, resolved))


def _resolved(path: Path, cache: dict[Path, Path]) -> Path:
    found = cache.get(path)
    if found is None:
        found = cache[path] = path.resolve()
    return found


def outside_links(site_dir: Path) -> list[Diagnostic]:
    """Symbolic links under content/ that lead out of the site folder, each reported as an error."""
    root = site_dir.resolve()
    problems = []
    for folder, dirs, names in os.walk(site_dir / CONTENT):
        for name in [*dirs, *names]:
            entry = Path(folder) / name
            if entry.is_symlink() and not entry.resolve().is_relative_to(root):
                problems.append(Diagnostic(entry.relative_to(site_dir).as_posix(), None, ERROR,
                                           "is a link to a file outside the site folder; it is not read",
                                           "copy the file into the site folder instead of linking to it"))
    return problems
