"""The record of each published page: what it was rendered from and where its fragments stand.

A page's record (made by render.py, kept in the build database `.cache/build.sqlite`) holds its
page key (URL, template, view data, templates and code: fingerprint.render_digest), the global
entries it read (recorded.py), the byte spans of its outermost fragments, each with the key of
its own inputs, the names of its view data it read outside fragments with their digest (its own
key), and the model reads its view data was made from (model_reads.py). The next build into the
same folder compares (page_pass.py):

- model reads answering as before: the view data is not made, the page key is the record's;
- page key and every global read the same: the page is kept as published;
- own key and the globals read outside fragments the same, only some fragments' inputs or
  globals changed: the page is spliced (splice.py), each changed span replaced by the fragment
  rendered anew elsewhere in this build;
- anything else: the page is rendered.

Every row carries a digest of itself; a row or a read set that does not match it is ignored
(the page is rendered), and a database SQLite cannot read is started again. A record is only
used with the file it describes: its sha256 is the published file's (manifest and file).
"""
from __future__ import annotations

import json
import os
import pickle
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from generator.fingerprint import digest_text
from generator.model_reads import ViewReads

DATABASE = "build.sqlite"
FEW = 500            # pages of a batch up to which only their rows are read
SCHEMA_VERSION = 3   # a database of another version is started again
_SCHEMA = """
CREATE TABLE IF NOT EXISTS readsets (id INTEGER PRIMARY KEY, paths TEXT UNIQUE NOT NULL, checked TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (output TEXT NOT NULL, path TEXT NOT NULL, page_key TEXT NOT NULL,
    reads INTEGER NOT NULL, own_reads INTEGER NOT NULL, own_digest TEXT NOT NULL, sha256 TEXT NOT NULL,
    spans BLOB, view TEXT, lastmod TEXT, own TEXT, checked TEXT NOT NULL, PRIMARY KEY (output, path));
"""


OPAQUE = ("opaque",)     # Span.inputs of a fragment that read view data it cannot be re-keyed from


@dataclass(frozen=True, slots=True)
class Span:
    """Where one outermost fragment stands in a page's bytes, and what it was made from."""

    start: int
    end: int
    local_key: str          # its template and non-global inputs (recorded.Fragment.local_key)
    reads: frozenset        # the global entries it read
    globals_digest: str     # their values then
    # When some of its inputs are the page's view data (not variables of the page's template):
    # (template, ((name, key, digest of the value, from the view data), ...)), so that its local
    # key can be worked out again from new view data (page_pass.py); OPAQUE when it read an entry
    # of the view data that it cannot be worked out again from.
    inputs: tuple | None = None


@dataclass(frozen=True, slots=True)
class PageRecord:
    page_key: str
    reads: frozenset        # every global entry the page read, its fragments' included
    own_reads: frozenset    # those read outside its outermost fragments
    own_digest: str         # their values then
    sha256: str             # of the page's published bytes
    spans: tuple[Span, ...] | None = None    # None: never spliced (see recorded.page_spans)
    view: ViewReads | None = None     # what its view data was made from (model_reads.py)
    lastmod: str | None = None        # its date in the sitemap (sitemap.page_lastmod of its view data)
    # The names of its view data it read outside its fragments, and their digest with its URL,
    # template and the render digest: the same, and its fragments may be spliced though its
    # view data changed (what changed was read only inside fragments).
    own_names: tuple | None = None
    own_key: str | None = None


