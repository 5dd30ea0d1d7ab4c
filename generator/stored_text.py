"""Texts the document cache keeps on disk until something reads them: article bodies.

An article's body is ~80 % of what the document cache holds (5 KB of HTML an article, twice that
as a Python str of Vietnamese). Most builds need few of them: after one body edit only the
edited article's page, the feeds that list it and its search record show a body; every other
page shows articles through their surface (documents.surface_digest). So the cache writes the
bodies of a shard to a *pack* file beside it, and an article loaded from the cache holds a
`StoredText` (where its body lies in the pack, and the body's sha256) in place of the text.
Reading `article.body_html` reads that slice, checks it and decodes it, every time: a body
read is ~15 µs, and keeping it would bring the memory back (at 100,000 articles ~1 GiB).

A pack is opened when its shard is loaded and stays open while any StoredText of it lives, so
a newer build rewriting the shard (serve, or a build beside it) never changes what an older
object reads: it writes a new pack under a new name and removes the old one's name only.

A slice that does not match its digest (a pack edited or truncated by hand) raises
`DamagedCache`; `pipeline.build_site` then drops the document cache and builds again.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
import threading
from pathlib import Path

ENCODING = "utf-8"
ERRORS = "surrogatepass"


class DamagedCache(Exception):
    """A cached text does not match its digest: the cache cannot be trusted."""


class Pack:
    """An open pack file, shared by the StoredTexts of one shard (closed when the last goes)."""

    __slots__ = ("name", "_file", "_lock")

    def __init__(self, path: Path):
        self.name = path.name
        self._file = io.FileIO(path, "r")
        self._lock = threading.Lock()        # only without os.pread: seek and read are two calls

    def read(self, offset: int, length: int) -> bytes:
        if hasattr(os, "pread"):             # one call, no shared file position: safe in threads and forks
            return os.pread(self._file.fileno(), length, offset)
        with self._lock:
            self._file.seek(offset)
            return self._file.read(length)


class StoredText:
    """Where a text lies in a pack: read, checked and decoded on every `text()`."""

    __slots__ = ("pack", "offset", "length", "digest")

    def __init__(self, pack: Pack | None, offset: int, length: int, digest: bytes):
        self.pack = pack
        self.offset = offset
        self.length = length
        self.digest = digest

    def text(self) -> str:
        data = self.pack.read(self.offset, self.length) if self.pack is not None else b""
        if len(data) != self.length or hashlib.sha256(data).digest() != self.digest:
            raise DamagedCache(f"{self.pack.name if self.pack else 'a pack'} at {self.offset}: the text does not match")
        return data.decode(ENCODING, ERRORS)

    def __reduce__(self):
        """Pickled anywhere but into the document cache (see `reference`), it is its text."""
        return str, (self.text(),)

    def reference(self) -> tuple:
        """What the document cache pickles in its place (see `attach`)."""
        return StoredText, (None, self.offset, self.length, self.digest)


def write_pack(folder: Path, stem: str, texts: list[str]) -> tuple[Path, list[tuple[int, int, bytes]]]:
    """Write `texts` to a new pack `<stem>-<random>.bin` in `folder`; return it and each text's
    (offset, length, sha256). The name is new every time: see the module's docstring."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-{secrets.token_hex(6)}.bin"
    places = []
    offset = 0
    with open(path, "wb") as stream:
        for text in texts:
            data = text.encode(ENCODING, ERRORS)
            stream.write(data)
            places.append((offset, len(data), hashlib.sha256(data).digest()))
            offset += len(data)
    return path, places


def open_pack(path: Path) -> Pack | None:
    """The pack at `path`, or None if it is gone (a newer build replaced it)."""
    try:
        return Pack(path)
    except OSError:
        return None


def remove_other_packs(folder: Path, stem: str, keep: str | None) -> None:
    """Remove the packs of `stem` but `keep` (open ones stay readable until closed)."""
    for path in folder.glob(f"{stem}-*.bin"):
        if path.name != keep:
            try:
                path.unlink(missing_ok=True)
            except OSError:          # still open where that is refused (Windows): the next save retries
                pass


def lazy_text(name: str):
    """Class decorator, outside quick_state: the slot `name` may hold a StoredText, which reading
    the attribute turns into its text. The slot itself stays reachable as `_raw_<name>`, which
    quick_state pickles (so a cached document keeps its reference, not its text)."""
    def decorate(cls):
        slot = cls.__dict__[name]
        setattr(cls, f"_raw_{name}", slot)
        setattr(cls, name, _LazyText(slot))
        cls._lazy_texts = (*getattr(cls, "_lazy_texts", ()), name)
        return cls
    return decorate


class _LazyText:
    """The data descriptor `lazy_text` puts in front of a slot."""

    __slots__ = ("slot",)

    def __init__(self, slot):
        self.slot = slot

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = self.slot.__get__(obj, owner)
        return value.text() if type(value) is StoredText else value

    def __set__(self, obj, value) -> None:
        self.slot.__set__(obj, value)


def stored_copy(obj, places: dict[str, StoredText]):
    """A copy of `obj` (a lazy_text class under quick_state) whose lazy fields hold `places`."""
    cls = type(obj)
    copy = cls.__new__(cls)
    copy.__setstate__(cls._raw_state(obj))
    for name, place in places.items():
        cls.__dict__[f"_raw_{name}"].__set__(copy, place)
    return copy


def attach(obj, pack: Pack) -> None:
    """Point the lazy fields of `obj`, as unpickled from the document cache, at their pack."""
    cls = type(obj)
    for name in cls._lazy_texts:
        value = cls.__dict__[f"_raw_{name}"].__get__(obj, cls)
        if type(value) is StoredText:
            value.pack = pack
