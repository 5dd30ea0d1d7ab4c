"""Rendering planned pages through Jinja, in a worker process or here (see parallel.py).

`render_range` renders the pages the output session chose (those whose fingerprint changed),
applies the HTML post-processing (responsive images), and writes each page whose bytes differ
from the published ones straight into the staging folder, so page bytes never travel back to
the parent. It returns (job index, sha256, written) per page, or a Diagnostic per failure.
"""
from __future__ import annotations

import hashlib
import os

import jinja2

from generator import parallel
from generator.diagnostics import Diagnostic
from generator.stored_text import DamagedCache
from generator.templates import render_error


def render_range(start: int, stop: int) -> list:
    """Render pages todo[start:stop]; runs in a worker (or here). Writes changed bytes to the folder."""
    work = parallel.shared()
    env, jobs, folder, postprocess = work["env"], work["jobs"], work["folder"], work["postprocess"]
    made_dirs: set[str] = set()
    results: list = []
    for index in work["todo"][start:stop]:
        job = jobs[index]
        try:
            html = env.get_template(job.template).render(job.context)
            if postprocess is not None and job.output_path.endswith(".html"):
                html = postprocess(html)
        except DamagedCache:
            raise                     # not the template's fault: the build starts again (pipeline.py)
        except jinja2.TemplateNotFound as exc:
            results.append(Diagnostic(job.template, None, "error", f"template '{exc.name}' not found in the theme"))
            continue
        except Exception as exc:  # noqa: BLE001 - any template failure becomes a diagnostic
            results.append(render_error(exc, job.template, job.url, work["site_dir"]))
            continue
        data = html.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        path = job.output_path
        wrote = folder is not None and sha != work["published"].get(path)
        if wrote:
            parent = os.path.dirname(path)
            if parent not in made_dirs:
                os.makedirs(os.path.join(folder, parent), exist_ok=True)
                made_dirs.add(parent)
            with open(os.path.join(folder, path), "wb") as stream:
                stream.write(data)
        results.append((index, sha, wrote))
    return results
