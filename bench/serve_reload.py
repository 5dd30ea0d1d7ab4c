#!/usr/bin/env python3
"""Time `serve` from saving an article to the rebuilt page on disk and the reload signalled.

    .venv/bin/python bench/serve_reload.py --site SITE [--edits 5] [--jobs 0]

Runs the dev server's own parts (devserver.Builder, ServeState and the watchfiles watcher, the
code path `python build.py serve` uses) without the HTTP server: appends a sentence to one
article, and measures until ServeState announces the new build (what makes the tabs reload),
checking that the edited page on disk holds the sentence. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--code", type=Path, default=ROOT, help="folder holding generator/ (bench/run.py's snapshot)")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    global devserver, BuildOptions
    from generator import devserver
    from generator.pipeline import BuildOptions

    site = args.site.resolve()
    articles = sorted((site / "content" / "articles").glob("*.md"))
    article = articles[len(articles) // 2]

    with tempfile.TemporaryDirectory(prefix="serve-bench-", ignore_cleanup_errors=True) as scratch:
        output = Path(scratch) / "output"
        state = devserver.ServeState(output)
        options = BuildOptions(output=output, jobs=args.jobs)
        builder = devserver.Builder(site, options, state, "http://127.0.0.1:8000", quiet=True)
        started = time.perf_counter()
        first = builder.build()
        first_seconds = time.perf_counter() - started
        if not first.ok:
            print(json.dumps({"error": [d.format() for d in first.diagnostics][:5]}))
            return 1
        stop = threading.Event()
        folders, _ = devserver.watch_paths(site, output)
        threads = [threading.Thread(target=builder.run, daemon=True),
                   threading.Thread(target=devserver.watch, args=(folders, True, lambda p: True, builder, stop),
                                    daemon=True)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)                      # let the watcher settle
        page = _page_of(output, article)
        original = article.read_bytes()
        times = []
        try:
            for number in range(args.edits):
                marker = f"Câu sửa thử số {number} lúc {time.time_ns()}."
                generation = state.generation
                t0 = time.perf_counter()
                with open(article, "ab") as stream:
                    stream.write(f"\n{marker}\n".encode())
                state.wait_after(generation, 600)
                elapsed = time.perf_counter() - t0
                if marker not in page.read_text(encoding="utf-8"):
                    print(json.dumps({"error": f"rebuilt page lacks the edit ({page})"}))
                    return 1
                times.append(elapsed)
                time.sleep(0.5)
        finally:
            article.write_bytes(original)
            stop.set()
            state.stop()
            threads[0].join()
            background = builder.build_state.background
            if background is not None:   # a deferred step (the search index) still running
                background.join()
    print(json.dumps({
        "first_build_s": round(first_seconds, 3),
        "reload_s": [round(t, 3) for t in times],
        "reload_median_s": round(statistics.median(times), 3),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "article": article.relative_to(site).as_posix(),
    }))
    return 0


def _page_of(output: Path, article: Path) -> Path:
    """The built page of an article: /<category>/<slug of the title or slug:>/."""
    import yaml

    from generator.vietnamese import slugify

    meta = yaml.safe_load(article.read_text(encoding="utf-8").split("---", 2)[1])
    page = output / meta["category"] / (meta.get("slug") or slugify(meta["title"])) / "index.html"
    if not page.is_file():
        raise SystemExit(f"no page for {article} at {page}")
    return page


if __name__ == "__main__":
    sys.exit(main())