class PageRecords:
    """The page records of one output folder in the build database of a site."""

    def __init__(self, cache: Path | None, output: str):
        self.path = cache / DATABASE if cache is not None else None
        self.output = output
        self._rows: dict[str, PageRecord] | None = None
        self._all = False                     # every row of the output is read
        self._asked: set[str] = set()         # else: the paths whose rows were asked for
        self._blobs: dict[str, bytes | None] = {}
        self._readsets: dict[int, frozenset] | None = None

    # ---- reading ---------------------------------------------------------------------------
    def prefetch(self, paths: list[str]) -> None:
        """Read the rows of `paths` now, in one query: all rows when they are many, only theirs
        when few (an edit of one article reads one row, not the site's)."""
        if self._rows is not None and (self._all or all(p in self._rows for p in paths)):
            return
        self._read(None if len(paths) > FEW else paths)

    def get(self, path: str) -> PageRecord | None:
        if self._rows is None or (not self._all and path not in self._asked):
            self._read([path])
        return self._rows.get(path)

    def with_spans(self, path: str) -> PageRecord | None:
        """The record with its spans (read from the row's blob on first use)."""
        record = self.get(path)
        if record is None or path not in self._blobs:
            return record
        blob = self._blobs.pop(path)
        spans = None
        if blob is not None:
            try:
                spans = tuple(Span(start, end, key, self._readsets[reads], digest, inputs)
                              for start, end, key, reads, digest, inputs in pickle.loads(blob))
            except Exception:  # noqa: BLE001 - checked by the row's digest; anything odd: not spliced
                spans = None
        record = replace(record, spans=spans)
        self._rows[path] = record
        return record

    def _read(self, paths: list[str] | None) -> None:
        """Read the rows of `paths` (None: every row of the output) into memory."""
        if self._rows is None:
            self._rows = {}
        if paths is None:
            self._all = True
        else:
            self._asked.update(paths)
        if self.path is None or not self.path.exists():
            return
        query = ("SELECT path, page_key, reads, own_reads, own_digest, sha256, spans, view, lastmod, own, checked "
                 "FROM pages WHERE output = ?")
        try:
            with self._database() as db:
                if self._readsets is None:
                    self._readsets = {}
                    for ident, text, checked in db.execute("SELECT id, paths, checked FROM readsets"):
                        if checked == digest_text("readset", text):
                            self._readsets[ident] = frozenset(tuple(p) for p in json.loads(text))
                if paths is None:
                    rows = db.execute(query, (self.output,)).fetchall()
                else:
                    rows = [row for start in range(0, len(paths), FEW) for row in db.execute(
                        query + f" AND path IN ({','.join('?' * len(paths[start:start + FEW]))})",
                        (self.output, *paths[start:start + FEW]))]
        except (sqlite3.DatabaseError, ValueError, TypeError):
            self._reset()
            return
        readsets = self._readsets
        for path, key, reads, own, own_digest, sha, blob, view, lastmod, names, checked in rows:
            if (checked != _row_digest(path, key, reads, own, own_digest, sha, blob, view, lastmod, names)
                    or reads not in readsets or own not in readsets):
                continue
            own_names, own_key = _own_from_text(names)
            self._rows[path] = PageRecord(key, readsets[reads], readsets[own], own_digest, sha, None,
                                          _view_from_text(view), lastmod, own_names, own_key)
            self._blobs[path] = blob

    # ---- writing ---------------------------------------------------------------------------
    def save(self, records: dict[str, PageRecord], pages: set[str]) -> None:
        """Record the pages this build rendered or spliced; forget those no longer published."""
        if self.path is None:
            return
        try:
            self._save(records, pages)
        except sqlite3.DatabaseError:
            self._reset()          # the records are lost: the next build renders the pages

    def _save(self, records: dict[str, PageRecord], pages: set[str]) -> None:
        os.makedirs(self.path.parent, exist_ok=True)
        with self._database() as db:
            ids: dict[frozenset, int] = {}

            def readset(paths: frozenset) -> int:
                if paths not in ids:
                    text = json.dumps(sorted(paths, key=lambda p: (p[0], "" if p[1] is None else "\0" + str(p[1]))),
                                      ensure_ascii=False)
                    db.execute("INSERT OR IGNORE INTO readsets (paths, checked) VALUES (?, ?)",
                               (text, digest_text("readset", text)))
                    ids[paths] = db.execute("SELECT id FROM readsets WHERE paths = ?", (text,)).fetchone()[0]
                return ids[paths]

            rows = []
            for path, record in records.items():
                reads, own = readset(record.reads), readset(record.own_reads)
                blob = None if record.spans is None else pickle.dumps(
                    [(s.start, s.end, s.local_key, readset(s.reads), s.globals_digest, s.inputs)
                     for s in record.spans])
                view = _view_text(record.view)
                names = None if record.own_key is None else json.dumps([record.own_names, record.own_key],
                                                                       ensure_ascii=False)
                rows.append((self.output, path, record.page_key, reads, own, record.own_digest, record.sha256, blob,
                             view, record.lastmod, names,
                             _row_digest(path, record.page_key, reads, own, record.own_digest, record.sha256, blob,
                                         view, record.lastmod, names)))
            db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            known = {path for (path,) in db.execute("SELECT path FROM pages WHERE output = ?", (self.output,))}
            db.executemany("DELETE FROM pages WHERE output = ? AND path = ?",
                           [(self.output, path) for path in known - pages])

    @contextmanager
    def _database(self):
        """One transaction: all of it is saved, or (killed, failed) none of it."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                db.executescript("DROP TABLE IF EXISTS pages; DROP TABLE IF EXISTS readsets;")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.executescript(_SCHEMA)
            with db:
                yield db
        finally:
            db.close()

    def _reset(self) -> None:
        """A database SQLite cannot read: start it again (only what it saves is lost)."""
        self._rows, self._blobs, self._all = {}, {}, True
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(str(self.path) + suffix)
            except OSError:
                pass


def _row_digest(path, key, reads, own, own_digest, sha, blob, view, lastmod, names) -> str:
    return digest_text("page", path, key, str(reads), str(own), own_digest, sha, blob or b"", view or "",
                       lastmod or "", names or "")[:32]


def _own_from_text(text: str | None) -> tuple[tuple | None, str | None]:
    try:
        names, key = json.loads(text) if text is not None else (None, None)
        return (tuple(names), key) if isinstance(key, str) else (None, None)
    except (ValueError, TypeError):
        return None, None


def _view_text(view: ViewReads | None) -> str | None:
    return None if view is None else json.dumps([view.call, view.queries, view.digest], ensure_ascii=False)


def _view_from_text(text: str | None) -> ViewReads | None:
    if text is None:
        return None
    try:
        call, queries, digest = json.loads(text)
        return ViewReads(tuple(call), tuple(tuple(q) for q in queries), digest)
    except (ValueError, TypeError):
        return None
