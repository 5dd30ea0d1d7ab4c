"""What a published output folder holds, as readers see it: every file's bytes, except the search
index, which is compared by its records (an incremental build may index an edit in a part of its
own, beside the parts it keeps: search_fresh.py)."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from conftest import build


def published(out: Path) -> tuple[dict[str, bytes], list[str]]:
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not p.relative_to(out).as_posix().startswith("pagefind/")}
    return files, search_records(out)


def search_records(out: Path) -> list[str]:
    """Every record a search can find (parts.json's hidden ones left out), as sorted JSON texts."""
    listing_file = out / "pagefind" / "parts.json"
    if not listing_file.exists():
        return []
    listing = json.loads(listing_file.read_text(encoding="utf-8"))
    records = []
    for part in listing["parts"]:
        hidden = listing.get("hidden", {}).get(part, {})
        for file in (out / "pagefind" / part / "fragment").glob("*.pf_fragment"):
            if file.name.removesuffix(".pf_fragment") in hidden:
                continue
            data = json.loads(gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd"))
            records.append(json.dumps(data, sort_keys=True, ensure_ascii=False))
    return sorted(records)


def clean_build(site: Path, scratch: Path) -> tuple[dict[str, bytes], list[str]]:
    """What a build of the site's files from nothing publishes: a copy without its cache, built
    into an empty folder, both under `scratch` (made anew)."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch / "site", ignore=shutil.ignore_patterns(".cache"))
    report = build(scratch / "site", scratch / "out")
    assert report.ok, [d.format() for d in report.diagnostics]
    return published(scratch / "out")
