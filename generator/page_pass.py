"""One batch of pages against the last build's records: each is kept, spliced or rendered.

- kept: its page key and every global entry it read are the same (page_records.py);
- spliced: what changed (globals, view data) was read only inside some of its fragments, and this
  build rendered those fragments anew for another page (splice.py); a fragment no rendered page
  needs is rendered by one page that needs it, and the others are spliced;
- rendered: anything else, or a published file that is not the one recorded.

The outcome is the same bytes as rendering every page; `tests/test_incremental_random.py`
compares the two after random edits.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import jinja2
from jinja2.utils import missing

from generator import parallel
from generator.diagnostics import Diagnostic, Diagnostics
from generator.fingerprint import Fingerprinter, digest_text
from generator.fragments import local_key
from generator.model_reads import ModelReads
from generator.page_records import OPAQUE, PageRecord
from generator.recorded import NOT_A_DICT
from generator.render import render_range
from generator.render_job import RenderJob
from generator.sitemap import page_lastmod
from generator.splice import needs, splice_range


# Pages whose view data is made, fingerprinted and rendered together. Each batch holds its view
# data (~13 KB a page) and forks the render workers anew, which then render the shared fragments
# (cards, sidebar) again: at 100,000 articles batches of 5,000 cost ~75 s more than one batch.
RENDER_BATCH = 10000


def render_plan(session, env: jinja2.Environment, jobs: list[RenderJob], views_reads: ModelReads,
                fingerprinter: Fingerprinter, site_dir: Path, postprocess, workers: int, advance,
                diags: Diagnostics) -> list[str | None]:
    """Make the view data, fingerprint and render the pages RENDER_BATCH at a time, so only one
    batch's view data is held (what the sitemap needs of it, each page's lastmod, is kept).

    A page whose view data was made from model reads (model_reads.py) that answer as they did
    for its published version keeps its page key and lastmod from its record: its view data is
    made only if it must be rendered. Returns the lastmods, in plan order."""
    lastmods: list[str | None] = []
    for start in range(0, len(jobs), RENDER_BATCH):
        batch = jobs[start:start + RENDER_BATCH]
        same = same_views(session, batch, views_reads)
        page_keys, batch_lastmods, views = [], [], []
        for index, job in enumerate(batch):
            record = same.get(job.output_path)
            if record is None:
                batch[index] = job = job.made()
                views.append(fingerprinter.view(job.context))
                page_keys.append(fingerprinter.key(job.url, job.template, views[-1]))
                batch_lastmods.append(page_lastmod(job.context))
            else:
                views.append(None)
                page_keys.append(record.page_key)
                batch_lastmods.append(record.lastmod)
        gc.freeze()       # the batch's view data: spared by the cycle collector, not copied by forked workers
        diags.extend(session.render_pages(env, Batch(batch, page_keys, batch_lastmods, views, fingerprinter),
                                          site_dir, postprocess, workers, advance))
        lastmods.extend(batch_lastmods)
    return lastmods


def same_views(session, jobs, reads: ModelReads) -> dict[str, PageRecord]:
    """The records of the published pages among `jobs` whose view data would be made from model
    reads answering as they did (model_reads.py): their view data need not be made."""
    if session.records is None or session.previous is None:
        return {}
    session.records.prefetch([job.output_path for job in jobs])
    same = {}
    for job in jobs:
        call = job.view_call
        if call is None:
            continue
        record = session.record(job.output_path)
        if (record is not None and record.view is not None and record.view.call == call
                and reads.digest(call, record.view.queries) == record.view.digest):
            same[job.output_path] = record
    return same


@dataclass(frozen=True)
class Batch:
    """A batch of planned pages (render_plan): the jobs, some with their view data not made yet,
    each page's key, sitemap date and digests of its view data's entries (None when not made),
    and the build's fingerprinter."""

    jobs: list
    page_keys: list
    lastmods: list
    views: list
    fingerprinter: Fingerprinter

    def own_key(self, index: int, names) -> str | None:
        """The page's own key (page_records.PageRecord.own_key) from its view data now: the
        entries it read outside fragments, and which entries there are (a name a fragment found
        missing stays missing)."""
        job, view = self.jobs[index], self.views[index]
        if names is None or view is None:
            return None
        return self.fingerprinter.key(job.url, job.template, {**view, "": ",".join(view)}, ("", *names))


