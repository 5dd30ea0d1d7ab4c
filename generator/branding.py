"""Site branding from `site.yaml` (`branding:`): logo, colours, favicon, extra head HTML, links.

A federation gets its own look without a theme of its own: the two colours become the CSS custom
properties `--brand`, `--brand-dark` and `--accent` that every bundled theme paints with.
Both colours carry white text or sit as text on white, so each is checked against WCAG AA.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diagnostics import ERROR, Diagnostic, Diagnostics, did_you_mean
from generator.url_policy import check_url
from generator.yamlread import LineMap

CONFIG_FILE = "site.yaml"
# WCAG 2.x AA for normal text.
AA_CONTRAST = 4.5
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

BRANDING_KEYS = {
    "logo": "a /media/ path of the logo shown in the header",
    "brand_colour": "main colour (#rrggbb): header menu, headings; carries white text",
    "accent_colour": "link colour (#rrggbb); used as text on white",
    "favicon": "a /media/ path of the browser-tab icon",
    "head_html": "HTML added as is to every <head> (an analytics snippet, a verification tag)",
    "footer_links": "list of {title, url} shown in the footer",
    "member_links": "list of {title, url}: member unions, shown by themes that have a links panel",
}
# American spellings are accepted too: editors copy them from CSS.
ALIASES = {"brand_color": "brand_colour", "accent_color": "accent_colour"}


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Branding:
    logo: str = ""
    brand_colour: str = ""          # normalised "#rrggbb", or "" for the theme's own
    accent_colour: str = ""
    favicon: str = ""
    head_html: str = ""
    footer_links: tuple[Link, ...] = ()
    member_links: tuple[Link, ...] = ()

    def css_variables(self) -> list[tuple[str, str]]:
        """(name, value) pairs for a `:root` rule; empty when the theme's palette stays."""
        found = []
        if self.brand_colour:
            found += [("brand", self.brand_colour), ("brand-dark", darken(self.brand_colour, 0.22))]
        if self.accent_colour:
            found.append(("accent", self.accent_colour))
        return found


def parse_branding(value, diags: Diagnostics, lines: LineMap, path: str = CONFIG_FILE) -> Branding:
    """Validate the `branding:` mapping, recording each problem with its line."""
    if value is None:
        return Branding()
    if not isinstance(value, dict):
        diags.error(path, lines.line("branding"), "branding must be a mapping (logo, brand_colour, …)")
        return Branding()
    fields: dict = {}
    for raw_key, item in value.items():
        key = ALIASES.get(str(raw_key), str(raw_key))
        at = lines.line("branding", raw_key)
        if key not in BRANDING_KEYS:
            diags.warning(path, at, f"unknown branding setting '{raw_key}' is ignored",
                          did_you_mean(str(raw_key), [*BRANDING_KEYS, *ALIASES]))
        elif item is None:
            continue
        elif key in ("logo", "favicon"):
            fields[key] = _media_path(key, item, diags, path, at)
        elif key in ("brand_colour", "accent_colour"):
            fields[key] = _colour(key, item, diags, path, at)
        elif key == "head_html":
            if not isinstance(item, str):
                diags.error(path, at, "head_html must be text (use a YAML block: head_html: |)")
            else:
                fields[key] = item.strip()
        else:
            fields[key] = _links(key, raw_key, item, diags, lines, path)
    return Branding(**fields)


def _media_path(key: str, value, diags: Diagnostics, path: str, line: int) -> str:
    text = str(value).strip() if isinstance(value, (str, int, float)) else ""
    if not text.startswith("/media/") or ".." in text.split("/") or "\\" in text:
        diags.error(path, line, f"branding.{key} must be a path under /media/, not '{value}'",
                    f"put the file in content/media/ and write e.g. /media/{key}.png")
        return ""
    return text


def _colour(key: str, value, diags: Diagnostics, path: str, line: int) -> str:
    text = str(value).strip()
    if not HEX_COLOUR.match(text):
        diags.error(path, line, f"branding.{key} must be a colour like #b0121b, not '{value}'",
                    "write # and six hexadecimal digits, in quotes: \"#b0121b\"")
        return ""
    colour = normalise(text)
    ratio = contrast(colour, "#ffffff")
    if ratio < AA_CONTRAST:
        diags.warning(path, line, f"branding.{key} {colour} has a contrast of {ratio:.2f}:1 with white; "
                                  f"WCAG AA needs {AA_CONTRAST}:1",
                      f"a darker shade such as {passing_shade(colour)} passes")
    return colour


def _links(key: str, raw_key, value, diags: Diagnostics, lines: LineMap, path: str) -> tuple[Link, ...]:
    if not isinstance(value, list):
        diags.error(path, lines.line("branding", raw_key), f"branding.{key} must be a list of {{title, url}}")
        return ()
    links = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
            diags.error(path, lines.line("branding", raw_key, index),
                        f"each item of branding.{key} needs a title and a url",
                        "- {title: Công đoàn ngành Y tế, url: https://…}")
            continue
        for extra in sorted(set(map(str, item)) - {"title", "url"}):
            diags.warning(path, lines.line("branding", raw_key, index, extra),
                          f"unknown link field '{extra}' is ignored", did_you_mean(extra, ("title", "url")))
        checked = check_url(str(item["url"]))
        if not checked.ok:
            diags.error(path, lines.line("branding", raw_key, index, "url"),
                        f"branding.{key} url cannot be published: {checked.problem}: '{item['url']}'",
                        "write a path on this site such as /lien-he/, or an https:// address")
            continue
        links.append(Link(str(item["title"]).strip(), checked.url))
    return tuple(links)


# ---- colour arithmetic (WCAG 2.x definitions) -------------------------------------------------
def normalise(colour: str) -> str:
    """"#ABC" -> "#aabbcc"."""
    digits = colour.lstrip("#").lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def _channels(colour: str) -> tuple[int, int, int]:
    digits = normalise(colour)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio, from 1 (same) to 21 (black on white)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def darken(colour: str, amount: float) -> str:
    """Mix with black: amount 0 keeps the colour, 1 gives black."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in _channels(colour))


def passing_shade(colour: str) -> str:
    """The lightest darker shade of `colour` that carries white text at AA."""
    for step in range(1, 21):
        shade = darken(colour, step * 0.05)
        if contrast(shade, "#ffffff") >= AA_CONTRAST:
            return shade
    return "#000000"


def check_branding_files(branding: Branding, media: set[str], lines: LineMap,
                         path: str = CONFIG_FILE) -> list[Diagnostic]:
    """The logo and favicon must be files under content/media/."""
    problems = []
    for key in ("logo", "favicon"):
        value = getattr(branding, key)
        if value and value not in media:
            problems.append(Diagnostic(path, lines.line("branding", key), ERROR, f"branding.{key} '{value}' not found",
                                       f"put the file at content{value}"))
    return problems
