"""Pages are made, fingerprinted and rendered a batch at a time (page_pass.render_plan):
the output is the same whatever the batch size, and view data is made batch by batch."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SITES, build
from generator import incremental, page_pass, pipeline
from generator.views import Views


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def one_batch(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site") / "discovery"
    shutil.copytree(SITES / "discovery", site)
    out = tmp_path_factory.mktemp("one") / "output"
    assert build(site, out).ok
    return out


@pytest.mark.parametrize("jobs", [1, 2])
def test_small_batches_write_what_one_batch_writes(one_batch, copy_site, tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(page_pass, "RENDER_BATCH", 7)
    site = copy_site("discovery")
    out = tmp_path / "out"
    report = build(site, out, jobs=jobs)
    assert report.ok and report.pages > 3 * 7
    assert tree(out) == tree(one_batch)
    # and a second build finds every page unchanged, batch after batch
    (site / "content" / "pages").touch()
    again = build(site, out, jobs=jobs)
    assert again.ok and again.unchanged == again.pages == report.pages


def test_view_data_is_made_batch_by_batch(copy_site, tmp_path, monkeypatch):
    monkeypatch.setattr(page_pass, "RENDER_BATCH", 5)
    events: list[str] = []
    article, listing = Views.article, Views.listing
    render = incremental.OutputSession.render_pages
    monkeypatch.setattr(Views, "article", lambda self, *a: (events.append("view"), article(self, *a))[1])
    monkeypatch.setattr(Views, "listing", lambda self, *a: (events.append("view"), listing(self, *a))[1])
    monkeypatch.setattr(incremental.OutputSession, "render_pages",
                        lambda self, env, batch, *a: (events.append(f"render {len(batch.jobs)}"),
                                                      render(self, env, batch, *a))[1])
    assert build(copy_site("discovery"), tmp_path / "out").ok
    renders = [i for i, e in enumerate(events) if e.startswith("render")]
    assert len(renders) > 2
    assert all(int(events[i].split()[1]) <= 5 for i in renders)
    # only the first batch's view data is made before the first pages are rendered
    assert events[:renders[0]].count("view") <= 5 < events.count("view")


def test_a_path_written_twice_is_found_across_batches(copy_site, tmp_path, monkeypatch):
    from generator import routes
    monkeypatch.setattr(page_pass, "RENDER_BATCH", 3)
    real_plan = routes.plan_pages
    planned = {}

    def plan_with_a_clash(views, extra):
        jobs = real_plan(views, [*extra, routes.not_found_jobs])     # the not-found page, planned twice
        planned["at"] = [i for i, job in enumerate(jobs) if job.url == "/404.html"]
        return jobs
    monkeypatch.setattr(pipeline, "plan_pages", plan_with_a_clash)
    report = build(copy_site("discovery"), tmp_path / "out")
    first, second = planned["at"]
    assert first // 3 != second // 3, "the two are in different batches"
    assert not report.ok
    assert any("two pages would be written to 404.html" in d.message for d in report.diagnostics)