def render_pages(session, env: jinja2.Environment, batch: Batch, site_dir: Path,
                 postprocess: Callable[[str], str] | None, workers: int,
                 progress: Callable[[int], None] | None = None) -> list[Diagnostic]:
    """Keep, splice or render each page of the batch into the session's staging folder; returns
    the render problems (see OutputSession.render_pages). Jobs whose view data is not made get
    it here if they are rendered."""
    problems: list[Diagnostic] = []
    digests, env_globals, jobs, page_keys = session.digests, env.globals, batch.jobs, batch.page_keys

    def values(paths: frozenset) -> str | None:
        return digests.globals(paths, env_globals)

    todo: list[int] = []
    splicing: list[tuple[int, PageRecord, set, list | None]] = []
    kept = 0
    if session.records is not None and session.previous is not None:
        session.records.prefetch([job.output_path for job in jobs])
    for index, job in enumerate(jobs):
        path = job.output_path
        if not session.claim(path, job.url, problems):
            continue
        key = page_keys[index]
        record = session.record(path, key)
        if record is not None:
            digest = values(record.reads)
            entry = session.kept(path, None if digest is None else digest_text(key, digest))
            if entry is not None:
                session.keep(path, entry)
                kept += 1
                if job.reads is not None and (job.reads != record.view or batch.lastmods[index] != record.lastmod):
                    # view data made anew, to the same page: its record now names these reads
                    session.new_records[path] = replace(session.records.with_spans(path), view=job.reads,
                                                        lastmod=batch.lastmods[index])
                continue
            if values(record.own_reads) == record.own_digest:
                same_view = record.page_key == key
                own_same = record.own_key is not None and record.own_key == batch.own_key(index, record.own_names)
                if same_view or own_same:
                    record = session.records.with_spans(path)
                    relocal = None if same_view else rekeyed(record.spans, job.context, digests)
                    wanted = None if relocal is None and not same_view else needs(
                        record, {span.reads: values(span.reads) for span in record.spans or ()}, relocal)
                    if wanted is not None:
                        splicing.append((index, record, wanted, relocal))
                        continue
        todo.append(index)
    if progress and kept:
        progress(kept)
    fragments: dict[tuple[str, str], bytes] = {}
    wanted = set().union(*(item[2] for item in splicing))
    _render(session, env, batch, todo, wanted, fragments, site_dir, postprocess, workers, progress, problems)
    missing = wanted - fragments.keys()
    if missing:                       # fragments no rendered page made: one page per fragment makes it
        first: dict[tuple[str, str], int] = {}
        for index, _, needed, _ in splicing:
            for key in needed & missing:
                first.setdefault(key, index)
        chosen = set(first.values())
        _render(session, env, batch, sorted(chosen), missing, fragments, site_dir, postprocess, workers, progress,
                problems)
        splicing = [item for item in splicing if item[0] not in chosen]
    ready = [item for item in splicing if item[2] <= fragments.keys()]
    unready = [item[0] for item in splicing if not item[2] <= fragments.keys()]
    failed = _splice(session, batch, ready, fragments, values, workers, progress)
    _render(session, env, batch, sorted(unready + failed), set(), fragments, site_dir, postprocess, workers,
            progress if unready else None, problems)
    return problems


def rekeyed(spans, view: dict, digests) -> list[tuple[str, tuple | None]] | None:
    """Each span's local key and inputs with the inputs taken from the page's view data worked
    out again from `view` (the others are the page template's own variables, the same since
    what the page read outside its fragments is); None when a value cannot be serialised."""
    found = []
    for span in spans or ():
        if span.inputs is None:
            found.append((span.local_key, None))
            continue
        if span.inputs == OPAQUE:
            return None
        template, parts = span.inputs
        new = []
        for name, key, digest, from_view in parts:
            if from_view:
                value = view.get(name, missing)
                if key is not None:
                    value = value.get(key, missing) if type(value) is dict else NOT_A_DICT
                digest = None if value is NOT_A_DICT else digests.value(value)
                if digest is None:
                    return None
            new.append((name, key, digest, from_view))
        found.append((local_key(template, [part[:3] for part in new]), (template, tuple(new))))
    return found


def _render(session, env, batch: Batch, todo: list[int], wanted: set, fragments: dict, site_dir: Path,
            postprocess, workers: int, progress, problems: list[Diagnostic]) -> None:
    if not todo:
        return
    jobs = batch.jobs
    for index in todo:           # before the workers fork: they render from it
        if not isinstance(jobs[index].context, dict):
            jobs[index] = jobs[index].made()
            batch.views[index] = batch.fingerprinter.view(jobs[index].context)
    shared = {"env": env, "jobs": jobs, "todo": todo, "site_dir": site_dir, "postprocess": postprocess,
              "folder": session.pages_folder(), "wanted": wanted,
              "digests": session.digests,
              "published": {jobs[i].output_path: session.published_sha(jobs[i].output_path) for i in todo}}
    for outcome in parallel.run_chunks(render_range, len(todo), workers, shared, progress):
        if isinstance(outcome, Diagnostic):
            problems.append(outcome)
            continue
        index, sha, wrote, reads, found = outcome
        fragments.update(found)
        key, job = batch.page_keys[index], jobs[index]
        digest = session.digests.globals(reads.reads, env.globals)
        fingerprint = None if key is None or digest is None else digest_text(key, digest)
        own = batch.own_key(index, reads.own_names)
        record = (None if fingerprint is None or reads.own_digest is None
                  else PageRecord(key, reads.reads, reads.own_reads, reads.own_digest, sha, reads.spans,
                                  job.reads, batch.lastmods[index], reads.own_names if own else None, own))
        session.rendered += 1
        session.page_made(job.output_path, fingerprint, sha, wrote, record)


def _splice(session, batch: Batch, ready: list, fragments: dict, values, workers: int, progress) -> list[int]:
    """Splice the ready pages; returns the indexes of those whose published file was not as recorded."""
    if not ready:
        return []
    jobs = batch.jobs
    records = {index: record for index, record, _, _ in ready}
    readsets = {span.reads for record in records.values() for span in record.spans}
    shared = {"jobs": jobs, "todo": sorted(records), "records": records, "fragments": fragments,
              "digests": {reads: values(reads) for reads in readsets},
              "rekeyed": {index: relocal for index, _, _, relocal in ready if relocal is not None},
              "source": str(session.target), "folder": session.pages_folder()}
    failed = []
    for outcome in parallel.run_chunks(splice_range, len(records), workers, shared, progress):
        index = outcome[0]
        if outcome[1] is None:
            failed.append(index)
            continue
        _, sha, wrote, spans = outcome
        job, key = jobs[index], batch.page_keys[index]
        record = replace(records[index], page_key=key, sha256=sha, spans=spans,
                         view=job.reads or records[index].view, lastmod=batch.lastmods[index])
        session.spliced += 1
        session.page_made(job.output_path, digest_text(key, values(record.reads)), sha, wrote, record)
    return failed
