"""Rendering planned pages through Jinja, in a worker process or here (see parallel.py).

`render_range` renders the pages the output session chose (those whose record says they
changed), applies the HTML post-processing (responsive images), and writes each page whose bytes
differ from the published ones straight into the folder of the next generation (the opened
standby, or the staging folder of a first build), so page bytes never travel back to the parent. It returns, per page, (job index, sha256, written, what the page read: see
`PageReads`), or a Diagnostic per failure, and the fragments the session asked for by key
(`wanted`: what pages to be spliced need, see splice.py).
"""
from __future__ import annotations

import hashlib
import os
from typing import NamedTuple

import jinja2

from generator import parallel
from generator.folder_steps import write_new
from generator.diagnostics import Diagnostic
from generator.page_records import OPAQUE, Span
from generator.fragments import page_spans
from generator.recorded import Digests, begin_page, end_page
from generator.stored_text import DamagedCache
from generator.templates import render_error

_SETS: dict[frozenset, frozenset] = {}     # one object per read set: sent once per chunk, not per page


class PageReads(NamedTuple):
    """What a rendered page read of the globals and of its view data, and its fragments' spans
    (page_records.py)."""

    reads: frozenset
    own_reads: frozenset
    own_digest: str | None
    spans: tuple[Span, ...] | None
    own_names: tuple            # the names of its view data it read outside its fragments


def render_range(start: int, stop: int) -> list:
    """Render pages todo[start:stop]; runs in a worker (or here). Writes changed bytes to the folder."""
    work = parallel.shared()
    env, jobs, folder, postprocess = work["env"], work["jobs"], work["folder"], work["postprocess"]
    wanted, digests = work.get("wanted") or set(), work["digests"]
    root = os.path.join(folder, "") if folder is not None else None
    results: list = []
    for index in work["todo"][start:stop]:
        job = jobs[index]
        try:
            data, reads, found = _render(env, job, postprocess, digests, wanted)
        except DamagedCache:
            raise                     # not the template's fault: the build starts again (pipeline.py)
        except jinja2.TemplateNotFound as exc:
            results.append(Diagnostic(job.template, None, "error", f"template '{exc.name}' not found in the theme"))
            continue
        except Exception as exc:  # noqa: BLE001 - any template failure becomes a diagnostic
            results.append(render_error(exc, job.template, job.url, work["site_dir"]))
            continue
        sha = hashlib.sha256(data).hexdigest()
        path = job.output_path
        wrote = folder is not None and sha != work["published"].get(path)
        if wrote:
            write_new(root, path, data)
        results.append((index, sha, wrote, reads, found))
    return results


def _render(env: jinja2.Environment, job, postprocess, digests: Digests, wanted: set) -> tuple:
    """The page's finished bytes, what it read, and the wanted fragments it rendered."""
    html = job.output_path.endswith(".html")
    page = begin_page(marks=html)
    try:
        marked = env.get_template(job.template).render(job.context)
    finally:
        end_page()
    data, placed = page_spans(marked, page, postprocess if html else None)
    if data is None:                  # the page's own text holds a mark: render it unmarked
        page = begin_page(marks=False)
        try:
            text = env.get_template(job.template).render(job.context)
        finally:
            end_page()
        data = (postprocess(text) if postprocess is not None and html else text).encode("utf-8", "surrogatepass")
    env_globals = env.globals
    spans, found = [], {}
    view = job.context
    for start, end, (fragment, bound) in placed or ():
        local_key = fragment.local_key(digests)
        digest = digests.globals(fragment.globals_read, env_globals)
        if local_key is None or digest is None:
            spans = None
            break
        # inputs that are the page's own view data (the very dict or list): worked out again
        # from new view data when only they changed (page_pass.py). An input named like an entry
        # of the view data but not that very dict or list (a scalar, a variable of the template
        # of the same name) cannot be told apart: such a span is OPAQUE, and a page holding one
        # is rendered when its view data changes. The others are the template's own variables.
        from_view = {name for name, value in bound.items() if view.get(name) is value}
        inputs = None
        if any(name in view and name not in from_view for name in fragment.names()):
            inputs = OPAQUE
        elif from_view:
            inputs = (fragment.template, tuple((name, key, value, name in from_view)
                                               for name, key, value in fragment.parts(digests)))
        spans.append(Span(start, end, local_key, fragment.globals_read, digest, inputs))
        if (local_key, digest) in wanted:
            found[(local_key, digest)] = fragment.after(postprocess)
    own = _SETS.setdefault(frozenset(page.own_globals), frozenset(page.own_globals))
    every = _SETS.setdefault(frozenset(page.globals_read), frozenset(page.globals_read))
    reads = PageReads(every, own, digests.globals(own, env_globals),
                      tuple(spans) if spans is not None and placed is not None else None,
                      tuple(sorted(name for name in page.own_names if name in view)))
    return data, reads, found
