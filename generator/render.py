"""Rendering planned pages through Jinja into output files."""
from __future__ import annotations

from pathlib import Path

import jinja2

from generator.diagnostics import Diagnostic
from generator.output import OutputFile
from generator.routes import RenderJob
from generator.templates import render_error


def render_jobs(env: jinja2.Environment, jobs: list[RenderJob], site_dir: Path) -> tuple[list[OutputFile], list[Diagnostic]]:
    files: list[OutputFile] = []
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for job in jobs:
        path = job.output_path
        if path in seen:
            problems.append(Diagnostic("site.yaml", None, "error",
                                       f"two pages would be written to {path} ({seen[path]} and {job.url})"))
            continue
        seen[path] = job.url
        try:
            html = env.get_template(job.template).render(job.context)
        except jinja2.TemplateNotFound as exc:
            problems.append(Diagnostic(job.template, None, "error", f"template '{exc.name}' not found in the theme"))
            continue
        except Exception as exc:  # noqa: BLE001 - any template failure becomes a diagnostic
            problems.append(render_error(exc, job.template, job.url, site_dir))
            continue
        files.append(OutputFile(path, html.encode("utf-8")))
    return files, problems
