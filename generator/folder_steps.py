"""The file-system steps publication.py is made of: exchanging two folders in one step, the
folder lock, and replacing, linking and removing files whatever stood in their place."""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from pathlib import Path

from generator.output import remove_path

try:                         # POSIX
    import fcntl
except ImportError:          # Windows
    fcntl = None
    import msvcrt

RENAME_EXCHANGE = 2          # linux/fs.h
RENAME_SWAP = 2              # macOS stdio.h (renamex_np)
AT_FDCWD = -100
_SWAP_UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP)


def exchange(new: Path, target: Path, aside: Path) -> None:
    """Swap two folders in one step; where the system cannot, in three renames (`aside`)."""
    try:
        swap(os.fsencode(new), os.fsencode(target))
        return
    except OSError as exc:
        if exc.errno not in _SWAP_UNSUPPORTED:
            raise
    os.replace(target, aside)
    os.replace(new, target)
    os.replace(aside, new)


def swap(first: bytes, second: bytes) -> None:
    libc = _libc()
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(first, second, RENAME_SWAP)
    else:
        raise OSError(errno.ENOSYS, "no atomic folder exchange on this system")
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), os.fsdecode(first), None, os.fsdecode(second))


_LIBC = None


def _libc():
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def alive(pid: str) -> bool:
    """Whether the process that made a staging folder still runs (it may be `serve` preparing
    its search index). Where that cannot be asked safely (Windows), it is taken as running."""
    if not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    if os.name != "posix":
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def make_parents(root: str, rel: str) -> None:
    """The folders above `rel` in `root`; a file standing where a folder must go is removed."""
    parent = rel.rpartition("/")[0]
    if not parent:
        return
    try:
        os.makedirs(root + parent, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        walked = root
        for name in parent.split("/"):
            walked = os.path.join(walked, name)
            if os.path.lexists(walked) and not os.path.isdir(walked):
                os.unlink(walked)
        os.makedirs(root + parent, exist_ok=True)


def replace_file(source: str, destination: str) -> None:
    """os.replace, also over a folder standing where the file goes."""
    try:
        os.replace(source, destination)
    except IsADirectoryError:
        remove_path(destination)
        os.replace(source, destination)


def write_new(root: str, rel: str, data: bytes) -> None:
    """Write `data` at root+rel as a new file. Whatever stood there is unlinked first, never
    written into: in the standby tree a file is a hard link shared with the published one."""
    path = root + rel
    try:
        os.unlink(path)
    except FileNotFoundError:
        make_parents(root, rel)
    except OSError:
        remove_path(path)             # a folder standing where the file goes
    with open(path, "xb") as stream:
        stream.write(data)


def unlink_file(path: str) -> None:
    """Remove a file, or a folder standing where a file goes, if there is one."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        remove_path(path)


def link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise
        shutil.copy2(source, destination, follow_symlinks=False)


def prune_empty(folder: str, root: Path) -> None:
    root_text = os.path.normpath(root)
    while os.path.normpath(folder) != root_text and folder.startswith(root_text):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


def lock(path: Path):
    stream = open(path, "a+b")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"{path.parent.parent / path.parent.name[1:].rpartition('.')[0]}: another build is "
                      "publishing into this folder; waiting for it to finish", file=sys.stderr)
                fcntl.flock(stream, fcntl.LOCK_EX)
        else:
            stream.seek(0)
            msvcrt.locking(stream.fileno(), msvcrt.LK_LOCK, 1)
    except BaseException:
        stream.close()
        raise
    return stream


def unlock(stream) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(stream, fcntl.LOCK_UN)
        else:
            stream.seek(0)
            msvcrt.locking(stream.fileno(), msvcrt.LK_UNLCK, 1)
    finally:
        stream.close()
