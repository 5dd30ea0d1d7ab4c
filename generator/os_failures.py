"""What an operating-system failure (a full disk, a read-only folder, no permission, a name too
long, another disk) means for the folder the user knows, the output folder or the site's cache,
never for a hidden staging folder; the pipeline and the search index report it (`FolderError`).
"""
from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from generator.diagnostics import Diagnostic


class FolderError(Exception):
    """An operating-system failure in the output folder or the site's cache (see `os_failure`):
    neither a mistake in the sources nor a bug."""

    def __init__(self, folder: Path, message: str, hint: str):
        super().__init__(f"{folder}: error: {message}; {hint}")
        self.folder, self.message, self.hint = folder, message, hint

    def diagnostic(self, severity: str = "error") -> Diagnostic:
        return Diagnostic(str(self.folder), None, severity, self.message, self.hint)


FOLDERS = {"output": "the output folder", "cache": "the cache folder"}


def site_cache(site_dir: Path) -> Path:
    """The folder of every cache of a site (build, images, search): the one the user knows."""
    return site_dir / ".cache"


_QUOTA = "free space in your quota on the disk that holds {folder} (or ask for a larger quota), then build again"
_SHORTEN = ("shorten the slug (or the file name) that makes it: most disks allow 255 bytes a name, and a "
            "Vietnamese letter takes 2 or 3")
# errno -> (what went wrong, what to do for each kind of folder); {at}, {folder} and {parent} filled in.
OS_PROBLEMS: dict[int, tuple[str, dict[str, str]]] = {
    errno.ENOSPC: ("no space left on the disk", {
        "output": "free space on the disk that holds {folder}, then build again",
        "cache": "free space on the disk that holds {folder} (or delete {folder}: the next build makes it "
                 "again, only more slowly), then build again"}),
    errno.EDQUOT: ("the disk quota is used up", {"output": _QUOTA, "cache": _QUOTA}),
    errno.EROFS: ("the folder is on a read-only disk", {
        "output": "choose another folder with --output",
        "cache": "the site folder must be writable (the build keeps its cache in {folder}): build a writable "
                 "copy of the site folder"}),
    errno.EACCES: ("no permission to write there{at}", {
        "output": "check who owns {folder} and the folder that holds it, and their permissions "
                  "(ls -ld {folder} {parent}), or choose another folder with --output",
        "cache": "check who owns {folder} and its permissions (ls -ld {folder})"}),
    errno.ENAMETOOLONG: ("a file name is too long{at}", {"output": _SHORTEN, "cache": _SHORTEN}),
    errno.EXDEV: ("files cannot be moved into it from beside it (it is another disk)", {
        "output": "choose a folder inside that disk as --output, not the disk's own folder",
        "cache": "put the whole site folder, its .cache included, on one disk"}),
}
OS_PROBLEMS[errno.EPERM] = OS_PROBLEMS[errno.EACCES]

# Hidden names that stand for a file or folder of the output: the publication folder beside it
# and what it holds (".output.publish/staging-PID-N", ".../standby", ".../lock": publication.py),
# the backup folder of a publish into a mount point (".output.old-PID-N") and a copy beside a file
# it replaces.
_STANDS_FOR = re.compile(r"\.(.+)\.(?:new|old)-\d+(?:-\d+)?")
_PUBLICATION = re.compile(r"\.(.+)\.publish")
_PUBLICATION_PARTS = re.compile(r"staging-.*|standby|aside|lock|record.*")


def shown_path(name) -> Path:
    """A path as the user knows it: absolute, a hidden staging name replaced by what it stands for."""
    parts = list(Path(os.path.abspath(os.fsdecode(name))).parts)
    shown = []
    while parts:
        part = parts.pop(0)
        if m := _PUBLICATION.fullmatch(part):
            if parts and _PUBLICATION_PARTS.fullmatch(parts[0]):
                parts.pop(0)
            shown.append(m.group(1))
        elif m := _STANDS_FOR.fullmatch(part):
            shown.append(m.group(1))
        else:
            shown.append(part)
    return Path(*shown)


def os_failure(exc: BaseException, output: Path | None = None, cache: Path | None = None,
               default: str | None = None) -> FolderError | None:
    """What an operating-system failure (OS_PROBLEMS: a full disk, a read-only folder, no
    permission, a name too long, another disk) means for the `output` folder or the `cache`
    folder, and what to do: the one place that says it, used where the build meets them.

    The folder is the one the error's file names lie in (a staging name counts as the output
    folder it stands for, a folder the output folder is to be made in as the output folder); an
    error that names no file (write() on a full disk) is `default`'s ("output" or "cache").
    None for another failure, or one about another file (a source file): reported as before."""
    code = getattr(exc, "errno", None)
    if not isinstance(exc, OSError) or code not in OS_PROBLEMS:
        return None
    names = [shown_path(name) for name in (exc.filename, exc.filename2) if isinstance(name, (str, bytes, os.PathLike))]
    kind, rel = (default, "") if not names else (None, "")
    for name in names:
        if output is not None and (name.is_relative_to(output) or output.is_relative_to(name)):
            kind, rel = "output", name.relative_to(output).as_posix() if name.is_relative_to(output) else ""
            break
        if cache is not None and name.is_relative_to(cache):
            kind, rel = "cache", name.relative_to(cache).as_posix()
            break
    folder = {"output": output, "cache": cache}.get(kind or "")
    if folder is None:
        return None
    problem, hints = OS_PROBLEMS[code]
    named = rel and rel != "." and code in (errno.EACCES, errno.EPERM, errno.ENAMETOOLONG)
    at = f": {_shortened(rel)}" if named else ""
    message = f"cannot write {FOLDERS[kind]}: {problem.format(at=at)}"
    return FolderError(folder, message, hints[kind].format(folder=folder, parent=folder.parent))


def _shortened(rel: str, longest: int = 255) -> str:
    """`rel` with each name over `longest` bytes cut to its start (a slug is recognised by it)."""
    return "/".join(part if len(part.encode("utf-8", "surrogateescape")) <= longest else f"{part[:60]}…"
                    for part in rel.split("/"))
