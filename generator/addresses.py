"""Published addresses stay valid.

- `aliases:` on an article, page or campaign lists old addresses; each gets a small redirect page
  (meta refresh, canonical link, noindex, and a plain link for browsers that do not follow).
- `moved_addresses` compares the addresses of the last build into the same output folder with
  this build's: a document whose address changed (slug, title, category) or that is gone, with no
  alias keeping the old address, gets a warning with the `aliases:` line to add. Links shared on
  Zalo and Facebook would otherwise lead to "Không tìm thấy trang".
"""
from __future__ import annotations

import html
from collections import Counter
from typing import Iterable, Protocol, runtime_checkable

from generator import urls
from generator.diagnostics import ERROR, WARNING, Diagnostic
from generator.features import register
from generator.output import OutputFile

NAME = "aliases"
ADDRESSES = "addresses"         # the manifest summary's record: source path -> site path


@runtime_checkable
class Addressed(Protocol):
    """A feature's part of the model (`model.extras`) whose documents have pages of their own
    (honour rolls): it lists them with their addresses, and they carry `path`, `title`,
    `aliases` and `key_lines` like articles do."""

    def addressed(self) -> Iterable[tuple[object, str]]: ...


def published(model) -> list[tuple[object, str]]:
    """(document, site path) of every document with a page of its own."""
    pattern = model.config.permalinks.article
    found = [(a, urls.article(a, pattern)) for a in model.articles]
    found += [(p, urls.page(p.slug)) for p in model.pages]
    found += [(c, urls.campaign(c.slug)) for c in model.campaigns]
    for extra in model.extras.values():
        if isinstance(extra, Addressed):
            found += list(extra.addressed())
    return found


def addresses(model) -> dict[str, str]:
    """Source path -> the site path it is published at (the record the next build compares)."""
    return {doc.path: url for doc, url in published(model)}


def check_aliases(model, page_paths: set[str], file_paths: list[str]) -> list[Diagnostic]:
    """An old address may not be an address the site publishes (a page or a file: output paths
    `page_paths`, `file_paths` which holds the alias pages too), nor be claimed twice."""
    documents = published(model)
    own = {urls.output_path(url): doc for doc, url in documents}
    claims = Counter(urls.output_path(alias) for doc, _ in documents for alias in doc.aliases)
    files = Counter(file_paths)
    claimed: dict[str, object] = {}
    problems = []
    for doc, _ in documents:
        line = doc.key_lines.get("aliases")
        for alias in doc.aliases:
            out = urls.output_path(alias)
            if out in own:
                problem, hint = f"the old address {alias} is the address of {own[out].path}", "remove it from 'aliases:'"
            elif out in page_paths or files[out] > claims[out]:
                problem, hint = f"the old address {alias} is a page this site publishes", "remove it from 'aliases:'"
            elif out in claimed:
                problem, hint = f"the old address {alias} is also listed by {claimed[out].path}", \
                    "keep it in one file's 'aliases:'"
            else:
                claimed[out] = doc
                continue
            problems.append(Diagnostic(doc.path, line, ERROR, problem, hint))
    return problems


def redirect_page(target: str, canonical: str, title: str, ui: dict) -> bytes:
    """A page that sends the reader to `target` (this deploy's href) and search engines to
    `canonical` (the absolute URL)."""
    href, name, canonical = html.escape(target), html.escape(title), html.escape(canonical)
    moved = html.escape(ui.get("moved", "Trang đã chuyển đến địa chỉ mới"))
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(ui.get("lang", "vi"))}">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{moved}: {name}</title>\n<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{canonical}">\n<meta http-equiv="refresh" content="0; url={href}">\n'
            f'</head>\n<body>\n<p>{moved}: <a href="{href}">{name}</a></p>\n</body>\n</html>\n').encode("utf-8")


def alias_files(model, links, ui: dict) -> list[OutputFile]:
    return [OutputFile(urls.output_path(alias), redirect_page(links.href(url), links.absolute(url), doc.title, ui))
            for doc, url in published(model) for alias in doc.aliases]


def moved_addresses(before: dict[str, str] | None, now: dict[str, str], model) -> list[Diagnostic]:
    """A warning for each address the last build published for a document and this one does not,
    unless an alias keeps it: at the document's slug (or title) line when it moved, or naming the
    file that is gone, with the `aliases:` line that keeps old links working."""
    if not before:
        return []
    documents = published(model)
    kept = {alias for doc, _ in documents for alias in doc.aliases} | set(now.values())
    by_path = {doc.path: doc for doc, _ in documents}
    problems = []
    for path, old in sorted(before.items()):
        if old in kept:
            continue
        new = now.get(path)
        if new is not None:
            doc = by_path[path]
            moved_folder = old.split("/")[1] != new.split("/")[1]
            key = next((k for k in (("category",) if moved_folder else ()) + ("slug", "title")
                        if k in doc.key_lines), "")
            problems.append(Diagnostic(path, doc.key_lines.get(key) or doc.key_lines.get(""), WARNING,
                                       f"the address of this page moves from {old} to {new}: links already "
                                       f"shared to {old} will break",
                                       f"add the line: aliases: [{old}]"))
        else:
            problems.append(Diagnostic(path, None, WARNING,
                                       f"{old} is no longer published (the file is gone or is a draft): links "
                                       f"already shared to it will break",
                                       f"if another page replaces it, add to that page: aliases: [{old}]"))
    return problems


def moved_map(before: dict[str, str] | None, now: dict[str, str]) -> dict[str, str]:
    """Old site path -> new site path of each document whose address changed (serve follows it)."""
    return {old: now[path] for path, old in (before or {}).items() if path in now and now[path] != old}


class AliasesFeature:
    name = NAME

    def files(self, views):
        ui = dict(views.ui) | {"lang": views.config.language}
        return alias_files(views.model, views.links, ui)


register(AliasesFeature())
