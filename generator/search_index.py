"""The search index in parts: one Pagefind bundle per year of articles (and per slice of the
honour rolls), each built once per distinct content and kept in the site's cache.

Why parts: Pagefind has no incremental mode and holds a whole index in memory (measured with
Pagefind 1.5 on the 10,000-article bench corpus: ~2.5 ms and ~0.33 MiB per record, 24 s and
3.2 GiB for one index). Split by year, an edit re-indexes one year (~850 records there) instead
of the site, the largest process stays small, and 100,000 articles fit in memory at all. The
search page loads the newest part with Pagefind's script and merges the others
(`mergeIndex`): merged parts share the first one's WebAssembly, so each costs the browser only
its metadata and the word chunks a query needs.

A part's bundle is keyed by what its records are made from (`part_key`: its members' URLs and
source files, and everything else a record reads), so a part whose inputs did not change is
linked from the cache, never indexed again, and its records are not even made. The honour
rolls' parts, whose records are read back from built pages, are keyed by their records
(`part_digest`). Bundles missing from the cache are indexed by Pagefind's own command, several
at once on several cores (its Python wrapper answers one request per 0.1 s and is slower end to
end), in scratch folders on a memory file system when the machine has one (scratch.py).

A bundle is installed into the output as hard links to the cached files (a copy made ~870 new
files per part, ~0.4 s on this disk). A cached bundle carries the sha256 of each of its files
(SUMS_FILE) and is checked against them each time it is installed, so a cached file changed
through its link in a published folder is noticed: the part is indexed again, never published
as it is.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import zlib
from pathlib import Path
from typing import Callable, TypeVar

from generator import urls
from generator.cache import library_version, module_closure_version
from generator.scratch import Scratch
from generator.search_records import Member, SearchRecord

BUNDLE_DIR = "pagefind"
PARTS_FILE = "parts.json"       # /pagefind/parts.json: the part folders, the first one primary
SUMS_FILE = "bundle-sha256.json"   # in a cached bundle: file -> sha256 (not installed)
MAX_RECORDS_PER_PART = 3000     # ~1 GiB in one Pagefind process; a larger group is split
CACHE_ENTRIES_KEPT = 24         # bundles kept beyond the ones this build uses (see prune)
# Pagefind's ready-made interfaces: the search page has its own (static/js/search.js).
UNUSED_FILES = frozenset({"pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
                          "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                          "pagefind-highlight.js"})
# Page parts that are not the page's own text: a safety net, records are built without them.
EXCLUDE = ["nav", "form", "select", "noscript", "script", ".breadcrumb", ".pagination", ".feed-links",
           ".visually-hidden"]


OS_ERROR = re.compile(r"\(os error (\d+)\)")


class SearchIndexError(Exception):
    """Pagefind failed on a part (the message says why); `errno` when the system refused it
    something (Pagefind's "(os error 28)": its disk is full)."""

    def __init__(self, message: str, errno: int | None = None):
        super().__init__(message)
        self.errno = errno


class PagefindMissing(SearchIndexError):
    """Pagefind is not installed, or its program cannot be run: it never started."""


class DamagedBundle(SearchIndexError):
    """A cached bundle's files are not the ones Pagefind wrote (see SUMS_FILE)."""


Item = TypeVar("Item", SearchRecord, Member)     # anything with a `url`


def split_group(name: str, records: list[Item], cap: int = MAX_RECORDS_PER_PART) -> dict[str, list[Item]]:
    """A group of records (or of members, whose records are not made yet) as parts of at most
    about `cap` each.

    Records go to a bucket by a hash of their URL, so adding or editing one record changes one
    part; the number of buckets changes only when the group crosses a multiple of `cap`. A member
    lands where its record would: one record per member, same URL."""
    count = math.ceil(len(records) / cap) if records else 0
    if count <= 1:
        return {name: records} if records else {}
    buckets: list[list[Item]] = [[] for _ in range(count)]
    for record in records:
        buckets[zlib.crc32(record.url.encode("utf-8")) % count].append(record)
    return {f"{name}-{i + 1}": bucket for i, bucket in enumerate(buckets) if bucket}


def part_digest(records: list[SearchRecord], language: str) -> str:
    """What a part's bundle depends on: its records, the language and Pagefind's version."""
    h = hashlib.sha256(f"pagefind {pagefind_version()} {language} {EXCLUDE}\n".encode())
    for record in sorted(records, key=lambda r: r.url):
        h.update(record.url.encode("utf-8") + b"\0" + record.html.encode("utf-8") + b"\0")
    return h.hexdigest()[:32]


def part_key(name: str, members: list[Member], sources: dict[str, str], language: str, names: dict[str, str],
             labels: dict[str, str], base_path: str, timezone: str) -> str:
    """The bundle key of a part of the model's members, known before their records are made: its
    head (part_head) and its members' rows (member_row)."""
    head = part_head(name, members, language, names, labels, base_path, timezone)
    text = "".join(sorted(member_row(m, sources) for m in members))
    return hashlib.sha256((head + text).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def part_head(name: str, members: list[Member], language: str, names: dict[str, str], labels: dict[str, str],
              base_path: str, timezone: str) -> str:
    """Everything a part's records and bundle are made from besides its members' documents.

    A record (search_records.member_record) is a pure function of its document, the category
    `names` (articles), the result `labels` (pages, campaigns) and the `language`; a document is
    a pure function of its source file's bytes (see member_row), its path, the `base_path` and
    `timezone` (what readers depend on: see reading.py) and the readers' code. So the head holds
    these, the code that turns them into records and bundles (the closures of this module and of
    the readers, with the libraries' and Python's versions), Pagefind's version and settings, and
    the part's name and group."""
    kinds = {m.kind for m in members}
    return repr(("search part from sources", 1, name, sorted({m.group for m in members}), language, base_path,
                 timezone, pagefind_version(), EXCLUDE, module_closure_version(__name__),
                 module_closure_version("generator.reading"),
                 # only what the part's kinds of record read, so a label edit leaves the years alone
                 sorted(names.items()) if "article" in kinds else None,
                 sorted((kind, labels[kind]) for kind in kinds - {"article"})))


def member_row(member: Member, sources: dict[str, str]) -> str:
    """What one member adds to its part's key: its URL, kind, source path and source digest."""
    return f"\0{member.url}\0{member.kind}\0{member.doc.path}\0{source_of(member, sources)}"


def source_of(member: Member, sources: dict[str, str]) -> str:
    """The digest of what the member's document was read from; for a document that did not come
    from a source file of this build (a test's, a tool's), a digest of the document itself."""
    found = sources.get(member.doc.path)
    if found is not None:
        return found
    return "document " + hashlib.sha256(repr(member.doc).encode("utf-8", "surrogatepass")).hexdigest()


_VERSION: list[str] = []


def pagefind_version() -> str:
    if not _VERSION:
        found = library_version("pagefind")
        _VERSION.append("missing" if found == "-" else found)
    return _VERSION[0]


class BundleCache:
    """Pagefind bundles under <site>/.cache/search/<digest>/, built on demand, several at once."""

    def __init__(self, folder: Path, language: str, workers: int):
        self.folder = folder
        self.language = language
        self.workers = max(1, workers)
        self._lock = threading.Lock()
        self._pruned = False
        self.scratch = Scratch(folder)      # where records are written and Pagefind runs
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None      # Pagefind runs
        self._writer: concurrent.futures.ThreadPoolExecutor | None = None    # record files, one part after another
        self._futures: dict[str, concurrent.futures.Future] = {}

    def path(self, digest: str) -> Path:
        return self.folder / digest

    def has(self, digest: str) -> bool:
        return (self.path(digest) / "pagefind-entry.json").is_file()

    def start(self, wanted: dict[str, list[SearchRecord] | Callable[[], list[SearchRecord]]]) -> None:
        """Begin indexing every wanted bundle (digest -> records, or what makes them, called on
        the writer's thread just before they are written) that the cache lacks."""
        with self._lock:
            for digest, records in wanted.items():
                if digest in self._futures or self.has(digest):
                    continue
                if self._pool is None:
                    self._pool = concurrent.futures.ThreadPoolExecutor(self.workers, thread_name_prefix="pagefind")
                    self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pagefind-records")
                written = self._writer.submit(self._make_and_write, digest, records)
                self._futures[digest] = self._pool.submit(self._index, digest, written)

    def bundle(self, digest: str, records: list[SearchRecord]) -> Path:
        """The folder of a part's bundle, indexing it now if it is neither cached nor under way."""
        if not records and not self.has(digest) and digest not in self._futures:
            raise SearchIndexError("an index part left the cache during the build (another build pruned "
                                   "it?); build again")
        self.start({digest: records})
        with self._lock:
            future = self._futures.get(digest)
        if future is not None:
            future.result()          # raises SearchIndexError when Pagefind failed
        os.utime(self.path(digest))  # recently used: kept by prune
        return self.path(digest)

    def install_part(self, digest: str, records: list[SearchRecord], folder: Path, part: str,
                     remake: Callable[[], list[SearchRecord]]) -> None:
        """Install a part's bundle into the staged output at /pagefind/<part>/, indexing it first
        if need be; a cached bundle found damaged is dropped and indexed again from `remake()`."""
        try:
            install(self.bundle(digest, records), folder, part)
        except DamagedBundle:
            self.discard(digest)
            install(self.bundle(digest, remake()), folder, part)

    def close(self, cancel: bool = False) -> None:
        """Stop the indexing threads; with `cancel`, bundles not started are dropped (a running
        Pagefind finishes its part into the cache, which a later build will use)."""
        for pool in (self._writer, self._pool):
            if pool is not None:
                pool.shutdown(wait=not cancel, cancel_futures=cancel)

    def touch(self, digests) -> None:
        for digest in digests:
            if self.has(digest):
                os.utime(self.path(digest))

    def prune(self, keep: set[str]) -> None:
        """Remove bundles neither in `keep` nor among the most recently used; once per cache.
        Pagefind's work folders (tmp-*) are left to the runs that use them."""
        if self._pruned or not self.folder.is_dir():
            return
        self._pruned = True
        entries = sorted((e for e in os.scandir(self.folder)
                          if e.is_dir() and e.name not in keep and not e.name.startswith("tmp-")),
                         key=lambda e: e.stat().st_mtime_ns, reverse=True)
        for entry in entries[CACHE_ENTRIES_KEPT:]:
            shutil.rmtree(entry.path, ignore_errors=True)

    def discard(self, digest: str) -> None:
        """Drop a cached bundle (found damaged): the next request indexes it again."""
        with self._lock:
            self._futures.pop(digest, None)
        shutil.rmtree(self.path(digest), ignore_errors=True)

    def _make_and_write(self, digest: str, records) -> tuple[Path, int]:
        return self._write_records(digest, records() if callable(records) else records)

    def _write_records(self, digest: str, records: list[SearchRecord]) -> tuple[Path, int]:
        """Write a part's records as files for Pagefind, then empty the list, so the build does not carry ~5 KB per record (nor do the
        page-rendering workers it forks) while Pagefind works through them.
        Returns the work folder and its scratch reservation. A memory file system that fills
        up meanwhile (another program's files) costs a second try on disk, not the part."""
        # UTF-8 Vietnamese is ~1.3 bytes a character; Pagefind's bundle adds about as much again
        size = 3 * sum(len(record.html) for record in records) + (1 << 20)
        work, reserved = self.scratch.folder(digest[:12], size)
        try:
            write_record_files(work / "site", records)
        except OSError:
            self.scratch.release(work, reserved)
            if not reserved:
                raise
            work, reserved = self.scratch.on_disk(digest[:12]), 0
            try:
                write_record_files(work / "site", records)
            except OSError:
                self.scratch.release(work, reserved)
                raise
        records.clear()
        return work, reserved

    def _index(self, digest: str, written: concurrent.futures.Future) -> None:
        """Run Pagefind on a part's written records, then keep the bundle; a run that fails in
        memory (out of room?) is tried once more on disk before the part is given up."""
        work, reserved = written.result()
        try:
            try:
                run_pagefind(work, self.language)
            except SearchIndexError:
                if not reserved:
                    raise
                disk = self.scratch.on_disk(digest[:12])
                shutil.copytree(work / "site", disk / "site")
                self.scratch.release(work, reserved)
                work, reserved = disk, 0
                run_pagefind(work, self.language)
            self._keep(work / "bundle", digest)
        finally:
            self.scratch.release(work, reserved)

    def _keep(self, bundle: Path, digest: str) -> None:
        """Put a bundle Pagefind wrote into the cache with the sha256 of its files. It appears
        in the cache only when complete (a rename), so an interrupted build leaves no half
        bundle; from a memory file system it is copied to a folder beside the cache's first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        local = same_device(bundle, self.folder)
        staged = bundle if local else self.folder / f"tmp-{digest}-{os.getpid()}-{threading.get_ident()}"
        sums: dict[str, str] = {}
        try:
            for rel in _files(bundle):
                data = (bundle / rel).read_bytes()
                sums[rel] = hashlib.sha256(data).hexdigest()
                if not local:
                    (staged / rel).parent.mkdir(parents=True, exist_ok=True)
                    (staged / rel).write_bytes(data)
            (staged / SUMS_FILE).write_text(json.dumps(sums, sort_keys=True), encoding="utf-8")
            try:
                os.replace(staged, self.path(digest))
            except OSError:          # another build put the same bundle there first
                if not self.has(digest):
                    raise
        finally:
            if not local:
                shutil.rmtree(staged, ignore_errors=True)


def write_record_files(site: Path, records: list[SearchRecord]) -> None:
    for record in records:
        target = site / urls.output_path(record.url)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(record.html, encoding="utf-8")


def run_pagefind(work: Path, language: str) -> None:
    """Pagefind's own command on work/site, writing work/bundle; SearchIndexError if it fails."""
    shutil.rmtree(work / "bundle", ignore_errors=True)
    # Pagefind reads its settings from pagefind.json in the folder it runs in: ours only.
    config = {"site": "site", "output_path": "bundle", "force_language": language, "exclude_selectors": EXCLUDE}
    try:
        (work / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
    except OSError as exc:
        raise SearchIndexError(f"cannot write Pagefind's settings: {exc}", exc.errno) from exc
    done = subprocess.run([sys.executable, "-m", "pagefind", "--silent"], cwd=work,
                          capture_output=True, text=True, errors="replace")
    if done.returncode != 0 or not (work / "bundle" / "pagefind-entry.json").is_file():
        said = done.stderr or done.stdout
        detail = said.strip().splitlines()
        message = detail[-1] if detail else f"Pagefind exited with status {done.returncode}"
        # Pagefind is one program that the `pagefind` package starts with os.execv: a Python error
        # means it never ran (not installed, no binary for this machine, not executable).
        if "No module named pagefind" in said or "Traceback (most recent call last)" in said:
            raise PagefindMissing(message)
        found = OS_ERROR.findall(said)        # Rust's io::Error: "No space left on device (os error 28)"
        raise SearchIndexError(message, int(found[-1]) if found else None)


def same_device(one: Path, other: Path) -> bool:
    return one.stat().st_dev == other.stat().st_dev


def _files(folder: Path) -> list[str]:
    """Every file under `folder`, as sorted relative POSIX paths."""
    found = []
    for directory, _subdirs, names in os.walk(folder):
        rel = Path(directory).relative_to(folder).as_posix()
        found.extend(name if rel == "." else f"{rel}/{name}" for name in names)
    return sorted(found)


def install(bundle: Path, folder: Path, part: str) -> None:
    """Put a cached part's bundle into the staged output, at /pagefind/<part>/: hard links to
    the cached files (a copy where links cannot be made), each checked against the bundle's
    sums first. Raises DamagedBundle when one does not match."""
    try:
        sums = json.loads((bundle / SUMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DamagedBundle(f"the cached index part {bundle.name} has no readable checksums") from exc
    target = folder / BUNDLE_DIR / part
    if target.exists():
        shutil.rmtree(target)
    for rel, sha in sums.items():
        if rel.rpartition("/")[2] in UNUSED_FILES:
            continue
        source, copy = bundle / rel, target / rel
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise DamagedBundle(f"the cached index part {bundle.name} lacks {rel}") from exc
        if hashlib.sha256(data).hexdigest() != sha:
            raise DamagedBundle(f"the cached index part {bundle.name} has a changed {rel}")
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, copy)
        except OSError:              # another file system, or one without hard links
            copy.write_bytes(data)


def write_parts_file(folder: Path, parts: list[str], hidden: dict[str, dict[str, str]] | None = None) -> None:
    """/pagefind/parts.json: what the search page loads, newest part first (the primary), and
    per part the records it must not show (fragment id -> URL: see search_fresh)."""
    target = folder / BUNDLE_DIR / PARTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    listing: dict[str, object] = {"parts": [f"{part}/" for part in parts]}
    if hidden:
        listing["hidden"] = {f"{part}/": ids for part, ids in sorted(hidden.items())}
    target.write_text(json.dumps(listing, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
