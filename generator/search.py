"""Site search: the /tim-kiem/ page and a static Pagefind index written into the output.

Pagefind (the `pagefind` PyPI package ships its binary) builds a chunked index: a browser loads
only the chunks of the words it searches for and the fragments of the results it shows, so what
one search downloads grows slowly with the site (measured in Chromium: 210-255 KB for the sample
site's 2,384 records, 250-350 KB for 10,000 articles, of which 114 KB is Pagefind's script and
WebAssembly). The index is written in `finish`, into the staged output before it is published,
under /pagefind/; the search page's script (static/js/search.js) loads it from the deploy's base
path. What each record holds, and how "đ" is handled, is in `search_records`.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from generator import urls
from generator.diagnostics import Diagnostic
from generator.features import register
from generator.search_records import SearchRecord, model_records
from generator.search_rolls import is_roll_page, page_records

if TYPE_CHECKING:
    from generator.views import Views

BUNDLE_DIR = "pagefind"
# Pagefind's ready-made interfaces: the search page has its own (static/js/search.js), so these
# are not published.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
# Page parts that are not the page's own text: a safety net, records are built without them.
EXCLUDE = ["nav", "form", "select", "noscript", "script", ".breadcrumb", ".pagination", ".feed-links",
           ".visually-hidden"]


def search_view(views: "Views") -> dict:
    """View data of /tim-kiem/: the form, where the index lives, and the result messages."""
    ui = views.ui
    title = ui.get("search_title", "Tìm kiếm")
    page = views.page_meta("search", urls.search(), title, ui.get("search_description", ""),
                           breadcrumb=[views.crumb(ui.get("home", "Trang chủ"), "/")])
    return {
        "page": page,
        "search": {
            "bundle": views.links.href(f"/{BUNDLE_DIR}/"),
            "base": views.config.base_path,
            "language": views.config.language,
        },
    }


def result_labels(strings: dict[str, str]) -> dict[str, str]:
    """The kind shown in a result's meta line for what is not an article."""
    return {
        "page": strings.get("search_kind_page", "Giới thiệu"),
        "campaign": strings.get("search_kind_campaign", "Phong trào"),
        "roll": strings.get("search_kind_roll", "Vinh danh"),
        "unit": strings.get("search_kind_unit", "Đơn vị"),
    }


def built_records(folder: Path, language: str, labels: dict[str, str]) -> list[SearchRecord]:
    """Records from the built honour-roll and unit pages in the staged output folder: each
    entry, each roll and each unit (see search_rolls)."""
    records = []
    for roots in (urls.HONOUR_ROOT, urls.UNIT_ROOT):
        base = folder / roots
        if not base.is_dir():
            continue
        for file in sorted(base.rglob("index.html")):
            rel = file.relative_to(folder).as_posix()
            kind = is_roll_page(rel)
            if kind is None:
                continue
            url = "/" + rel.removesuffix("index.html")
            records.extend(page_records(url, kind, file.read_text(encoding="utf-8"), labels, language))
    return records


def write_index(records: list[SearchRecord], output: Path, language: str) -> int:
    """Index the records with Pagefind into `output`; returns the number of pages indexed.

    The records are written as files to a temporary folder and indexed with one `add_directory`
    call: the Python wrapper answers one request per 0.1 s (it polls its service's pipe), which
    would make `add_html_file` cost 1,000 s for 10,000 articles; the binary reads a folder at
    full speed.
    """
    from pagefind.index import PagefindIndex

    config = {"output_path": str(output), "force_language": language, "exclude_selectors": EXCLUDE}

    async def run(folder: str) -> int:
        async with PagefindIndex(config) as index:      # writes the bundle on a clean exit
            result = await index.add_directory(folder)
        return int(result.get("page_count", len(records)))

    if output.exists():            # Pagefind adds to a folder; files of an older index would stay
        shutil.rmtree(output)
    with tempfile.TemporaryDirectory(prefix="pagefind-records-") as folder:
        for record in records:
            target = Path(folder, urls.output_path(record.url))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(record.html, encoding="utf-8")
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            count = asyncio.run(run(folder))
        else:   # called from inside an event loop (the dev server): run ours on a thread of its own
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                count = pool.submit(asyncio.run, run(folder)).result()
    for name in UNUSED_FILES:
        (output / name).unlink(missing_ok=True)
    return count


class SearchFeature:
    """Plugs search into the pipeline (see generator/features.py)."""

    name = "search"
    # What `finish` reads in the output (built_records): the incremental writer gives it these
    # published files and nothing else it does not need (see incremental.finish_and_publish).
    finish_reads = (f"{urls.HONOUR_ROOT}/", f"{urls.UNIT_ROOT}/")

    def plan(self, views: "Views"):
        from generator.routes import RenderJob   # routes imports views
        yield RenderJob(urls.search(), "search.html", search_view(views))

    def finish(self, folder: Path, model, ctx) -> list[Diagnostic]:
        language = model.config.language
        labels = result_labels(ctx.theme.strings if ctx.theme else {})
        records = model_records(model, labels) + built_records(folder, language, labels)
        try:
            write_index(records, folder / BUNDLE_DIR, language)
        except ImportError:
            return [Diagnostic("site.yaml", None, "warning", "search index not built: Pagefind is not installed",
                               'install it with: pip install "pagefind[bin]"')]
        except Exception as exc:  # noqa: BLE001 - a failed index must not stop the news going out
            return [Diagnostic("site.yaml", None, "warning", f"search index not built: {exc}",
                               "the search page will say that search is unavailable")]
        return []


register(SearchFeature())
