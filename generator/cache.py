"""The persistent build cache in `<site>/.cache/build/`: git-ignored, safe to delete, never trusted blindly.

Three kinds of record live there, each a pickled blob behind a header (see `read_blob`):

- parsed documents (front matter + rendered Markdown), keyed by source kind, path and sha256, in
  shards so an edit rewrites one small file and a 100,000-article cache is never held twice;
  each shard's article bodies lie in a pack file beside it, read only when shown (stored_text.py);
- the manifest of the last successful build (see publish.Manifest);
- the stamp index: each source's stat and sha256, so unchanged sources are not read (see
  state.BuildState.load_source).

Every blob names the environment it was made in: the generator's own code, the libraries that
shape the output, and whatever else the caller says the values depend on (base path, time zone).
A blob from another environment, a truncated or edited file, a bad checksum or a pickle that does
not load is ignored and rebuilt. Nothing here changes what a build produces, only how fast.
"""
from __future__ import annotations

import copyreg
import functools
import gc
import hashlib
import io
import json
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path

from generator.stored_text import StoredText, attach, open_pack, remove_other_packs, stored_copy, write_pack

CACHE_DIR = Path(".cache") / "build"
FORMAT = 1
MAGIC = b"congdoan-ssg build cache\n"
SHARDS = 32
# Libraries whose version changes what a build writes (Markdown output, sanitising, dates, slugs…).
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "pyyaml", "babel", "python-slugify",
             "text-unidecode", "python-frontmatter", "feedgen", "pillow", "pagefind", "tzdata")


def cache_folder(site_dir: Path) -> Path:
    return site_dir / CACHE_DIR


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Digest of the generator's own source files, the Python version and the libraries' versions.

    Hashing the code itself (a few hundred kB) means nobody has to remember to bump a number
    when a reader or a view changes: any edit to generator/ invalidates every cached value.
    """
    h = hashlib.sha256(f"format {FORMAT}\n{sys.version}\n".encode())
    package = Path(__file__).resolve().parent
    for file in sorted(package.rglob("*.py")):
        h.update(file.relative_to(package).as_posix().encode() + b"\0")
        h.update(file.read_bytes())
    h.update(code_version_of_libraries().encode())
    return h.hexdigest()


def environment_key(*parts: object, code: str | None = None) -> str:
    """The key of everything a cached value depends on besides its own source file."""
    return hashlib.sha256(repr((code or code_version(), *parts)).encode()).hexdigest()


@functools.lru_cache(maxsize=None)
def module_closure_version(module: str) -> str:
    """Like `code_version`, but over `module` and the generator modules it imports, transitively
    (found by reading their import statements): parsed documents stay valid while views or
    templates code changes."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(f"format {FORMAT}\n{sys.version}\n".encode())
    for name, source in sorted(_import_closure(module, package).items()):
        h.update(name.encode() + b"\0" + source)
    h.update(code_version_of_libraries().encode())
    return h.hexdigest()


