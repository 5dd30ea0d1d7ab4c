"""Responsive images, the I/O half: measuring source photos and making their variants with Pillow.

Variants live in `<site>/.cache/images/v/`, named by the source's content hash, so an unchanged
photo is decoded and encoded once, ever; a build only links the finished files into the output.
`index.json` beside them remembers each file's hash and size by (size, mtime), so an unchanged
file is not even read again. `v/sums.json` holds each variant's sha256 (with the size and mtime it
had when checked): a variant changed or cut short in the cache is made again, never published.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import io
import json
import multiprocessing
import os
import threading
from dataclasses import dataclass
from pathlib import Path


from generator.diagnostics import Diagnostic, ERROR
from generator.images import RASTER_SUFFIXES, VARIANT_FOLDER, ImageCatalog, ImageInfo, SourceImage, Variant, plan_variants
from generator.os_failures import os_failure, site_cache
from generator.parallel import can_fork

CACHE_FOLDER = Path(".cache") / "images"
INDEX_FILE = "index.json"
INDEX_VERSION = 1
SUMS_FILE = "sums.json"     # in v/: variant name -> [sha256, size, mtime_ns]
WEBP_OPTIONS = {"quality": 76, "method": 4}
JPEG_OPTIONS = {"quality": 80, "optimize": True, "progressive": True}
_ROTATED = {5, 6, 7, 8}     # EXIF orientations that swap width and height
_HINT = "open the file in an image editor and export it again as JPEG or PNG"


@dataclass
class ImageReport:
    """What the image stage did: `saved` counts files written by Pillow (0 on a warm cache)."""

    sources: int = 0       # raster images found under content/media/
    processed: int = 0     # sources decoded to make missing variants
    saved: int = 0         # variant files encoded and written
    reused: int = 0        # sources whose variants were all in the cache


def cache_folder(site_dir: Path) -> Path:
    return site_dir / CACHE_FOLDER


def variant_file(site_dir: Path, variant: Variant) -> Path:
    return cache_folder(site_dir) / "v" / variant.name


def survey_images(site_dir: Path, media: dict[str, Path]) -> tuple[ImageCatalog, list[Diagnostic]]:
    """Measure every raster image under /media/; an unreadable one is an error naming the file."""
    folder = cache_folder(site_dir)
    index = _load_index(folder)
    fresh: dict[str, list] = {}
    catalog, problems = ImageCatalog(), []
    for url, path in media.items():
        shown = _display(path, site_dir)
        if url.startswith(VARIANT_FOLDER):
            problems.append(Diagnostic(shown, None, ERROR, f"the folder content{VARIANT_FOLDER} is reserved "
                                       "for the resized copies the build makes", "move the file to another folder"))
            continue
        if not url.lower().endswith(RASTER_SUFFIXES):
            continue
        stat = path.stat()
        memo = index.get(url)
        if memo and memo[:2] == [stat.st_size, stat.st_mtime_ns]:
            digest, width, height = memo[2:]
        else:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            try:
                width, height = _measure(data)
            except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a bad file
                problems.append(Diagnostic(shown, None, ERROR, f"cannot read image: {_reason(exc)}", _HINT))
                continue
        fresh[url] = [stat.st_size, stat.st_mtime_ns, digest, width, height]
        source = SourceImage(url, path, digest, width, height)
        catalog.images[url] = ImageInfo(source, plan_variants(source))
    if fresh != index:
        _save_index(folder, fresh)
    return catalog, problems


def produce_variants(catalog: ImageCatalog, site_dir: Path, jobs: int = 0) -> tuple[ImageReport, list[Diagnostic]]:
    """Make every variant missing from the cache, one source per task, on all cores."""
    report = ImageReport(sources=len(catalog.images))
    folder = cache_folder(site_dir) / "v"
    sums = _load_sums(folder)
    known = dict(sums)
    missing = [info for info in catalog.images.values()
               if not all([_intact(variant_file(site_dir, v), sums) for v in info.variants])]
    report.reused = report.sources - len(missing)
    # Two files with the same bytes share their variants: make them once.
    pending = list({info.source.digest: info for info in reversed(missing)}.values())[::-1]
    if pending:
        (cache_folder(site_dir) / "v").mkdir(parents=True, exist_ok=True)
    workers = max(1, min(jobs if jobs > 0 else (os.cpu_count() or 1), len(pending) or 1))
    problems: list[Diagnostic] = []
    for info, outcome in zip(pending, _run(pending, site_dir, workers)):
        if isinstance(outcome, int):
            report.processed += 1
            report.saved += outcome
        elif isinstance(outcome, Diagnostic):          # the cache's disk, not the picture: said once
            if outcome not in problems:
                problems.append(outcome)
        else:
            problems.append(Diagnostic(_display(info.source.path, site_dir), None, ERROR,
                                       f"cannot read image: {outcome}", _HINT))
    for info in pending:
        for variant in info.variants:
            _intact(variant_file(site_dir, variant), sums, made=True)
    if sums != known:
        try:
            _save_sums(folder, sums)
        except OSError as exc:          # a full cache disk: said as the cache's
            failure = os_failure(exc, None, site_cache(site_dir.resolve()), default="cache")
            if failure is None:
                raise
            problems.append(failure.diagnostic())
    return report, problems


def _intact(path: Path, sums: dict, made: bool = False) -> bool:
    """Whether a cached variant is the file that was made: the same size and mtime as when its
    sha256 was last checked, or the same sha256. A variant that is not is deleted (to be made
    again); one just `made` gets its sum recorded."""
    try:
        status = os.stat(path)
    except OSError:
        sums.pop(path.name, None)
        return False
    stamp = [status.st_size, status.st_mtime_ns]
    known = sums.get(path.name)
    if known is not None and known[1:] == stamp:
        return True
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if made or (known is not None and known[0] == sha):
        sums[path.name] = [sha, *stamp]
        return True
    sums.pop(path.name, None)
    path.unlink()
    return False


def _run(pending: list[ImageInfo], site_dir: Path, workers: int) -> list[int | str]:
    """One task per source image, in worker processes when there are several.

    Processes, not threads: on the sample's 82 photos with 2 cores, two threads were 1.1 times as
    fast as one (Pillow keeps the GIL for part of the encoding), two processes 1.4 to 1.9 times
    (5.1 s against 8.8 s with threads on a quiet machine). Forked, like the rest of
    the build's workers (generator/parallel.py). Results come back in task order.
    """
    if workers == 1 or len(pending) < 2 or not can_fork():
        return [_make_safely(info, site_dir) for info in pending]
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_make_safely, pending, [site_dir] * len(pending), chunksize=4))


def variant_files(catalog: ImageCatalog, site_dir: Path) -> list[tuple[Path, str]]:
    """(cache file, output path) of every variant, for the writer to link into the output."""
    return [(variant_file(site_dir, v), v.url.lstrip("/")) for v in catalog.variants()]


def _measure(data: bytes) -> tuple[int, int]:
    from PIL import Image        # Pillow (~15 ms to import) only when a picture is new or changed

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112)
    return (height, width) if orientation in _ROTATED else (width, height)


def _make_safely(info: ImageInfo, site_dir: Path) -> int | str | Diagnostic:
    """The variants saved, or why not: a failure of the cache folder (a full disk) as its
    diagnostic, anything else as the picture's problem."""
    try:
        return _make_variants(info, site_dir)
    except Exception as exc:  # noqa: BLE001 - a truncated or corrupt file fails only when decoded
        folder = os_failure(exc, None, site_cache(site_dir.resolve()), default="cache")
        return folder.diagnostic() if folder is not None else _reason(exc)


