"""Running the built-in readers (articles, pages, campaigns) over many sources, fast.

A source whose (kind, path, sha256) is in the document cache is not parsed again; the others are
parsed on every core (Markdown is the largest single cost of a cold build) and added to the cache.
Readers are pure functions of the source bytes, the time zone and the base path, which is exactly
what the cache key and its environment cover.
"""
from __future__ import annotations

from typing import Callable
from zoneinfo import ZoneInfo

from generator import parallel
from generator.cache import DocumentCache
from generator.diagnostics import working_on
from generator.markdown_render import MarkdownRenderer
from generator.readers.articles import read_article, read_page
from generator.readers.campaigns import read_campaign

READER_KINDS = ("article", "page", "campaign")
_RENDERERS: dict[str, MarkdownRenderer] = {}   # one per process and base path: set-up is costly


def read_one(source, tz: ZoneInfo, base_path: str):
    """`(document | None, diagnostics)` of one article, page or campaign file."""
    markdown = _RENDERERS.get(base_path)
    if markdown is None:
        markdown = _RENDERERS[base_path] = MarkdownRenderer(base_path)
    with working_on(source.path):
        if source.kind == "article":
            return read_article(source, tz, markdown)
        if source.kind == "page":
            return read_page(source, markdown)
        return read_campaign(source, markdown)


def _read_range(start: int, stop: int) -> list:
    work = parallel.shared()
    return [read_one(source, work["tz"], work["base_path"]) for source in work["sources"][start:stop]]


def read_sources(sources, tz: ZoneInfo, base_path: str, cache: DocumentCache | None, workers: int,
                 progress: Callable[[int], None] | None = None) -> dict[str, tuple]:
    """Reader results by source path for every source of a built-in kind, cached ones first."""
    results: dict[str, tuple] = {}
    missing = []
    for source in sources:
        if source.kind not in READER_KINDS:
            continue
        found = cache.get(source) if cache is not None else None
        if found is None:
            missing.append(source)
        else:
            results[source.path] = found
    if progress and results:
        progress(len(results))
    parsed = parallel.run_chunks(_read_range, len(missing), workers,
                                 {"sources": missing, "tz": tz, "base_path": base_path}, progress)
    for source, result in zip(missing, parsed):
        results[source.path] = result
        if cache is not None:
            cache.put(source, result)
    return results