# `from generator.x import a, b` (names in parentheses may span lines) and `import generator.x`,
# at any indentation. A regular expression, not ast: parsing the package took ~0.05 s a build.
# Text that only looks like an import (in a docstring) adds a module to the closure: harmless,
# a closure too large only invalidates more; none too small is possible.
_FROM_IMPORT = re.compile(rb"^[ \t]*from[ \t]+(generator(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
_IMPORT = re.compile(rb"^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)", re.M)


def _import_closure(module: str, package: Path) -> dict[str, bytes]:
    """Source of `module` and of every generator module it imports, transitively, by name."""
    found: dict[str, bytes] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        if name in found or not name.startswith("generator"):
            continue
        parts = name.split(".")[1:]
        file = package.joinpath(*parts).with_suffix(".py")
        if not file.is_file():
            file = package.joinpath(*parts, "__init__.py")
        if not file.is_file():
            continue
        source = found[name] = file.read_bytes()
        for match in _FROM_IMPORT.finditer(source):
            origin = match.group(1).decode()
            todo.append(origin)
            names = match.group(2).strip(b"()\\ \t\n").split(b"#")[0]
            todo.extend(f"{origin}.{item.split()[0].decode()}" for item in names.replace(b"\n", b" ").split(b",")
                        if item.split())
        for match in _IMPORT.finditer(source):
            todo.extend(item.strip().decode() for item in match.group(1).split(b","))
    return found


@functools.lru_cache(maxsize=1)
def code_version_of_libraries() -> str:
    return "\n".join(f"{name}={library_version(name)}" for name in LIBRARIES)


def library_version(project: str) -> str:
    """The installed version of a distribution, "-" if none is found."""
    return _installed_versions().get(_normal(project), "-")


@functools.lru_cache(maxsize=1)
def _installed_versions() -> dict[str, str]:
    """Distribution versions, read from the names of their *.dist-info folders (one listdir per
    sys.path entry: importlib.metadata takes ~0.2 s for the same answer)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")) and "-" in name:
                project, _, version = name.rsplit(".", 1)[0].partition("-")
                found.setdefault(_normal(project), version)
    return found


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


# ---- blobs -----------------------------------------------------------------------------------
def read_blob(path: Path, env: str):
    """The value stored at `path` for environment `env`, or None if it is absent or unusable."""
    try:
        with open(path, "rb") as stream:
            if stream.readline() != MAGIC:
                return None
            header = json.loads(stream.readline())
            payload = stream.read()
        if (header.get("format") != FORMAT or header.get("env") != env
                or header.get("length") != len(payload)
                or header.get("sha256") != hashlib.sha256(payload).hexdigest()):
            return None
        return _unpickle(payload)
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the damage
        return None


def _unpickle(payload: bytes):
    """pickle.loads without the cycle collector: unpickling ~10,000 documents makes objects
    fast enough to trigger it again and again, for no garbage (10-25 % of the load time at
    10,000 articles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    finally:
        if enabled:
            gc.enable()


def write_blob(path: Path, env: str, value, detach_texts: bool = False) -> None:
    """Store `value` atomically: a reader sees the old blob or the new one, never half of one.
    `detach_texts` for values whose Vietnamese texts stay in memory (documents: _DetachedPickler);
    the others are pickled by the C pickler alone (a manifest's ~25,000 entries: 3x faster)."""
    buffer = io.BytesIO()
    pickler = _DetachedPickler if detach_texts else pickle.Pickler
    pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    payload = buffer.getbuffer()         # not a copy: a 100,000-page manifest pickles to ~45 MB
    header = {"format": FORMAT, "env": env, "length": len(payload),
              "sha256": hashlib.sha256(payload).hexdigest()}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(MAGIC)
            stream.write(json.dumps(header).encode() + b"\n")
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _DetachedPickler(pickle.Pickler):
    """Pickles without leaving a UTF-8 copy on the texts of documents.

    Lazy texts (stored_text.StoredText) are written as references into their pack.

    CPython's pickler asks each str for its UTF-8 form, and a str that is not ASCII keeps that
    form for as long as it lives: saving the document cache made every Vietnamese text of every
    document (bodies above all) take ~1.7x its memory for the rest of the build. A slots
    dataclass (documents, headings, diagnostics) is written as the default pickler writes it
    (copyreg.__newobj__ and its __getstate__ list, read back by its __setstate__), but with
    fresh copies of its texts, which die with their UTF-8 forms once written."""

    def reducer_override(self, obj):
        cls = type(obj)
        if cls is StoredText:                # a body in its pack (stored_text.py): where it lies
            return obj.reference()
        if "__slots__" in cls.__dict__ and hasattr(cls, "__dataclass_fields__") and hasattr(cls, "__setstate__"):
            state = cls._raw_state(obj) if hasattr(cls, "_raw_state") else obj.__getstate__()
            return copyreg.__newobj__, (cls,), [_fresh(value) for value in state]
        return NotImplemented


def _fresh(value):
    """The same value, with a new str for each non-ASCII text (alone or in a tuple)."""
    if type(value) is str:
        return value if value.isascii() else value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    if type(value) is tuple and value and type(value[0]) is str:
        return tuple(_fresh(item) for item in value)
    return value


def release_free_memory() -> None:
    """Give the C allocator's free pages back to the system (glibc's malloc_trim; elsewhere
    nothing). After a cold build's documents are swapped for their stored copies, the freed
    bodies (~10 KB each) lie in holes between objects that live on, too small for the texts
    allocated next: without this the build kept ~90 MB more of a 10,000-article build's peak."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


# ---- parsed documents ------------------------------------------------------------------------
@functools.lru_cache(maxsize=1 << 18)
def _shard(path: str) -> int:
    """A source keeps its shard while its content changes, so an edit dirties one shard.
    Remembered: `serve` asks for every source's shard at every build."""
    return int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % SHARDS


class DocumentCache:
    """Reader results `(document | None, diagnostics)` by (kind, path, sha256) of the source.

    `get` and `put` record which entries this build used; `save` keeps only those, so entries of
    deleted or edited files do not pile up, and rewrites only the shards that changed.
    """

    def __init__(self, folder: Path | None, env: str):
        self.folder = folder
        self.env = env
        self._shards: list[dict | None] = [None] * SHARDS   # loaded on first use
        self._used: list[set] = [set() for _ in range(SHARDS)]
        self._dirty: set[int] = set()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(source) -> tuple[str, str, str]:
        return (source.kind, source.path, source.digest)

    def get(self, source):
        number = _shard(source.path)
        entries = self._entries(number)
        key = self.key(source)
        found = entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used[number].add(key)
        return found

    def put(self, source, result) -> None:
        number = _shard(source.path)
        key = self.key(source)
        self._entries(number)[key] = result
        self._used[number].add(key)
        self._dirty.add(number)

    def begin_build(self) -> None:
        """Forget which entries were used: the next build records its own."""
        self._used = [set() for _ in range(SHARDS)]
        self.hits = self.misses = 0

    def stored(self, source):
        """What the cache holds for `source` now (after `save`, with its body in a pack), without
        counting a use."""
        return self._entries(_shard(source.path)).get(self.key(source))

    def save(self) -> None:
        """Write the shards this build changed, dropping entries it did not use. The bodies of a
        written shard go to a new pack (stored_text.py), and the shard's documents in memory are
        swapped for copies that read them from there."""
        if self.folder is None:
            return
        for number, entries in enumerate(self._shards):
            if entries is None:
                continue
            if len(self._used[number]) != len(entries):
                for key in [k for k in entries if k not in self._used[number]]:
                    del entries[key]
                self._dirty.add(number)
            if number in self._dirty:
                self._write_shard(number, entries)
        self._dirty.clear()

    def _write_shard(self, number: int, entries: dict) -> None:
        lazy = [(key, doc) for key, (doc, _) in entries.items() if hasattr(type(doc), "_lazy_texts")]
        texts = [getattr(doc, name) for _, doc in lazy for name in type(doc)._lazy_texts]
        stem = f"bodies-{number:02d}"
        if not any(texts):           # no shard's bodies worth a pack (none, or all empty)
            write_blob(self._path(number), self.env, {"pack": None, "entries": entries}, detach_texts=True)
            remove_other_packs(self.folder, stem, None)
            return
        path, places = write_pack(self.folder, stem, texts)
        pack = open_pack(path)
        if pack is None:             # removed at once by a build beside this one: the next build parses
            self._path(number).unlink(missing_ok=True)
            return
        places_iter = iter(places)
        for key, doc in lazy:
            stored = {name: StoredText(pack, *next(places_iter)) for name in type(doc)._lazy_texts}
            entries[key] = (stored_copy(doc, stored), entries[key][1])
        write_blob(self._path(number), self.env, {"pack": pack.name, "entries": entries}, detach_texts=True)
        remove_other_packs(self.folder, stem, pack.name)

    def _entries(self, number: int) -> dict:
        entries = self._shards[number]
        if entries is None:
            entries = self._shards[number] = self._load(number)
        return entries

    def _load(self, number: int) -> dict:
        """A shard as saved, its documents attached to their pack; {} if either is unusable."""
        loaded = read_blob(self._path(number), self.env) if self.folder else None
        if not (isinstance(loaded, dict) and isinstance(loaded.get("entries"), dict)):
            return {}
        entries = loaded["entries"]
        if loaded.get("pack") is None:
            return entries
        pack = open_pack(self.folder / loaded["pack"])
        if pack is None:
            return {}
        for doc, _ in entries.values():
            if hasattr(type(doc), "_lazy_texts"):
                attach(doc, pack)
        return entries

    def _path(self, number: int) -> Path:
        return self.folder / f"documents-{number:02d}.pickle"
