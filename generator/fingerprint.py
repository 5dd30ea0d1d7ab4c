"""Fingerprints: digests of what a page, a file or a whole build is made from.

A page's fingerprint covers its URL, its template name, its view data and the build's shared
inputs (every template and theme.yaml of the chain, the `site`/`ui`/`theme` globals, the image
catalogue the HTML rewriter uses, the generator's code). Two builds that give a page the same
fingerprint write the same bytes for it, so an unchanged fingerprint means the page is neither
rendered nor written.

View data is serialised with pickle in "fast" mode (no memo): the bytes depend only on values and
their types, never on which objects happen to be shared, and a `Markup` differs from a `str` of
the same text (JSON would not tell them apart). Dicts keep insertion order, which views fill in a
fixed order. A value that cannot be pickled gets no fingerprint: its page is always rendered.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Iterable

from generator.cache import code_version


def digest_text(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class Shared(dict):
    """A view dict made once and shown on many pages (an article's card).

    It is serialised once per build, as its digest, wherever it appears: most of a page's view
    data is cards. Like every view dict it must not change once made.
    """

    __slots__ = ()


def _shared(digest: str):      # what a Shared dict stands for inside a fingerprint
    return digest


class BodyHTML:
    """An article's body in view data: the article's `body_html`, read when a template shows it.

    Templates get it through `__html__` (`{{ a.body_html|safe }}`, or autoescaped output) or
    `str()` (filters). In a fingerprint it stands as the body's sha256 (`Article.body_digest`):
    the view data of a batch of pages then holds no bodies (cached ones stay in their pack until
    a render worker reads them, see stored_text.py) and is not serialised with them."""

    __slots__ = ("article",)

    def __init__(self, article):
        self.article = article

    def __html__(self) -> str:
        return self.article.body_html

    def __str__(self) -> str:
        return self.article.body_html

    def __eq__(self, other) -> bool:
        return type(other) is BodyHTML and other.article.body_digest == self.article.body_digest

    def __hash__(self) -> int:
        return hash(self.article.body_digest)


def _body(digest: str):        # what a BodyHTML stands for inside a fingerprint
    return digest


class _Pickler(pickle.Pickler):
    def __init__(self, buffer, memo: dict):
        # Protocol 0 writes texts escaped, not as UTF-8: CPython's binary protocols ask each str
        # for its UTF-8 form, which a non-ASCII str then keeps for life, and the view data lives
        # until rendering ends (57 MiB of a 10,000-article build's 434 MiB peak; 0 costs ~0.25 s).
        super().__init__(buffer, protocol=0)
        self.fast = True     # no memo: shared and unshared equal values give the same bytes
        self.shared_digests = memo

    def reducer_override(self, obj):     # called only for types pickle has no fast path for
        if type(obj) is Shared:
            found = self.shared_digests.get(id(obj))
            if found is None or found[0] is not obj:     # the object is kept, so its id stays its own
                digest = _digest(dict(obj), self.shared_digests)
                if digest is None:
                    raise pickle.PicklingError("shared view dict has no fingerprint")
                found = self.shared_digests[id(obj)] = (obj, digest)
            return (_shared, (found[1],))
        if type(obj) is BodyHTML:
            return (_body, (obj.article.body_digest,))
        return NotImplemented


def _digest(value, memo: dict) -> str | None:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, memo).dump(value)
    except Exception:  # noqa: BLE001 - lambdas, open files, cycles: simply not fingerprinted
        return None
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def canonical_digest(value, memo: dict) -> str | None:
    """`value_digest` with a memo of the Shared dicts serialised so far (kept for one build)."""
    return _digest(value, memo)


def value_digest(value) -> str | None:
    """sha256 of a canonical serialisation of `value`, or None when it cannot be serialised."""
    return _digest(value, {})


class Fingerprinter:
    """Page fingerprints of one build: shared view dicts are serialised once, not per page."""

    def __init__(self, shared: str | None):
        self.shared = shared
        self._memo: dict = {}

    def page(self, url: str, template: str, context: dict) -> str | None:
        return self.key(url, template, self.view(context))

    def view(self, context: dict) -> dict[str, str] | None:
        """The digest of each entry of a page's view data; None when one cannot be serialised.
        One pickler writes them all, one after the other (no memo: each is whole on its own)."""
        buffer = io.BytesIO()
        pickler, found, start = _Pickler(buffer, self._memo), {}, 0
        try:
            for name, value in context.items():
                pickler.dump(value)
                end = buffer.tell()
                with buffer.getbuffer() as written:
                    found[name] = hashlib.sha256(written[start:end]).hexdigest()
                start = end
        except Exception:  # noqa: BLE001 - as _digest
            return None
        return found

    def key(self, url: str, template: str, view: dict[str, str] | None, names=None) -> str | None:
        """The page key from the digests of its view data's entries (`view`), all of them or the
        given `names` only (a page's own key: those it read outside its fragments)."""
        if self.shared is None or view is None:
            return None
        chosen = sorted(view.items()) if names is None else [(name, view.get(name, "")) for name in names]
        return digest_text(self.shared, url, template, *(f"{name}\0{digest}" for name, digest in chosen))


def theme_digest(folders: Iterable[Path]) -> str:
    """Every template and theme.yaml of a theme chain, by relative path and content."""
    h = hashlib.sha256()
    for folder in folders:
        h.update(str(folder).encode() + b"\0")
        spec = folder / "theme.yaml"
        if spec.is_file():
            h.update(b"theme.yaml\0" + spec.read_bytes() + b"\0")
        templates = folder / "templates"
        if templates.is_dir():
            for file in sorted(p for p in templates.rglob("*") if p.is_file()):
                h.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return h.hexdigest()


def render_digest(theme_folders: Iterable[Path], *extra) -> str | None:
    """What the rendering of every page depends on besides its view data and the globals it
    reads (those are recorded, see recorded.py): code, templates and `extra`."""
    shared = value_digest(extra)
    return None if shared is None else digest_text(code_version(), theme_digest(theme_folders), shared)


def globals_digest(env_globals: dict, render_key: str | None) -> str | None:
    """`render_key` (render_digest) and every data global of the Jinja environment: what every
    page of the plan shares (edits.plan_key).

    Callables among the globals (Jinja's own `range`, our `asset`) are code, covered by the code
    digest; everything else must be serialisable, or no page of the build is fingerprinted.
    """
    data = {key: value for key, value in sorted(env_globals.items()) if not callable(value)}
    shared = value_digest(data)
    return None if shared is None or render_key is None else digest_text(render_key, shared)


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(size, mtime in ns) of a file, the cheap test of "did this copy source change"."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns)