def _make_variants(info: ImageInfo, site_dir: Path) -> int:
    """Decode the source once and write each missing variant; returns the number of files saved."""
    from PIL import Image, ImageOps

    with Image.open(info.source.path) as opened:
        opened.load()
        image = ImageOps.exif_transpose(opened)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    icc = image.info.get("icc_profile")
    saved = 0
    by_width: dict[int, list[Variant]] = {}
    for variant in info.variants:
        if not variant_file(site_dir, variant).is_file():
            by_width.setdefault(variant.width, []).append(variant)
    for width, variants in sorted(by_width.items(), reverse=True):
        resized = image if (width, variants[0].height) == image.size else \
            image.resize((width, variants[0].height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for variant in variants:
            _save(resized, variant, variant_file(site_dir, variant), icc)
            saved += 1
    return saved


def _save(image: "Image.Image", variant: Variant, target: Path, icc) -> None:
    """Encode to a temporary name, then rename: a reader never sees half a file."""
    from PIL import Image

    if variant.format == "jpeg":
        if image.mode == "RGBA":       # JPEG has no transparency: lay the picture on white
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        options, kind = JPEG_OPTIONS, "JPEG"
    else:
        options, kind = WEBP_OPTIONS, "WEBP"
    extra = {"icc_profile": icc} if icc else {}
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    image.save(temporary, kind, **options, **extra)
    os.replace(temporary, target)


def _reason(exc: Exception) -> str:
    from PIL import Image, UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return "not a JPEG, PNG or WebP picture, or the file is damaged"
    if isinstance(exc, Image.DecompressionBombError):
        return "the picture is too large to process safely (over 178 million pixels)"
    text = str(exc) or type(exc).__name__
    if "truncated" in text.lower():
        return "the file is cut short (image file is truncated)"
    return text


def _load_index(folder: Path) -> dict:
    try:
        data = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return {}
    return data.get("files") or {}


def _save_index(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{INDEX_FILE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps({"version": INDEX_VERSION, "files": files}, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / INDEX_FILE)


def _load_sums(folder: Path) -> dict:
    try:
        data = json.loads((folder / SUMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {name: row for name, row in data.items() if isinstance(row, list) and len(row) == 3} \
        if isinstance(data, dict) else {}


def _save_sums(folder: Path, sums: dict) -> None:
    temporary = folder / f".{SUMS_FILE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(sums, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / SUMS_FILE)


def _display(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)
