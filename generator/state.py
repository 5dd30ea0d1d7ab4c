"""What builds remember: the document cache, the last manifest of each output folder, the
stamp of the inputs that lets a build with nothing changed stop after a few thousand `stat`s,
and the stat and sha256 of each source, so that a build reads only the sources that changed.

A command-line build loads a fresh `BuildState` from `<site>/.cache/build/` and saves it; `serve`
keeps one in memory across rebuilds, so an edit costs no cache loading at all.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache import (DocumentCache, cache_folder, environment_key, module_closure_version, read_blob,
                             write_blob)
from generator.output import Manifest
from generator.publication import Stale

# A file modified this close to the start of a build may change again within the same mtime tick
# unseen; such a build does not record its inputs stamp, so the next one checks contents.
RACY_SECONDS = 2
KEEP_MANIFESTS = 8
STAMPS_FORMAT = 1            # of the stamp index (see BuildState.load_source)
QUIET_BEFORE_FINISH = 2.0    # serve: seconds without a new build before a deferred step starts
BACKGROUND_NICE = 10         # and its priority (inherited by Pagefind), so edits stay quick


@dataclass
class BuildState:
    site_dir: Path
    documents: DocumentCache | None = None
    manifests: dict[str, Manifest] = field(default_factory=dict)   # output folder -> manifest
    last_diagnostics: dict[str, list] = field(default_factory=dict)  # output folder -> warnings
    persist: bool = True
    inputs_digest: str = ""          # this build's sources, config, date and options (see pipeline)
    sources: dict = field(default_factory=dict)   # serve: rel path -> ((size, mtime, inode), SourceFile)
    started_ns: int = 0
    defer_finish: bool = False       # serve: publish pages first, rebuild the search index after
    generation: int = 0              # builds started with this state (see finish_later)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    background: threading.Thread | None = None
    keep_sources: bool = True        # remember read sources for the next build (a one-shot build does not)
    model_memo: tuple | None = None  # serve: (edits.model_key, the model without extras, article digests)
    templates_warm: bool = False     # serve: every template compiled in this process (templates.warm_compiled)
    _queued_manifests: dict = field(default_factory=dict, repr=False)   # serve: written by a thread (remember)
    _queue_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    stamps: dict | None = None       # the stamp index as loaded (see load_source); None: not loaded yet
    next_stamps: dict = field(default_factory=dict)   # what this build vouches for, saved by prune_sources
    stamps_saved: bool = False
    # serve: the last build's sources and whether they, plus the paths the watcher reported since,
    # are known to match the disk (see discover and verify); and each output folder's manifest
    # last found undamaged (see verify), whose build may skip checking the folder.
    last_sources: list | None = None
    sources_trusted: bool = False
    only_sources_touched: bool = False   # the last discover: every reported path under content/ a known source
    outside: list | None = None          # serve: the last answer of sources.outside_links
    clean_outputs: dict = field(default_factory=dict)   # output folder -> Manifest
    touched: set[str] = field(default_factory=set)   # serve: paths the watcher saw change (note_changes)
    # This build's stat of every input file, by path, made by inputs_stamp moments before
    # discover: load_source takes a source's stat from here instead of asking again.
    walked: dict | None = None
    _touched_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def finish_later(self, output: Path, steps, inputs_key: str | None, wait: bool = False) -> list:
        """Run the finish steps a build deferred (the search index) and publish what they make.

        By default on a thread of its own, so the next edit's build never waits for it: the
        steps run in a private folder, and their products are published only if no build has
        published since (`generation`, under `lock`, which `pipeline.build_site` holds).
        Returns the problems when `wait`, else [] at once.
        """
        from generator.incremental import prepare_later

        generation = self.generation

        def work() -> list:
            if not wait:
                _yield_to_builds()
                time.sleep(QUIET_BEFORE_FINISH)    # another save soon makes this work stale anyway
                if self.generation != generation:
                    return []
            manifest = self.manifests.get(str(output))
            if manifest is None:
                return []
            session, problems = prepare_later(output, manifest, steps)
            if session is None:
                return problems
            with self.lock:
                if self.generation != generation or self.manifests.get(str(output)) is not manifest:
                    session.discard()          # a newer build published: this index is stale
                    return problems
                try:
                    session.publish()
                except Stale:                  # another process published into the folder
                    session.discard()
                    return problems
                try:
                    updated = session.manifest(inputs_key)
                    updated.summary = dict(manifest.summary)
                    self.remember(output, updated, self.last_diagnostics.get(str(output), []))
                finally:
                    session.close()
            return problems

        if wait:
            return work()
        self.background = threading.Thread(target=work, name="deferred finish steps", daemon=True)
        self.background.start()
        return []

    def load_source(self, kind: str, file: str, rel: str):
        """sources.discover's `load`: a SourceFile whose digest is known without reading the file
        when its stat is the one recorded last time and old enough to trust, else the file read
        and hashed now.

        A stat is trusted only if the file's mtime was more than RACY_SECONDS before the build
        that hashed it began (a later write within the same mtime tick could keep size, mtime
        and inode), and is still that old now. `serve` keeps the stamps in memory; every build
        also keeps them on disk, in the stamp index (STAMPS_FILE: rel path -> (kind, stamp,
        sha256)), so a one-shot build reads only the files that changed. A trusted SourceFile
        reads its bytes when a reader needs them (document-cache misses) and checks them
        against the digest (sources.SourceFile.data).
        """
        from generator.sources import SourceFile

        stamp = self.walked.get(file) if self.walked else None
        if stamp is None:
            status = os.stat(file)
            stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
        settled = stamp[1] < self.settled_before_ns()
        known = self.sources.get(rel)
        if settled and known is not None and known[0] == stamp and known[1].kind == kind:
            self.next_stamps[rel] = (kind, stamp, known[1].digest)
            return known[1]
        entry = self._stamp_index().get(rel)
        if (settled and type(entry) is tuple and len(entry) == 3 and entry[0] == kind and entry[1] == stamp
                and type(entry[2]) is str):
            source = SourceFile(kind, rel, None, entry[2], file)
            self.next_stamps[rel] = entry
            if self.keep_sources:
                self.sources[rel] = (stamp, source)
            return source
        with open(file, "rb") as stream:
            data = stream.read()
        digest = hashlib.sha256(data).hexdigest()
        if settled and len(data) == stamp[0]:
            self.next_stamps[rel] = (kind, stamp, digest)
            if self.keep_sources:      # without the bytes: they are read again only on a cache miss
                self.sources[rel] = (stamp, SourceFile(kind, rel, None, digest, file))
        else:
            self.next_stamps.pop(rel, None)
            self.sources.pop(rel, None)
        return SourceFile(kind, rel, data, digest, file)

    def settled_before_ns(self) -> int:
        """A file modified before this time (ns) is old enough for its stat to be trusted."""
        return self.started_ns - RACY_SECONDS * 1_000_000_000

    def note_changes(self, paths: set[str]) -> None:
        """serve's watcher: these site-relative paths changed (a build follows)."""
        with self._touched_lock:
            self.touched |= paths

    def discover(self, site_dir: Path) -> list:
        """The site's sources (sources.discover). When `serve`'s watcher has reported what changed
        since the last build (note_changes) and that only modifies known sources, just those are
        stat-ed and read (sources.rediscover), not every file of every folder."""
        from generator.sources import discover, rediscover

        with self._touched_lock:
            touched, self.touched = self.touched, set()
        found = None
        self.only_sources_touched = False
        if touched and self.sources_trusted and self.last_sources is not None:
            self.next_stamps = dict(self.stamps or {})     # the untouched sources keep theirs
            found = rediscover(self.last_sources, touched, site_dir, self.load_source)
            known = {source.path for source in self.last_sources}
            self.only_sources_touched = found is not None and all(
                path in known for path in touched if path.startswith("content/"))
        if found is None:
            self.next_stamps = {}
            found = discover(site_dir, self.load_source)
        self.last_sources = found if self.keep_sources else None
        self.sources_trusted = self.keep_sources
        return found

    def outside_links(self, site_dir: Path) -> list:
        """sources.outside_links, walked again unless the last discover saw only known sources
        change (serve): a link can appear only where the watcher reported a path."""
        from generator.sources import outside_links

        if self.outside is None or not self.only_sources_touched:
            found = outside_links(site_dir)
            self.outside = found if self.keep_sources else None
            return found
        return list(self.outside)

    def verify(self, site_dir: Path, output: Path, interrupted=lambda: False) -> bool | None:
        """serve, after a build has published and the tabs reloaded: check, by a full scan, what
        the next build would otherwise take on trust, that the watcher missed no change of a
        source and that no published file was changed by hand. False when either happened; the
        next build then scans and checks everything again (and mends what it finds). None when
        `interrupted()` (another build is asked for) came first: what the last completed check
        found stays trusted, plus what the watcher and the builds since vouch for."""
        from generator.sources import discover, outside_links

        manifest = self.manifests.get(str(output))
        try:
            matched = self.last_sources is not None and self._sources_match(site_dir, discover, interrupted)
            intact = manifest is not None and output.is_dir() and not self._damaged(manifest, output, interrupted)
        except _Interrupted:
            return None
        self.outside = outside_links(site_dir)          # also what the next build reports
        self.sources_trusted = matched
        if intact:
            self.clean_outputs[str(output)] = manifest
        else:
            self.clean_outputs.pop(str(output), None)
        return matched and intact

    @staticmethod
    def _damaged(manifest: Manifest, output: Path, interrupted, batch: int = 2048) -> bool:
        paths = list(manifest.entries)
        for start in range(0, len(paths), batch):
            if interrupted():
                raise _Interrupted
            if manifest.damaged(output, paths[start:start + batch]):
                return True
        return False

    def _sources_match(self, site_dir: Path, discover, interrupted) -> bool:
        last = {source.path: source for source in self.last_sources}

        def same(kind: str, file: str, rel: str):
            if interrupted():
                raise _Interrupted
            known, status = last.get(rel), os.stat(file)
            stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
            held = self.sources.get(rel)
            if known is None or known.kind != kind:
                raise _Mismatch
            if held is None or held[0] != stamp or held[1].digest != known.digest:   # compare bytes
                with open(file, "rb") as stream:
                    if hashlib.sha256(stream.read()).hexdigest() != known.digest:
                        raise _Mismatch
            return known

        try:
            return len(discover(site_dir, same)) == len(last)
        except (_Mismatch, OSError):
            return False

    def prune_sources(self, paths: set[str]) -> None:
        """After discover: forget files that are gone (a long `serve` session would otherwise keep
        them all), and save the stamp index for the next build."""
        for path in [p for p in self.sources if p not in paths]:
            del self.sources[path]
        stamps, self.next_stamps = self.next_stamps, {}
        # `serve` saves it once per session: its memory serves later builds, and an index left
        # behind with older stamps only costs the next one-shot build a few reads, never a wrong one.
        if self.persist and stamps != self.stamps and not (self.keep_sources and self.stamps_saved):
            write_blob(self._stamps_path(), _stamps_env(), stamps)
            self.stamps_saved = True
        self.stamps = stamps

    def _stamp_index(self) -> dict:
        if self.stamps is None:
            stored = read_blob(self._stamps_path(), _stamps_env()) if self.persist else None
            self.stamps = stored if isinstance(stored, dict) else {}    # missing or unusable: rebuilt
        return self.stamps

    def _stamps_path(self) -> Path:
        from generator.sources import STAMPS_FILE

        return cache_folder(self.site_dir) / STAMPS_FILE

    def document_cache(self, base_path: str, timezone: str) -> DocumentCache:
        env = environment_key("documents", base_path, timezone, code=module_closure_version("generator.reading"))
        if self.documents is None or self.documents.env != env:
            self.documents = DocumentCache(cache_folder(self.site_dir) if self.persist else None, env)
        self.documents.begin_build()
        return self.documents

    def manifest(self, output: Path) -> Manifest | None:
        key = str(output)
        if key not in self.manifests and self.persist:
            stored = read_blob(self._manifest_path(output), environment_key("manifest"))
            if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], Manifest):
                self.manifests[key], self.last_diagnostics[key] = stored
        return self.manifests.get(key)

    def trusts(self, output: Path, manifest: Manifest | None) -> bool:
        """Whether `output` holds what `manifest` says without checking it (see verify)."""
        return manifest is not None and self.clean_outputs.get(str(output)) is manifest

    def remember(self, output: Path, manifest: Manifest, diagnostics: list) -> None:
        """The manifest of what a build (or a deferred step) published. If the folder was trusted
        before, it still is: the publish changed only files it recorded in `manifest`."""
        if self.trusts(output, self.manifests.get(str(output))):
            self.clean_outputs[str(output)] = manifest
        self.manifests[str(output)] = manifest
        self.last_diagnostics[str(output)] = diagnostics
        if not self.persist:
            return
        if not self.defer_finish:
            self._write_manifest(output, manifest, diagnostics)
            return
        # serve: the next edit's build reads the manifest kept in memory, so writing it (~0.2 s at
        # 10,000 articles) need not hold up the reload. One thread at a time writes the newest
        # manifest of each folder; it is not a daemon, so leaving serve waits for the last write.
        with self._queue_lock:
            self._queued_manifests[str(output)] = (output, manifest, diagnostics)
        threading.Thread(target=self._flush_when_quiet, args=(self.generation,), name="manifest writer").start()

    def _flush_when_quiet(self, generation: int) -> None:
        """Pickling a manifest holds the GIL (~1 s at 100,000 articles): write it once no build has
        started for QUIET_BEFORE_FINISH seconds, so the next edit's build never waits for it.
        If one has, its own writer writes the newer manifest (and `flush` whatever is left)."""
        time.sleep(QUIET_BEFORE_FINISH)
        if self.generation == generation:
            self._flush_manifests()

    def _flush_manifests(self) -> None:
        with self._write_lock:
            while True:
                with self._queue_lock:
                    if not self._queued_manifests:
                        return
                    _, (output, manifest, diagnostics) = self._queued_manifests.popitem()
                self._write_manifest(output, manifest, diagnostics)

    def _write_manifest(self, output: Path, manifest: Manifest, diagnostics: list) -> None:
        write_blob(self._manifest_path(output), environment_key("manifest"), (manifest, diagnostics))
        _prune_manifests(cache_folder(self.site_dir))

    def forget(self, output: Path) -> None:
        """After a failed publish the folder's state is unknown: the next build writes it whole."""
        self.manifests.pop(str(output), None)
        if self.persist:
            with self._queue_lock:
                self._queued_manifests.pop(str(output), None)
            with self._write_lock:
                self._manifest_path(output).unlink(missing_ok=True)

    def flush(self) -> None:
        """Wait until the manifests queued by `remember` are written."""
        self._flush_manifests()

    def save_documents(self) -> None:
        if self.documents is not None and self.persist:
            self.documents.save()

    def _manifest_path(self, output: Path) -> Path:
        name = hashlib.sha256(str(output).encode()).hexdigest()[:16]
        return cache_folder(self.site_dir) / f"manifest-{name}.pickle"


class _Mismatch(Exception):
    """A source on disk is not the one the last build read (BuildState.verify)."""


class _Interrupted(Exception):
    """A build is asked for while BuildState.verify scans: the scan gives way."""


def forget_documents(site_dir: Path, state: BuildState | None) -> None:
    """Drop the document cache, on disk and in `state`: the next build parses every source."""
    if state is not None:
        state.documents = None
        state.model_memo = None
    folder = cache_folder(site_dir.resolve())
    for path in [*folder.glob("documents-*.pickle"), *folder.glob("bodies-*.bin")]:
        path.unlink(missing_ok=True)


def _stamps_env() -> str:
    """Stamps and sha256 digests do not depend on the generator's code: an upgrade keeps them."""
    return environment_key("source stamps", code=f"stamps {STAMPS_FORMAT}")


def _prune_manifests(folder: Path) -> None:
    """Keep the manifests of the few most recently built output folders (serve uses temporary ones)."""
    found = sorted(folder.glob("manifest-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in found[KEEP_MANIFESTS:]:
        stale.unlink(missing_ok=True)


def now_ns() -> int:
    return time.time_ns()


def _yield_to_builds() -> None:
    """Lower this thread's CPU priority (Linux: per thread; processes it starts inherit it)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):
        pass
