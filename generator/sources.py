"""Finding and reading the site's source files: the only code that reads content from disk."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

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


def discover(site_dir: Path) -> list[SourceFile]:
    """Every content source of a site folder, in a stable order. Hidden files are skipped."""
    found: list[SourceFile] = []
    for kind, folder, pattern in SOURCE_KINDS:
        base = site_dir / CONTENT / folder
        if not base.is_dir():
            continue
        for file in sorted(base.glob(pattern)):
            rel = file.relative_to(site_dir)
            if any(part.startswith(".") for part in rel.parts) or not file.is_file():
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
        if file.is_file() and not any(part.startswith(".") for part in rel.parts):
            media["/media/" + rel.as_posix()] = file
    return media
