"""Theme lookup (a site's own themes/ first, then the bundled ones), inheritance and UI strings."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import ContentError, Diagnostic, ERROR, did_you_mean
from generator.yamlread import load_yaml

BUNDLED_THEMES = Path(__file__).resolve().parent.parent / "themes"
THEME_FILE = "theme.yaml"


@dataclass(frozen=True)
class Theme:
    """A resolved theme chain, child first."""

    name: str
    folders: tuple[Path, ...]        # child first, root parent last
    strings: dict[str, str]          # UI strings for the site's language, child overriding parent

    @property
    def template_dirs(self) -> list[str]:
        return [str(folder / "templates") for folder in self.folders if (folder / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        """Parent first, so a child's file of the same name is copied last and wins."""
        return [folder / "static" for folder in reversed(self.folders) if (folder / "static").is_dir()]


def find_theme_folder(name: str, site_dir: Path) -> Path | None:
    for base in (site_dir / "themes", BUNDLED_THEMES):
        if (base / name / THEME_FILE).is_file() or (base / name / "templates").is_dir():
            return base / name
    return None


def available_themes(site_dir: Path) -> list[str]:
    names = set()
    for base in (site_dir / "themes", BUNDLED_THEMES):
        if base.is_dir():
            names.update(p.name for p in base.iterdir() if p.is_dir())
    return sorted(names)


def load_theme(name: str, site_dir: Path, language: str) -> Theme:
    """Resolve `name` and its parents; a missing theme or parent, or a cycle, is a ContentError."""
    folders: list[Path] = []
    specs: list[dict] = []
    current, referrer = name, ("site.yaml", None)
    while current:
        folder = find_theme_folder(current, site_dir)
        if folder is None:
            raise ContentError(Diagnostic(referrer[0], referrer[1], ERROR, f"theme '{current}' not found",
                                          did_you_mean(current, available_themes(site_dir))
                                          or f"themes are folders in {site_dir / 'themes'} or {BUNDLED_THEMES}"))
        if folder in folders:
            chain = " -> ".join(f.name for f in folders + [folder])
            raise ContentError(Diagnostic(referrer[0], referrer[1], ERROR, f"theme parents form a cycle: {chain}"))
        spec = _read_spec(folder, site_dir)
        folders.append(folder)
        specs.append(spec)
        parent = spec.get("parent")
        referrer = (_display(folder / THEME_FILE, site_dir), 1)
        current = str(parent) if parent else None
    strings: dict[str, str] = {}
    for spec in reversed(specs):       # root first, children override
        table = (spec.get("strings") or {})
        strings.update(table.get("vi") or {})
        if language != "vi":
            strings.update(table.get(language) or {})
    return Theme(name, tuple(folders), strings)


def _read_spec(folder: Path, site_dir: Path) -> dict:
    path = folder / THEME_FILE
    if not path.is_file():
        return {}
    shown = _display(path, site_dir)
    data, _ = load_yaml(path.read_text(encoding="utf-8-sig"), shown)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError(Diagnostic(shown, 1, ERROR, "theme.yaml must be a mapping (name, parent, strings)"))
    return data


def _display(path: Path, site_dir: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)
