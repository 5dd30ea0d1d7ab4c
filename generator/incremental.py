"""Writing only what changed: pages by fingerprint, files by content, copies by size and mtime.

One `OutputSession` per build. It compares what this build produces with the manifest of the last
successful build into the same folder, renders and stages only the pages whose fingerprint
changed, runs a feature's `finish` step only when that step's inputs changed, and publishes (see
output.py). Anything it cannot vouch for (no manifest, another output folder, a file edited by
hand, a value that has no fingerprint) is simply produced again: a wrong "unchanged" is the one
mistake it must never make.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, NamedTuple

import jinja2

from generator.diagnostics import Diagnostic
from generator.fingerprint import digest_text, file_stamp, value_digest
from generator.output import Entry, Manifest, OutputFile
from generator.publication import Publication, Published
from generator import page_pass
from generator.page_records import PageRecord, PageRecords
from generator.recorded import Digests


class FinishStep(NamedTuple):
    """Work on the staged output before it is published (the search index), run only when `key`
    (a digest of its inputs; None: always) differs from the last build's."""

    name: str
    key: str | None
    run: Callable[[Path], list[Diagnostic]]
    reads: tuple[str, ...] | None = None     # output path prefixes it reads (None: everything)
    writes: str = ""                         # the output path prefix it writes under ("": anywhere)


