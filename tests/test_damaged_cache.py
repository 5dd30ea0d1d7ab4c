"""A damaged cache is never published: whatever kind of cached thing is cut short, changed or
lost (parsed documents and their bodies, the manifest, source stamps, compiled templates, feeds,
image variants, search bundles, the publication record), the next build, into the same folder
after an edit or into a new folder, equals a clean build.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SITES, TODAY, build
from published import clean_build, published

MEDIA_ARTICLE = Path("content/articles/2026/hoi-nghi-nguoi-lao-dong.md")


def cut_in_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = bytes(b ^ 0x5A for b in data[middle:middle + 8])
    path.write_bytes(bytes(data))


def each(pattern: str, damage):
    def apply(site: Path, out: Path) -> int:
        found = [p for p in sorted((site / ".cache").glob(pattern)) if p.is_file()]
        for path in found:
            damage(path)
        return len(found)
    return apply


def every_cached_file(site: Path, out: Path) -> int:
    return each("**/*", cut_in_half)(site, out)


def search_bundle_files(damage):
    """One fragment file of every cached search bundle."""
    def apply(site: Path, out: Path) -> int:
        bundles = [p for p in (site / ".cache" / "search").iterdir() if (p / "pagefind-entry.json").exists()]
        for bundle in bundles:
            damage(sorted(bundle.rglob("*.pf_fragment"))[0])
        return len(bundles)
    return apply


def publication_record(site: Path, out: Path) -> int:
    record = out.parent / f".{out.name}.publish" / "record.json"
    record.write_text('{"live": ["0123", 1], "standby": null}', encoding="utf-8")
    return 1


DAMAGES = {
    "documents cut short": each("build/documents-*.pickle", cut_in_half),
    "documents changed": each("build/documents-*.pickle", flip_bytes),
    "bodies changed": each("build/bodies-*.bin", flip_bytes),
    "manifest changed": each("build/manifest-*.pickle", flip_bytes),
    "source stamps changed": each("build/sources.pickle", flip_bytes),
    "feeds changed": each("build/feeds*", flip_bytes),
    "compiled templates cut short": each("build/templates*", cut_in_half),
    "image variants cut short": each("images/v/*.*p*", cut_in_half),
    "image variants changed": each("images/v/*.jpg", flip_bytes),
    "search bundle file missing": search_bundle_files(Path.unlink),
    "search bundle file changed": search_bundle_files(flip_bytes),
    "every cached file cut in half": every_cached_file,
    "publication record of another generation": publication_record,
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_the_build_after_a_damaged_cache_equals_a_clean_build(tmp_path, damage):
    site = tmp_path / "site"
    shutil.copytree(SITES / "editorial", site, ignore=shutil.ignore_patterns(".cache"))
    an_hour_ago = time.time() - 3600          # old enough for the build to record the sources' stamps
    for path in site.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output", str(out),
                            "--today", TODAY.isoformat(), "--quiet"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr          # a new process: it writes every cache
    assert DAMAGES[damage](site, out) > 0, "nothing of that kind in the cache"
    elsewhere = tmp_path / "elsewhere"
    report = build(site, elsewhere)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert published(elsewhere) == clean_build(site, tmp_path / "first")
    DAMAGES[damage](site, out)
    with (site / MEDIA_ARTICLE).open("a", encoding="utf-8") as stream:
        stream.write("\nHội nghị kết thúc lúc 11 giờ.\n")
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert published(out) == clean_build(site, tmp_path / "second")
