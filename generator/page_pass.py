"""One batch of pages against the last build's records: each is kept, spliced or rendered.

- kept: its page key and every global entry it read are the same (page_records.py);
- spliced: only the globals read by some of its fragments changed, and this build rendered those
  fragments anew for another page (splice.py); a fragment no rendered page needs is rendered by
  one page that needs it, and the others are spliced;
- rendered: anything else, or a published file that is not the one recorded.

The outcome is the same bytes as rendering every page; `tests/test_incremental_random.py`
compares the two after random edits.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import jinja2

from generator import parallel
from generator.diagnostics import Diagnostic
from generator.fingerprint import digest_text
from generator.page_records import PageRecord
from generator.render import render_range
from generator.splice import needs, splice_range


def render_pages(session, env: jinja2.Environment, jobs, page_keys, lastmods, site_dir: Path,
                 postprocess: Callable[[str], str] | None, workers: int,
                 progress: Callable[[int], None] | None = None) -> list[Diagnostic]:
    """Keep, splice or render each page of the batch into the session's staging folder; returns
    the render problems (see OutputSession.render_pages). `jobs` whose view data is not made
    (pipeline.render_in_batches) get it here if they are rendered."""
    problems: list[Diagnostic] = []
    digests, env_globals = session.digests, env.globals

    def values(paths: frozenset) -> str | None:
        return digests.globals(paths, env_globals)

    todo: list[int] = []
    splicing: list[tuple[int, PageRecord, set]] = []
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
                if job.reads is not None and (job.reads != record.view or lastmods[index] != record.lastmod):
                    # view data made anew, to the same page: its record now names these reads
                    session.new_records[path] = replace(session.records.with_spans(path), view=job.reads,
                                                        lastmod=lastmods[index])
                continue
            if record.page_key == key and values(record.own_reads) == record.own_digest:
                record = session.records.with_spans(path)
                wanted = needs(record, {span.reads: values(span.reads) for span in record.spans or ()})
                if wanted is not None:
                    splicing.append((index, record, wanted))
                    continue
        todo.append(index)
    if progress and kept:
        progress(kept)
    fragments: dict[tuple[str, str], bytes] = {}
    wanted = set().union(*(item[2] for item in splicing))
    _render(session, env, jobs, page_keys, lastmods, todo, wanted, fragments, site_dir, postprocess, workers, progress,
            problems)
    missing = wanted - fragments.keys()
    if missing:                       # fragments no rendered page made: one page per fragment makes it
        first: dict[tuple[str, str], int] = {}
        for index, _, needed in splicing:
            for key in needed & missing:
                first.setdefault(key, index)
        chosen = set(first.values())
        _render(session, env, jobs, page_keys, lastmods, sorted(chosen), missing, fragments, site_dir, postprocess,
                workers, progress, problems)
        splicing = [item for item in splicing if item[0] not in chosen]
    ready = [item for item in splicing if item[2] <= fragments.keys()]
    unready = [item[0] for item in splicing if not item[2] <= fragments.keys()]
    failed = _splice(session, jobs, page_keys, ready, fragments, values, workers, progress)
    _render(session, env, jobs, page_keys, lastmods, sorted(unready + failed), set(), fragments, site_dir,
            postprocess, workers, progress if unready else None, problems)
    return problems


def _render(session, env, jobs, page_keys, lastmods, todo: list[int], wanted: set, fragments: dict,
            site_dir: Path, postprocess, workers: int, progress, problems: list[Diagnostic]) -> None:
    if not todo:
        return
    for index in todo:           # before the workers fork: they render from it
        jobs[index] = jobs[index].made()
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
        key = page_keys[index]
        digest = session.digests.globals(reads.reads, env.globals)
        fingerprint = None if key is None or digest is None else digest_text(key, digest)
        record = (None if fingerprint is None or reads.own_digest is None
                  else PageRecord(key, reads.reads, reads.own_reads, reads.own_digest, sha, reads.spans,
                                  jobs[index].reads, lastmods[index]))
        session.rendered += 1
        session.page_made(jobs[index].output_path, fingerprint, sha, wrote, record)


def _splice(session, jobs, page_keys, ready: list, fragments: dict, values, workers: int, progress) -> list[int]:
    """Splice the ready pages; returns the indexes of those whose published file was not as recorded."""
    if not ready:
        return []
    records = {index: record for index, record, _ in ready}
    readsets = {span.reads for record in records.values() for span in record.spans}
    shared = {"jobs": jobs, "todo": sorted(records), "records": records, "fragments": fragments,
              "digests": {reads: values(reads) for reads in readsets},
              "source": str(session.target), "folder": session.pages_folder()}
    failed = []
    for outcome in parallel.run_chunks(splice_range, len(records), workers, shared, progress):
        index = outcome[0]
        if outcome[1] is None:
            failed.append(index)
            continue
        _, sha, wrote, spans = outcome
        old = records[index]
        record = replace(old, sha256=sha, spans=spans)
        session.spliced += 1
        session.page_made(jobs[index].output_path, digest_text(page_keys[index], values(old.reads)), sha, wrote,
                          record)
    return failed