class OutputSession:
    """What one build writes, against what the previous build published."""

    def __init__(self, target: Path | None, previous: Manifest | None, checked: bool = False, hold: bool = True,
                 records: PageRecords | None = None):
        """`checked`: the folder was found to hold what `previous` says since it was published
        (serve's BuildState.verify), so it is not checked again. A session on a folder holds
        its lock until `close` (with `hold`; else from `publish` on: see publication.py)."""
        self.target = target
        self.publication = Publication(target, hold) if target is not None else None
        usable = (previous is not None and target is not None and previous.output == str(target)
                  and previous.generation is not None and previous.generation == self.publication.published())
        self.previous = previous if usable else None
        self.damaged = self.previous.damaged(target) if self.previous and not checked else set()
        self.staging = self.publication.staging if target is not None else None
        self.published: Published | None = None
        self.entries: dict[str, Entry] = {}              # kept as published
        self.pending: dict[str, tuple] = {}              # staged: path -> (fingerprint, sha256, origin)
        self.finish_keys: dict[str, str] = {}
        self.pages = self.unchanged = self.rendered = self.spliced = 0
        self.records = records if target is not None else None     # of the pages last published
        self.new_records: dict[str, PageRecord] = {}
        self.digests = Digests()                         # of the values pages read, this build
        self.in_standby: set[str] = set()                # pages written straight into the standby
        self._pages_folder: str | None = None
        self.changed: list[str] = []                     # paths written or deleted by publishing
        self.deferred: list[tuple] = []                  # finish steps left for later (serve)
        self._by_origin: dict[str, list[str]] | None = None   # the previous finish products, by origin
        self._seen: dict[str, str] = {}                  # output path -> URL of the pages rendered so far

    # ---- deciding ------------------------------------------------------------------------
    def kept(self, path: str, fingerprint: str | None) -> Entry | None:
        """The published entry of `path` if it was made from the same fingerprint and is intact."""
        if self.previous is None or fingerprint is None or path in self.damaged:
            return None
        entry = self.previous.entries.get(path)
        return entry if entry is not None and entry.fingerprint == fingerprint else None

    def published_sha(self, path: str) -> str | None:
        if self.previous is None or path in self.damaged:
            return None
        entry = self.previous.entries.get(path)
        return entry.sha256 if entry else None

    # ---- carried over (edits.py: only article bodies changed) ----------------------------
    def carry_over(self, kept: dict[str, Entry]) -> None:
        """Keep these published pages and files as they are, without planning them."""
        self.entries.update(kept)
        carried = sum(1 for entry in kept.values() if entry.origin == "page")
        self.pages += carried
        self.unchanged += carried

    def drop_carried(self, paths) -> None:
        """Files this build makes again after all (feeds): staged anew, not carried."""
        for path in paths:
            entry = self.entries.pop(path, None)
            if entry is not None and entry.origin == "page":
                self.pages -= 1
                self.unchanged -= 1

    # ---- pages ---------------------------------------------------------------------------
    def render_pages(self, env: jinja2.Environment, batch: page_pass.Batch, site_dir: Path,
                     postprocess: Callable[[str], str] | None, workers: int,
                     progress: Callable[[int], None] | None = None) -> list[Diagnostic]:
        """Keep, splice or render the batch's pages into the staging folder (all rendered, unwritten,
        when there is no output folder: `check`); see page_pass.py. Returns the render problems.
        Called once per batch of pages (page_pass.render_plan)."""
        return page_pass.render_pages(self, env, batch, site_dir, postprocess, workers, progress)

    def claim(self, path: str, url: str, problems: list[Diagnostic]) -> bool:
        """Count a planned page; False (and an error) when another page was planned at its path."""
        if path in self._seen:
            problems.append(Diagnostic("site.yaml", None, "error",
                                       f"two pages would be written to {path} ({self._seen[path]} and {url})"))
            return False
        self._seen[path] = url
        self.pages += 1
        return True

    def record(self, path: str, page_key: str | None = "") -> PageRecord | None:
        """The last build's record of the published page at `path`, if it is the file published
        (none for a page without a page key)."""
        if self.records is None or page_key is None or self.previous is None:
            return None
        record = self.records.get(path)
        return record if record is not None and record.sha256 == self.published_sha(path) else None

    def keep(self, path: str, entry: Entry) -> None:
        self.entries[path] = entry
        self.unchanged += 1

    def pages_folder(self) -> str | None:
        """Where pages are written: into the standby when the build changes a published folder
        (publication.open_standby: no staging, no move), else into the staging folder; None
        when there is no output folder (`check`)."""
        if self.staging is None:
            return None
        if self._pages_folder is None:
            opened = self.publication.open_standby(self.previous) if self.previous is not None else None
            self._pages_folder = str(opened or self.staging.folder)
        return self._pages_folder

    def page_made(self, path: str, fingerprint: str | None, sha: str, wrote: bool, record: PageRecord | None) -> None:
        """A page rendered or spliced: pending if its bytes differ from the published ones."""
        if record is not None:
            self.new_records[path] = record
        if wrote:
            if self._pages_folder == str(self.staging.folder):
                self.staging.staged.add(path)
            else:
                self.in_standby.add(path)
            self.pending[path] = (fingerprint, sha, "page")
        elif self.staging is not None:   # same bytes as published: keep the file, note the new fingerprint
            old = self.previous.entries[path]
            self.entries[path] = Entry(fingerprint, sha, old.size, old.mtime_ns, "page")

    def save_records(self) -> None:
        """Record the pages of this build for the next one (after publishing)."""
        if self.records is not None:
            self.records.save(self.new_records, {p for p, e in self.entries.items() if e.origin == "page"})

    # ---- other files ---------------------------------------------------------------------
    def stage_files(self, files: list[OutputFile]) -> None:
        """Feeds, sitemap, indexes: written when their bytes differ from the published ones."""
        for file in files:
            if file.path in self.entries or file.path in self.pending:
                raise ValueError(f"two pages write {file.path}")
            sha = hashlib.sha256(file.data).hexdigest()
            entry = self.kept(file.path, sha)
            if entry is not None:
                self.entries[file.path] = entry
            else:
                self.staging.write(file.path, file.data)
                self.pending[file.path] = (sha, sha, "file")

    def stage_copies(self, copies: list[tuple[Path, str]]) -> None:
        """Static files, media and image variants; a later copy to the same path wins."""
        chosen: dict[str, Path] = {}
        for source, rel in copies:
            chosen[rel] = source
        for rel, source in chosen.items():
            stamp = file_stamp(source)
            fingerprint = None if stamp is None else digest_text("copy", str(source), str(stamp))
            self.entries.pop(rel, None)
            if self.pending.pop(rel, None) is not None:      # a page or file of the same path: the copy wins
                self.staging.unstage(rel)
                self.in_standby.discard(rel)
            entry = self.kept(rel, fingerprint)
            if entry is not None:
                self.entries[rel] = entry
            else:
                self.staging.copy_file(source, rel)
                self.pending[rel] = (fingerprint, None, "copy")

    # ---- finish steps and publishing -----------------------------------------------------
    def finish_and_publish(self, steps: list[tuple], defer: bool = False) -> list[Diagnostic]:
        """Run the finish steps whose inputs changed, then publish; nothing is published on error.

        `steps` holds (feature name, digest of its inputs or None, run(folder) -> diagnostics,
        the output path prefixes the step reads or None for all). Before a step runs, the staged
        folder is completed with hard links to the published files it reads.
        With `defer` (serve), a step that has intact products from an earlier build is not run:
        the pages are published now, the step waits in `self.deferred` (see `finish_later`).
        """
        produced = set(self.entries) | set(self.pending)
        to_run, keep = [], []
        for step in steps:
            name, key = step.name, step.key
            products = self._products(name)
            intact = all(p not in self.damaged for p in products)
            if self.previous is not None and key is not None and intact and self.previous.finish_keys.get(name) == key:
                keep.append(name)
            else:
                to_run.append(step)
            if key is not None:
                self.finish_keys[name] = key
        self.deferred = []
        if defer and self.previous is not None:
            for step in to_run:
                name = step.name
                products = self._products(name)
                if products and all(p not in self.damaged for p in products):
                    keep.append(name)
                    self.deferred.append(step)
                    self.finish_keys.pop(name, None)      # stale until the step has run
                    if name in self.previous.finish_keys:
                        self.finish_keys[name] = self.previous.finish_keys[name]
            to_run = [step for step in to_run if step not in self.deferred]
        for name in keep:
            for path in self._products(name):
                if path not in produced:
                    self.entries[path] = self.previous.entries[path]
        problems: list[Diagnostic] = []
        self._run_steps(to_run, problems)
        if any(p.severity == "error" for p in problems):
            self.discard()
            return problems
        self.publish()
        return problems

    def _run_steps(self, to_run: list[tuple], problems: list[Diagnostic]) -> None:
        """Run finish steps in the staged folder; what they write becomes pending products."""
        if to_run and self.previous is not None:      # complete what the steps read with hard links
            reads = _union_reads(to_run)
            self.staging.mirror(sorted(p for p in self.entries if p not in self.pending
                                       and (reads is None or p.startswith(reads))))
            self.staging.mirror(sorted(p for p in self.in_standby if reads is None or p.startswith(reads)),
                                self.publication.standby)
        for step in to_run:
            before = _snapshot(self.staging.folder, step.writes)
            problems.extend(step.run(self.staging.folder))
            for path, stamp in _snapshot(self.staging.folder, step.writes).items():
                if before.get(path) != stamp and path not in self.pending:
                    self._product(path, step.name)
            if any(p.severity == "error" for p in problems):
                return

    def publish(self) -> None:
        """Put the staged files in place and delete those no longer produced (see output.py)."""
        deleted = set(self.previous.entries) - set(self.entries) - set(self.pending) if self.previous else set()
        self.changed = sorted(set(self.pending) | deleted)
        stats = self._stat_pending()
        if self.previous is None:             # a first or full build: the staged tree is complete
            self.published = self.publication.publish_whole()
        else:
            self.published = self.publication.publish_changes(set(self.pending), set(self.entries), deleted,
                                                              self.previous, frozenset(self.in_standby))
        self._record(stats)

    def _product(self, path: str, name: str) -> None:
        """A file a finish step wrote: published only if its bytes differ from the published one."""
        with open(self.staging.folder / path, "rb") as stream:
            sha = hashlib.sha256(stream.read()).hexdigest()
        origin = f"finish:{name}"
        old = self.previous.entries.get(path) if self.previous else None
        if old is not None and old.origin == origin and old.sha256 == sha and path not in self.damaged:
            self.entries[path] = old
        else:
            self.entries.pop(path, None)
            self.pending[path] = (sha, sha, origin)

    def discard(self) -> None:
        if self.publication is not None:
            self.publication.discard()
            self.publication.release()

    def close(self) -> None:
        """Let other builds publish into the folder (the manifest of this one is recorded)."""
        if self.publication is not None:
            self.publication.release()

    def manifest(self, inputs_key: str | None) -> Manifest:
        published = self.published
        return Manifest(str(self.target), dict(self.entries), dict(self.finish_keys), inputs_key,
                        generation=published.generation if published else None,
                        standby=published.standby if published else None,
                        differs=published.differs if published else frozenset())

    def _products(self, name: str) -> list[str]:
        if self.previous is None:
            return []
        if self._by_origin is None:        # one pass over the manifest, not one per finish step
            self._by_origin = {}
            for path, entry in self.previous.entries.items():
                if entry.origin.startswith("finish:"):
                    self._by_origin.setdefault(entry.origin, []).append(path)
        return self._by_origin.get(f"finish:{name}", [])

    def _stat_pending(self) -> dict[str, os.stat_result]:
        """Stat the staged files before publishing: moving or swapping keeps size and mtime."""
        standby = self.publication.standby
        return {path: os.stat((standby if path in self.in_standby else self.staging.folder) / path)
                for path in self.pending}

    def _record(self, stats: dict[str, os.stat_result]) -> None:
        for path, (fingerprint, sha, origin) in self.pending.items():
            status = stats[path]
            self.entries[path] = Entry(fingerprint, sha, status.st_size, status.st_mtime_ns, origin)
        self.pending.clear()


