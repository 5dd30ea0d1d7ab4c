"""Theme lookup (a site's own themes/ first, then the bundled ones), inheritance and UI strings.

A theme is a folder with an optional `theme.yaml` (name, description, parent, stylesheets,
settings, strings), `templates/` and `static/`. A child names its `parent`; the chain is resolved
child first. Templates and static files of a child hide the parent's of the same name; UI strings
and settings are merged key by key; stylesheets are added after the parent's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import ContentError, Diagnostic, ERROR, WARNING, did_you_mean
from generator.sources import links_leaving
from generator.yamlread import LineMap, load_yaml

BUNDLED_THEMES = Path(__file__).resolve().parent.parent / "themes"
THEME_FILE = "theme.yaml"
THEME_KEYS = ("name", "description", "parent", "stylesheets", "settings", "strings")
THEME_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Theme:
    """A resolved theme chain, child first."""

    name: str
    folders: tuple[Path, ...]        # child first, root parent last
    strings: dict[str, str]          # UI strings for the site's language, child overriding parent
    names: tuple[str, ...] = ()      # theme names along the chain, child first
    stylesheets: tuple[str, ...] = ()  # extra CSS under static/, root parent's first
    settings: dict = field(default_factory=dict)  # free theme settings, child overriding parent
    warnings: tuple[Diagnostic, ...] = ()  # what its theme.yaml files say that no theme key means

    @property
    def template_dirs(self) -> list[str]:
        return [str(folder / "templates") for folder in self.folders if (folder / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        """Parent first, so a child's file of the same name is copied last and wins."""
        return [folder / "static" for folder in reversed(self.folders) if (folder / "static").is_dir()]

    def view(self, href) -> dict:
        """What templates receive as `theme` (see docs/themes.md)."""
        return {"name": self.name, "chain": list(self.names),
                "stylesheets": [href("/static/" + sheet.lstrip("/")) for sheet in self.stylesheets],
                "settings": self.settings}

    def outside_links(self, site_dir: Path) -> list[Diagnostic]:
        """Links in the theme's folders that leave them, each an error naming the link. A theme
        inside the site folder may link within the site; a bundled theme only within itself.
        Otherwise a link in static/ would publish whatever it points at (/etc/passwd)."""
        site = site_dir.resolve()
        problems = []
        for folder in self.folders:
            own = folder.resolve()
            root = site if own.is_relative_to(site) else own
            problems += links_leaving(folder, root, lambda path: _display(path, site_dir))
        return problems

    @property
    def named_template_dirs(self) -> dict[str, str]:
        """Theme name -> its own templates folder, so "congdoan/base.html" reaches one theme's file.

        Where a site's theme shadows a bundled one of the same name, the name reaches the deeper
        one: only a child refers to an ancestor by name.
        """
        found: dict[str, str] = {}
        for name, folder in zip(self.names, self.folders):
            if (folder / "templates").is_dir():
                found[name] = str(folder / "templates")
        return found


def theme_bases(site_dir: Path) -> tuple[Path, Path]:
    return site_dir / "themes", BUNDLED_THEMES


def _is_theme(folder: Path) -> bool:
    return (folder / THEME_FILE).is_file() or (folder / "templates").is_dir()


def find_theme_folder(name: str, site_dir: Path) -> Path | None:
    return next((base / name for base in theme_bases(site_dir) if _is_theme(base / name)), None)


def available_themes(site_dir: Path) -> list[str]:
    names = set()
    for base in theme_bases(site_dir):
        if base.is_dir():
            names.update(p.name for p in base.iterdir() if p.is_dir() and _is_theme(p))
    return sorted(names)


