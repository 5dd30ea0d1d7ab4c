"""Internal links and images in Markdown bodies, checked against the planned pages and files.

Runs once the page plan is known, so a link to `/thoi-su/x/` is checked against the URLs the build
will really write, not against a guess. External links are not fetched: builds stay offline.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import urls
from generator.diagnostics import Diagnostic, ERROR, WARNING, did_you_mean

UNSAFE_SCHEMES = ("javascript", "data", "vbscript")
SKIPPED_SCHEMES = ("mailto", "tel", "sms", "geo")


class Targets:
    """Every site path a link may point to: planned pages, generated files, media, theme files.

    Asked one path at a time: a body edit's build checks a handful of links against ~12,000
    pages, which `pages` may hold as output paths (urls.PageURLs) rather than as URLs made one by
    one. Every path is listed only to suggest a near one for a broken link."""

    def __init__(self, pages, file_paths, media, static_dirs: list[Path]):
        self.pages, self.files, self.media, self.static_dirs = pages, set(file_paths), media, static_dirs
        self._static: set[str] | None = None

    def __contains__(self, path: str) -> bool:
        if path in self.media or path in self.pages:
            return True
        rel = path[1:] if path.startswith("/") else None
        if rel is not None and (rel in self.files or rel + "index.html" in self.files):
            return True          # a generated file, or the folder of a generated index.html
        return path.startswith("/static/") and path in self.static()

    def __iter__(self):
        folders = {"/" + p[: -len("index.html")] for p in self.files if p.endswith("index.html")}
        return iter({*self.pages, *self.media, *("/" + p for p in self.files), *folders, *self.static()})

    def static(self) -> set[str]:
        if self._static is None:
            self._static = {"/static/" + f.relative_to(folder).as_posix()
                            for folder in self.static_dirs for f in folder.rglob("*") if f.is_file()}
        return self._static


def known_targets(page_urls, file_paths, media, static_dirs: list[Path]) -> Targets:
    """The Targets of a build: `page_urls` a collection of site paths of pages."""
    return Targets(page_urls if isinstance(page_urls, (set, frozenset, urls.PageURLs)) else set(page_urls),
                   file_paths, media, static_dirs)


def document_url(doc, article_pattern: str) -> str | None:
    """The URL a document is published at, to resolve relative links against; None if unknown."""
    kind = type(doc).__name__
    if kind == "Article":
        return urls.article(doc, article_pattern)
    if kind == "Page":
        return urls.page(doc.slug)
    if kind == "Campaign":
        return urls.campaign(doc.slug)
    return None


def check_links(documents, known: Targets, held_back: set[str], base_url: str,
                article_pattern: str) -> list[Diagnostic]:
    """Every broken internal link or image in the given documents' bodies.

    `held_back` holds the URLs of articles that exist but are drafts or not yet due: a link to one
    is a warning, since it starts to work on the day the article is published.
    """
    problems = []
    base_path = urlsplit(base_url).path or "/"
    for doc in documents:
        here = document_url(doc, article_pattern)
        for kind, targets in (("link", getattr(doc, "links", ())), ("image", getattr(doc, "images", ()))):
            for target in dict.fromkeys(targets):
                problem = _check_one(target, kind, here, known, held_back, base_url, base_path)
                if problem:
                    severity, message, hint = problem
                    line = doc.key_lines.get(f"{kind}:{target}") or doc.key_lines.get("")
                    problems.append(Diagnostic(doc.path, line, severity, message, hint))
    return problems


def _check_one(target: str, kind: str, here: str | None, known: Targets, held_back: set[str],
               base_url: str, base_path: str):
    """(severity, message, hint) for a broken target, or None when it is fine or not ours to check."""
    text = target.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in UNSAFE_SCHEMES:
        return (WARNING, f"{kind} '{_short(text)}' uses an unsafe '{scheme}:' address and is removed",
                "link to a page or to a file under /media/")
    if text.startswith(base_url):
        text = "/" + text[len(base_url):]
        parts = urlsplit(text)
    elif scheme or text.startswith("//") or not parts.path:
        return None          # external, mail or phone, or a '#fragment' on the same page
    if kind == "image" and parts.path.startswith("/media/"):
        return None          # reported with the other media checks in validate.check_media
    path = unquote(parts.path)
    if not path.startswith("/"):
        if here is None:
            return None
        path = here.rsplit("/", 1)[0] + "/" + path
    resolved = _resolve(path)
    if resolved is None:
        return (ERROR, f"{kind} '{_short(text)}' climbs out of the site ('..')",
                "write the site path of the page, e.g. /thoi-su/ten-bai/, or /media/… for a file")
    if _found(resolved, known):
        return None
    if base_path != "/" and resolved.startswith(base_path) and _found("/" + resolved[len(base_path):], known):
        return (ERROR, f"{kind} '{_short(text)}' repeats the site's base path {base_path}",
                f"write it from the site root: /{resolved[len(base_path):]}")
    if any(_found_in(resolved, held_back)):
        return (WARNING, f"{kind} '{_short(text)}' points to an article that is a draft or not yet due",
                "the link works from the day that article is published")
    if not resolved.endswith("/") and _found(resolved + "/", known):
        return (WARNING, f"{kind} '{_short(text)}' lacks its final '/'", f"write {resolved}/")
    what = "page" if kind == "link" else "file"
    return (ERROR, f"{kind} '{_short(text)}' points to a {what} that does not exist",
            did_you_mean(resolved, sorted(known)) or _default_hint(resolved))


def _resolve(path: str) -> str | None:
    """Collapse '.' and '..' segments; None when the path climbs above the site root."""
    segments: list[str] = []
    parts = path.split("/")
    for segment in parts[1:-1]:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not segments:
                return None
            segments.pop()
        else:
            segments.append(segment)
    last = parts[-1]
    if last == "..":
        if not segments:
            return None
        segments.pop()
        last = ""
    elif last == ".":
        last = ""
    return "/" + "".join(s + "/" for s in segments) + last


def _found(path: str, known: Targets) -> bool:
    return any(_found_in(path, known))


def _found_in(path: str, known: Targets):
    yield path in known
    if path.endswith("/index.html"):
        yield path[: -len("index.html")] in known


def _default_hint(path: str) -> str:
    if path.startswith("/media/"):
        return "put the file under content/media/"
    return "copy the address of the page from the built site, e.g. /thoi-su/ten-bai/"


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


def check_site_links(docs, page_urls, file_paths, ctx, only: frozenset[str] | None = None) -> list[Diagnostic]:
    """The pipeline's entry: every body link of every document (of those at the paths `only`,
    when given) against this build's pages and files."""
    from generator.model import is_published

    documents = [*docs.articles, *docs.pages, *docs.campaigns,
                 *(d for kind in docs.other.values() for d in kind if hasattr(d, "links") and hasattr(d, "key_lines"))]
    if only is not None:
        documents = [doc for doc in documents if doc.path in only]
    known = known_targets(page_urls, file_paths, ctx.media,
                          ctx.theme.static_dirs if ctx.theme else [])
    held_back = {urls.article(a, ctx.config.permalinks.article) for a in docs.articles
                 if not is_published(a, ctx.today, ctx.options.drafts)}
    return check_links(documents, known, held_back, ctx.config.base_url, ctx.config.permalinks.article)