def _union_reads(steps) -> tuple[str, ...] | None:
    """Output path prefixes any of the steps reads; None when one of them reads everything."""
    prefixes: list[str] = []
    for step in steps:
        if step.reads is None:
            return None
        prefixes.extend(step.reads)
    return tuple(prefixes)


def _snapshot(folder: Path, under: str = "") -> dict[str, tuple[int, int, int]]:
    """Every file under `folder` (and its sub-folder `under`): relative path -> (size, mtime, inode)."""
    found = {}
    root = str(folder)
    cut = len(root) + 1
    start = os.path.join(root, under) if under else root
    if not os.path.isdir(start):
        return found
    stack = [start]
    while stack:
        current = stack.pop()
        with os.scandir(current) as entries:
            for item in entries:
                if item.is_dir(follow_symlinks=False):
                    stack.append(item.path)
                else:
                    status = item.stat(follow_symlinks=False)
                    found[item.path[cut:].replace(os.sep, "/")] = (status.st_size, status.st_mtime_ns, status.st_ino)
    return found


def finish_key(feature, inputs_digest: str, entries_digest: str, model, ctx) -> str | None:
    """Digest of what a finish step reads: its own `finish_inputs` if it declares them, else the
    whole build's inputs and every file of the output (a safe over-approximation)."""
    declared = getattr(feature, "finish_inputs", None)
    if declared is not None:
        value = value_digest(declared(model, ctx))
        return None if value is None else digest_text(feature.name, "declared", value)
    return digest_text(feature.name, inputs_digest, entries_digest)