def load_theme(name: str, site_dir: Path, language: str, line: int | None = None) -> Theme:
    """Resolve `name` and its parents; a missing theme or parent, or a cycle, is a ContentError.

    `line` is the line of `theme:` in site.yaml, for the message when `name` itself is missing.
    """
    folders: list[Path] = []
    names: list[str] = []
    specs: list[dict] = []
    warnings: list[Diagnostic] = []
    current, referrer, child = name, ("site.yaml", line), None
    while current:
        if not THEME_NAME.match(current):
            # A name is one folder: "../../x" or "/etc" must never lead the build out of the site.
            raise ContentError(Diagnostic(referrer[0], referrer[1], ERROR,
                                          f"theme name '{current}' must be a folder name, without '/' or '..'",
                                          did_you_mean(current, available_themes(site_dir))))
        candidates = [base / current for base in theme_bases(site_dir) if _is_theme(base / current)]
        fresh = [c for c in candidates if c.resolve() not in {f.resolve() for f in folders}]
        if not fresh and candidates:
            chain = " -> ".join([*names, current])
            raise ContentError(Diagnostic(referrer[0], referrer[1], ERROR,
                                          f"theme parents form a cycle: {chain}",
                                          f"remove 'parent:' from one of {', '.join(dict.fromkeys(names))}"))
        if not fresh:
            what = f"parent theme '{current}' of '{child}'" if child else f"theme '{current}'"
            raise ContentError(Diagnostic(referrer[0], referrer[1], ERROR, f"{what} not found",
                                          did_you_mean(current, available_themes(site_dir))
                                          or f"themes are folders in {_display(site_dir / 'themes', site_dir)}/ "
                                             f"or {BUNDLED_THEMES}"))
        folder = fresh[0]
        spec, lines, shown = _read_spec(folder, site_dir)
        folders.append(folder)
        names.append(current)
        specs.append(spec)
        warnings += [Diagnostic(shown, lines.line(key), WARNING, f"unknown key '{key}' in theme.yaml",
                                did_you_mean(str(key), THEME_KEYS) or f"the keys are {', '.join(THEME_KEYS)}")
                     for key in spec if key not in THEME_KEYS]
        parent = spec.get("parent")
        if parent is not None and (not isinstance(parent, str) or not parent.strip()):
            raise ContentError(Diagnostic(shown, lines.line("parent"), ERROR,
                                          "'parent' must be the name of another theme, e.g. congdoan"))
        referrer, child = (shown, lines.line("parent")), current
        current = parent.strip() if parent else None
    return Theme(name, tuple(folders), _merged_strings(specs, language), tuple(names),
                 _stylesheets(specs), _merged_settings(specs), tuple(warnings))


def _merged_strings(specs: list[dict], language: str) -> dict[str, str]:
    strings: dict[str, str] = {}
    for spec in reversed(specs):       # root first, children override
        table = spec.get("strings") or {}
        strings.update(table.get("vi") or {})
        if language != "vi":
            strings.update(table.get(language) or {})
    return strings


def _merged_settings(specs: list[dict]) -> dict:
    settings: dict = {}
    for spec in reversed(specs):
        settings.update(spec.get("settings") or {})
    return settings


def _stylesheets(specs: list[dict]) -> tuple[str, ...]:
    sheets: list[str] = []
    for spec in reversed(specs):
        for sheet in spec.get("stylesheets") or ():
            if str(sheet) not in sheets:
                sheets.append(str(sheet))
    return tuple(sheets)


def _read_spec(folder: Path, site_dir: Path) -> tuple[dict, LineMap, str]:
    path = folder / THEME_FILE
    shown = _display(path, site_dir)
    if not path.is_file():
        return {}, LineMap(), shown
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(Diagnostic(shown, None, ERROR, "theme.yaml is not UTF-8 text", "save it as UTF-8")) from None
    data, lines = load_yaml(text, shown)
    if data is None:
        return {}, lines, shown
    if not isinstance(data, dict):
        raise ContentError(Diagnostic(shown, 1, ERROR, "theme.yaml must be a mapping (name, parent, strings)"))
    for key, kind in (("strings", dict), ("settings", dict), ("stylesheets", list)):
        if data.get(key) is not None and not isinstance(data[key], kind):
            raise ContentError(Diagnostic(shown, lines.line(key), ERROR,
                                          f"'{key}' in theme.yaml must be a {'mapping' if kind is dict else 'list'}"))
    return data, lines, shown


def _display(path: Path, site_dir: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)
