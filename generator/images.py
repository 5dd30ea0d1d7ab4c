"""Responsive images, the pure half: which variants a photo gets, their view dicts, and <picture> markup.

Every raster image under content/media/ (JPEG, PNG, WebP) gets variants 400, 800 and 1600 px wide
in WebP and JPEG, plus a 1200 px JPEG for Open Graph. A variant is never wider than its source:
a 1000 px photo gets 400, 800 and 1000. Variants are named by the source's content hash, so they
are made once per distinct photo whatever its name (see image_variants.py for the I/O half).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from generator.output import OutputFile

VARIANT_WIDTHS = (400, 800, 1600)
OG_WIDTH = 1200
FALLBACK_WIDTH = 800           # the <img src> for browsers without srcset, and its width/height
VARIANT_FOLDER = "/media/_v/"  # site path of every variant
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
# Images written in Markdown bodies fill the article column: full width up to the two-column
# layout (960 px), then about 820 px (container 1200 px less the 320 px sidebar and gaps).
BODY_SIZES = "(min-width: 1200px) 820px, (min-width: 960px) calc(100vw - 380px), calc(100vw - 2rem)"

Href = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class SourceImage:
    url: str        # "/media/anh/a.jpg"
    path: Path
    digest: str     # sha256 of the file's bytes
    width: int      # after EXIF rotation, as a reader sees it
    height: int


@dataclass(frozen=True, slots=True)
class Variant:
    width: int
    height: int
    format: str     # "webp" | "jpeg"
    name: str       # file name, e.g. "3fa9…-800.webp"

    @property
    def url(self) -> str:
        return VARIANT_FOLDER + self.name


@dataclass(frozen=True, slots=True)
class ImageInfo:
    source: SourceImage
    variants: tuple[Variant, ...]

    def responsive(self, fmt: str) -> list[Variant]:
        """The variants of one format offered in srcset, narrowest first."""
        widths = srcset_widths(self.source.width)
        return [v for v in self.variants if v.format == fmt and v.width in widths]

    @property
    def fallback(self) -> Variant:
        jpegs = self.responsive("jpeg")
        fitting = [v for v in jpegs if v.width <= FALLBACK_WIDTH]
        return fitting[-1] if fitting else jpegs[0]

    @property
    def og(self) -> Variant:
        wanted = min(OG_WIDTH, self.source.width)
        return next(v for v in self.variants if v.format == "jpeg" and v.width == wanted)


def srcset_widths(width: int) -> tuple[int, ...]:
    """Variant widths for a source `width` px wide: never wider than the source."""
    return tuple(sorted({min(w, width) for w in VARIANT_WIDTHS}))


def plan_variants(source: SourceImage) -> tuple[Variant, ...]:
    """Every file to make for one source image (pure)."""
    def variant(width: int, fmt: str) -> Variant:
        height = max(1, round(source.height * width / source.width))
        return Variant(width, height, fmt, f"{source.digest[:20]}-{width}.{EXTENSIONS[fmt]}")

    planned = [variant(w, fmt) for fmt in ("webp", "jpeg") for w in srcset_widths(source.width)]
    og = variant(min(OG_WIDTH, source.width), "jpeg")
    if og not in planned:
        planned.append(og)
    return tuple(planned)


@dataclass
class ImageCatalog:
    """Every usable source image of the site, by its /media/ path."""

    images: dict[str, ImageInfo] = field(default_factory=dict)

    def get(self, url: str) -> ImageInfo | None:
        return self.images.get(url)

    def view(self, url: str, href: Href) -> dict | None:
        """The image dict templates receive (see docs/themes.md), or None without an image."""
        if not url:
            return None
        info = self.images.get(url)
        if info is None:      # an http(s) URL, an SVG or a GIF: shown as it is
            return {"src": href(url), "srcset_webp": "", "srcset_jpeg": "", "width": None, "height": None,
                    "original": href(url)}
        fallback = info.fallback
        return {
            "src": href(fallback.url),
            "srcset_webp": srcset(info.responsive("webp"), href),
            "srcset_jpeg": srcset(info.responsive("jpeg"), href),
            "width": fallback.width,
            "height": fallback.height,
            "original": href(url),
        }

    def og_path(self, url: str) -> str:
        """Site path of the Open Graph variant (1200 px JPEG), or `url` itself."""
        info = self.images.get(url)
        return info.og.url if info else url

    def variants(self) -> list[Variant]:
        return [v for info in self.images.values() for v in info.variants]


def srcset(variants: list[Variant], href: Href) -> str:
    return ", ".join(f"{href(v.url)} {v.width}w" for v in variants)


# ---- body images: <img src="/media/…"> -> <picture> after rendering ---------------------------
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


class _TagAttributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attrs = attrs

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> list[tuple[str, str | None]]:
    parser = _TagAttributes()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def _tag(name: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [name] + [k if v is None else f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs]
    return "<" + " ".join(parts) + ">"


class PictureRewriter:
    """Turns every <img> whose src is a catalogued image, and that has no srcset yet, into a
    <picture> with WebP and JPEG srcsets, `sizes` and width/height.

    Templates that know their layout write the <picture> themselves (or set `sizes` on a bare
    <img>, which is kept); Markdown bodies and any other <img> get BODY_SIZES.
    """

    def __init__(self, catalog: ImageCatalog, href: Href, default_sizes: str = BODY_SIZES):
        self.by_src = {href(url): info for url, info in catalog.images.items()}
        self.href = href
        self.default_sizes = default_sizes

    def rewrite_files(self, files: list[OutputFile]) -> list[OutputFile]:
        """Rewrite the rendered HTML pages; other files pass untouched."""
        return [self._rewrite_file(f) if f.path.endswith(".html") else f for f in files]

    def _rewrite_file(self, file: OutputFile) -> OutputFile:
        text = file.data.decode("utf-8")
        changed = self.rewrite(text)
        return file if changed is text else OutputFile(file.path, changed.encode("utf-8"))

    def rewrite(self, text: str) -> str:
        if "<img" not in text or not self.by_src:
            return text
        return _IMG_TAG.sub(self._replace, text)

    def _replace(self, match: re.Match) -> str:
        tag = match.group(0)
        if "srcset" in tag:
            return tag
        attrs = _attributes(tag)
        info = self.by_src.get(dict(attrs).get("src") or "")
        if info is None:
            return tag
        given = dict(attrs)
        fallback = info.fallback
        # A template that sets width/height keeps them: they are its layout, and they say how
        # wide the image is shown. Otherwise the variant's own size reserves the space.
        width = (given.get("width") or "").strip()
        if width.isdigit() and given.get("height"):
            size = []
            sizes = given.get("sizes") or f"(max-width: {width}px) 100vw, {width}px"
        else:
            size = [("width", str(fallback.width)), ("height", str(fallback.height))]
            sizes = given.get("sizes") or self.default_sizes
        kept = [(k, v) for k, v in attrs if k not in ("src", "srcset", "sizes")
                and not (size and k in ("width", "height"))]
        img = _tag("img", [("src", self.href(fallback.url)),
                           ("srcset", srcset(info.responsive("jpeg"), self.href)), ("sizes", sizes),
                           *size, *kept])
        source = _tag("source", [("type", "image/webp"), ("srcset", srcset(info.responsive("webp"), self.href)),
                                 ("sizes", sizes)])
        return f"<picture>{source}{img}</picture>"