def entries_digest(session: OutputSession, under: tuple[str, ...] | None = None) -> str:
    """The output as it will be after this build, minus finish products: path -> fingerprint
    (only paths starting with one of `under`, when given)."""
    h = hashlib.sha256()
    prefix = "" if under is None else under
    rows = [(p, e.fingerprint or e.sha256 or "") for p, e in session.entries.items()
            if p.startswith(prefix) and not e.origin.startswith("finish:")]
    rows += [(p, v[0] or v[1] or "") for p, v in session.pending.items()
             if p.startswith(prefix) and not v[2].startswith("finish:")]
    for path, fingerprint in sorted(rows):
        h.update(f"{path}\0{fingerprint}\n".encode())
    return h.hexdigest()


def prepare_later(output: Path, manifest: Manifest, steps) -> tuple[OutputSession | None, list[Diagnostic]]:
    """Run finish steps a build deferred, against the folder it published, in a private folder;
    the caller publishes the session (or discards it). None if the folder changed meanwhile or a
    step failed: the next build sees to it."""
    session = OutputSession(output, manifest, hold=False)
    if session.previous is None or session.damaged:
        session.discard()
        return None, []
    names = {f"finish:{step.name}" for step in steps}
    session.entries = {p: e for p, e in manifest.entries.items() if e.origin not in names}
    session.finish_keys = dict(manifest.finish_keys)
    for step in steps:
        if step.key is not None:
            session.finish_keys[step.name] = step.key
    problems: list[Diagnostic] = []
    session._run_steps(list(steps), problems)
    if any(p.severity == "error" for p in problems):
        session.discard()
        return None, problems
    return session, problems
