"""Finding and reading the site's source files: the only code that reads content from disk."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.cache import cache_folder
from generator.diagnostics import Diagnostic, ERROR

CONTENT = "content"
# (kind, folder under content/, suffix, whether subfolders count); in this order, each sorted by path
SOURCE_KINDS = (
    ("article", "articles", ".md", True),
    ("page", "pages", ".md", False),
    ("campaign", "campaigns", ".md", False),
    ("honours", "honours", ".yaml", True),
    ("honours", "honours", ".yml", True),
)
STAMPS_FILE = "sources.pickle"     # in cache_folder: the stamp index kept by state.BuildState


class SourceChanged(Exception):
    """A source's bytes no longer match the digest the build computed or trusted for it.

    The build stops rather than parse bytes that the document cache, the inputs digest and the
    output fingerprints would file under another file's digest; nothing has been published yet
    at that point, and building again reads the file afresh.
    """

    @property
    def path(self) -> str:
        return self.args[0]


@dataclass(frozen=True, slots=True)
class SourceFile:
    kind: str
    path: str        # relative to the site folder, with forward slashes
    raw: bytes | None  # the bytes when discover read them, else None: `data` reads `file`
    digest: str      # sha256 of the bytes: the cache key of everything derived from this file
    file: str | None = None     # absolute path, for reading on demand

    @property
    def data(self) -> bytes:
        """The file's bytes. A file whose digest came from the stamp index (state.py) is read only
        here, when a reader needs it (a document-cache miss), perhaps in a worker process; what is
        read must still be what the digest says (see SourceChanged). Not kept: a long `serve`
        session would otherwise hold every source it ever parsed."""
        if self.raw is not None:
            return self.raw
        try:
            with open(self.file, "rb") as stream:
                data = stream.read()
        except FileNotFoundError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != self.digest:
            _distrust_stamps(self.file, self.path)
            raise SourceChanged(self.path)
        return data


def _distrust_stamps(file: str, rel: str) -> None:
    """Drop the stamp index: if the file changed without its stat changing (an in-place rewrite
    that kept size and mtime), the next build would otherwise trust the same stale digest again."""
    site = Path(file[: len(file) - len(rel)])
    try:
        (cache_folder(site) / STAMPS_FILE).unlink(missing_ok=True)
    except OSError:         # a read-only cache: still report the change, not this
        pass


def discover(site_dir: Path, load: Callable[[str, str, str], SourceFile] | None = None) -> list[SourceFile]:
    """Every content source of a site folder, in a stable order. Hidden files are skipped.

    `load(kind, file, rel)` (`file` the absolute path), when given, makes each SourceFile instead
    of reading it here: BuildState (state.py) does not read a file whose stat it can trust.
    """
    found: list[SourceFile] = []
    root = site_dir.resolve()
    for kind, folder, suffix, deep in SOURCE_KINDS:
        base = site_dir.absolute() / CONTENT / folder     # SourceFile.file must not depend on the cwd
        if not base.is_dir():
            continue
        prefix = f"{CONTENT}/{folder}/"
        for sub, file in _scan(str(base), suffix, deep, base.resolve().is_relative_to(root), root):
            rel = prefix + sub
            if load is not None:
                found.append(load(kind, file, rel))
                continue
            with open(file, "rb") as stream:
                data = stream.read()
            found.append(SourceFile(kind, rel, data, hashlib.sha256(data).hexdigest(), file))
    return found


def rediscover(previous: list[SourceFile], touched: set[str], site_dir: Path,
               load: Callable[[str, str, str], SourceFile]) -> list[SourceFile] | None:
    """What `discover` would find, worked out from its last answer and the paths a watcher saw
    change (`serve`), without listing every folder: each touched source is loaded again.

    None when the touched paths may add, remove or re-kind a source (a new or deleted source, a
    folder, a link): then only a full `discover` knows. `touched` holds site-relative paths with
    forward slashes; paths outside the source folders (themes, media, site.yaml) do not matter here.
    """
    at = {source.path: index for index, source in enumerate(previous)}
    found = list(previous)
    base = site_dir.absolute()
    for rel in touched:
        if not _in_source_folder(rel):
            continue
        file = os.path.join(base, rel)
        index = at.get(rel)
        if index is not None:
            if os.path.islink(file) or not os.path.isfile(file):
                return None
            found[index] = load(previous[index].kind, file, rel)
        elif _may_hold_sources(rel, file, at):
            return None
    return found


def _in_source_folder(rel: str) -> bool:
    return any(rel.startswith(f"{CONTENT}/{folder}/") for _, folder, _, _ in SOURCE_KINDS)


def _may_hold_sources(rel: str, file: str, known: dict[str, int]) -> bool:
    """Whether a path that is not a known source is, or was, a source or a folder of sources.
    Editors' temporary files (`x.md~`, `4913`, hidden swap files) are not."""
    if any(part.startswith(".") for part in rel.split("/")):
        return False
    if os.path.isdir(file) or os.path.islink(file):
        return True
    if rel.endswith(tuple(suffix for _, _, suffix, _ in SOURCE_KINDS)):
        return True
    return any(path.startswith(rel + "/") for path in known)     # a folder of sources, gone


