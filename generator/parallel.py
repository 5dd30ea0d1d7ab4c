"""Work spread over the cores: forked worker processes, fed in chunks.

The pool is forked after the parent has set up everything the work needs (sources, the Jinja
environment, the planned pages) in `_SHARED`, so workers inherit it copy-on-write and each task
is only a range of indexes. Results come back in task order, so the output never depends on
which worker finished first: `--jobs 1` and `--jobs 8` write the same bytes.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable

# Below this many items the pool costs more than it saves.
MIN_PARALLEL = 64
_SHARED: dict = {}


def worker_count(jobs: int) -> int:
    """--jobs N; 0 means every core this process may use."""
    if jobs and jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:   # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_chunks(task: Callable[[int, int], list], total: int, workers: int, shared: dict,
               progress: Callable[[int], None] | None = None, chunk: int = 0) -> list:
    """`task(start, stop)` over [0, total) in chunks; the concatenated results, in order.

    `task` must be a module-level function reading its inputs from `parallel.shared()`.
    With one worker, little work or no fork(), everything runs here, in order.
    """
    _SHARED.clear()
    _SHARED.update(shared)
    try:
        if workers <= 1 or total < MIN_PARALLEL or not can_fork():
            results: list = []
            step = chunk or 256
            for start in range(0, total, step):
                part = task(start, min(total, start + step))
                results.extend(part)
                if progress:
                    progress(len(part))
            return results
        step = chunk or max(16, min(256, -(-total // (workers * 8))))
        bounds = [(start, min(total, start + step)) for start in range(0, total, step)]
        context = multiprocessing.get_context("fork")
        parts: list = [None] * len(bounds)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(task, start, stop): number for number, (start, stop) in enumerate(bounds)}
            for future in as_completed(futures):
                part = parts[futures[future]] = future.result()
                if progress:
                    progress(len(part))
        return [item for part in parts for item in part]
    finally:
        _SHARED.clear()


def shared() -> dict:
    """What the parent set up for this batch of work (inherited by forked workers)."""
    return _SHARED