def _scan(base: str, suffix: str, deep: bool, base_inside: bool, root: Path) -> list[tuple[str, str]]:
    """(path below base, absolute path) of the visible files named *suffix, sorted as sorted(glob)
    sorts them (part by part). One scandir per folder; like glob's `**`, linked folders are not
    entered. A file that is not a link is inside the site folder exactly when `base` is (the
    folders between are real folders), so only links are resolved (the per-file resolving of the
    old code was a quarter of discover)."""
    found: list[tuple[list[str], str, str]] = []
    stack = [(base, "")]
    while stack:
        folder, under = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                link = entry.is_symlink()
                if deep and not link and entry.is_dir():
                    stack.append((entry.path, under + name + "/"))
                    continue
                if not name.endswith(suffix) or not entry.is_file():
                    continue
            except OSError:
                continue
            if (Path(entry.path).resolve().is_relative_to(root) if link else base_inside):
                sub = under + name
                found.append((sub.split("/"), sub, entry.path))
    found.sort(key=lambda item: item[0])
    return [(sub, path) for _, sub, path in found]


def list_media(site_dir: Path) -> dict[str, Path]:
    """Published media: URL path ("/media/anh/a.jpg") -> file on disk."""
    base = site_dir / CONTENT / "media"
    if not base.is_dir():
        return {}
    media = {}
    resolved: dict[Path, Path] = {}
    for file in sorted(base.rglob("*")):
        rel = file.relative_to(base)
        if file.is_file() and not any(part.startswith(".") for part in rel.parts) and _inside(file, site_dir, resolved):
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
    return links_leaving(site_dir / CONTENT, site_dir.resolve(),
                         lambda path: path.relative_to(site_dir).as_posix())


def links_leaving(top: Path, root: Path, shown: Callable[[Path], str]) -> list[Diagnostic]:
    """Symbolic links under `top` whose target is outside `root`, each reported as an error
    naming the link as `shown` writes it.

    Walks like os.walk (top-down, a folder's subfolders before its files, links to folders listed
    but not entered, hidden entries included) but asks each directory entry whether it is a link
    (free: the type comes with the listing) instead of an lstat per file."""
    problems = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        folders, files = [], []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            (folders if is_folder else files).append(entry)
        for entry in [*folders, *files]:
            if _is_link(entry) and not Path(entry.path).resolve().is_relative_to(root):
                problems.append(Diagnostic(shown(Path(entry.path)), None, ERROR,
                                           "is a link to a file outside the site folder; it is not read",
                                           "copy the file into the site folder instead of linking to it"))
        stack.extend(Path(e.path) for e in reversed(folders) if not _is_link(e))
    return problems


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:           # gone since the listing, like Path.is_symlink
        return False
