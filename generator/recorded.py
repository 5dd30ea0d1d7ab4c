"""Recorded reads: what a page and each shared fragment of it read, noted as they read it.

Rendering a page is a computation of its view data and of the template globals (`site`, `ui`,
`theme`). The view data is the page's own (its fingerprint covers it whole); the globals are
shared by every page, so each page records which of their entries it read: a global is a
`GlobalView` that notes every key read into the computations under way. A page that read
`site.latest` is made again when "Tin mới" changes; one that did not, is not.

A fragment (fragments.py: an included template marked `{# fragment #}`) records its inputs the
same way, as it reads them from its context (`RecordingContext`): names, and for a dict (`page`)
the keys read (`page.kind`).

Reads of globals are recorded per (name, key): entries of `site` and `ui` are few and each read
whole. Everything here is correct whatever a theme does: a template that reads in ways not
traced (a key of a nested dict, iteration) is recorded as reading the whole value.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping

from jinja2.runtime import Context
from jinja2.utils import missing

from generator.fingerprint import Shared, canonical_digest

WHOLE = None                           # the key of a read of a whole value

_ACTIVE: list["Recorder"] = []         # computations being rendered, the page first (one thread renders)


class Recorder:
    """The reads of one computation: a page (`root` None) or a fragment (its own context)."""

    __slots__ = ("globals_read", "own_globals", "inputs", "own_names", "root", "initial_vars", "spans", "marks")

    def __init__(self, root: Context | None = None, marks: bool = False):
        self.globals_read: set[tuple] = set()     # (global name, key or WHOLE), its fragments' included
        self.own_globals: set[tuple] = set()      # those read outside its fragments
        self.inputs: dict[tuple, object] = {}     # fragment: (name, key or WHOLE) -> value read
        self.own_names: set[str] = set()          # page: names it resolved outside its fragments
        self.root = root
        self.initial_vars = dict(root.vars) if root is not None else None
        self.spans: list = []                     # page: its outermost fragments, in order (fragments.Placed)
        self.marks = marks                        # page: leave marks around them (page_spans)

    def is_input(self, name: str, value) -> bool:
        """Whether a name resolved in a context this fragment made comes from the fragment's inputs
        (and not from its own `set` or loop variables)."""
        if self.root is None:
            return False                          # a page's own names are its view data
        if value is missing:
            return True                           # absent from the inputs: that matters too
        if name in self.initial_vars:
            return self.initial_vars[name] is value
        return self.root.parent.get(name, missing) is value

    def note(self, name: str, value):
        if type(value) is dict:
            return KeyedView(self, name, value)
        self.inputs[(name, WHOLE)] = value
        return value


def _note_global(path: tuple) -> None:
    for recorder in _ACTIVE:
        recorder.globals_read.add(path)
    if _ACTIVE:
        _ACTIVE[-1].own_globals.add(path)


class Recording(Mapping):
    """A dict whose reads are noted: key by key, or whole when iterated, sized or compared."""

    __slots__ = ("_name", "_data")

    def _read(self, key) -> None:
        raise NotImplementedError

    def __getitem__(self, key):
        self._read(key)
        return self._data[key]

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        self._read(key)
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    def __contains__(self, key) -> bool:
        self._read(key)
        return key in self._data

    def whole(self) -> dict:
        self._read(WHOLE)
        return self._data

    def __iter__(self):
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())

    def __eq__(self, other) -> bool:
        return self.whole() == (other.whole() if isinstance(other, Recording) else other)

    __hash__ = None

    def __str__(self) -> str:
        return str(self.whole())

    def __reduce__(self):
        return (dict, (self.whole(),))


class GlobalView(Recording):
    """A template global (`site`, `ui`, `theme`): each key read is noted in every computation
    under way, since each of them shows what it read."""

    __slots__ = ()

    def __init__(self, name: str, data: dict):
        self._name, self._data = name, data

    def _read(self, key) -> None:
        _note_global((self._name, key))


class KeyedView(Recording):
    """A dict a fragment resolved from its inputs (`page`): the keys it reads become its inputs."""

    __slots__ = ("_recorder",)

    def __init__(self, recorder: Recorder, name: str, data: dict):
        self._recorder, self._name, self._data = recorder, name, data

    def _read(self, key) -> None:
        self._recorder.inputs[(self._name, key)] = self._data if key is WHOLE else self._data.get(key, missing)


class RecordingContext(Context):
    """Jinja's context, noting the names a fragment resolves from its inputs (Environment.context_class)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = _ACTIVE[-1] if _ACTIVE else None

    def resolve_or_missing(self, key: str):
        vars_ = self.vars
        if key in vars_:
            value, from_vars = vars_[key], True
        else:
            value, from_vars = self.parent.get(key, missing), False
        owner = self.owner
        if owner is None:
            return value
        if owner.root is None:                # a page's own read (its view data, or its own variables)
            owner.own_names.add(key)
            return value
        env_globals = self.environment.globals
        if key in env_globals and env_globals[key] is value:
            return value                      # a global: noted key by key when read (GlobalView)
        if self is owner.root or (not from_vars and owner.is_input(key, value)):
            return owner.note(key, value)
        return value


class Digests:
    """Digests of the values read in one build: views share dicts, so each is serialised once."""

    __slots__ = ("pickled", "values", "readsets")

    def __init__(self):
        self.pickled: dict = {}      # the fingerprint pickler's memo of Shared dicts
        self.values: dict = {}       # id -> (Shared dict, digest)
        self.readsets: dict = {}     # frozenset of global paths -> digest of their values

    def value(self, value) -> str | None:
        if value is missing:
            return "missing"
        if isinstance(value, Recording):
            value = value._data
        # Only shared dicts (cards) are kept by identity: a page's own view data is digested once
        # or twice and must not be held for the rest of the build (at 10,000 articles that held
        # every page's view data: +90 MiB); globals are digested once per read set (below).
        if isinstance(value, Shared):
            found = self.values.get(id(value))
            if found is None or found[0] is not value:
                found = self.values[id(value)] = (value, canonical_digest(value, self.pickled))
            return found[1]
        return canonical_digest(value, self.pickled)

    def globals(self, paths: frozenset, env_globals: dict) -> str | None:
        """Digest of what `paths` (global name, key or WHOLE) hold in this build's globals."""
        found = self.readsets.get(paths, False)
        if found is False:
            parts = []
            for name, key in sorted(paths, key=path_order):
                value = env_globals.get(name, missing)
                value = value._data if isinstance(value, Recording) else value
                if key is not WHOLE:
                    value = value.get(key, missing) if isinstance(value, dict) else NOT_A_DICT
                digest = None if value is NOT_A_DICT else self.value(value)
                if digest is None:
                    parts = None
                    break
                parts.append(f"{name}\0{key}\0{digest}")
            found = self.readsets[paths] = None if parts is None else short_digest("\n".join(parts))
        return found


def path_order(path: tuple) -> tuple:
    return (path[0], "" if path[1] is WHOLE else "\0" + str(path[1]))


def short_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


NOT_A_DICT = object()


def push(recorder: Recorder) -> None:
    _ACTIVE.append(recorder)


def pop() -> None:
    _ACTIVE.pop()


def active() -> list[Recorder]:
    """The computations under way, the page first."""
    return _ACTIVE


def begin_page(marks: bool = True) -> Recorder:
    """Start recording a page (one page at a time: one thread renders)."""
    page = Recorder(marks=marks)
    _ACTIVE.clear()
    _ACTIVE.append(page)
    return page


def end_page() -> None:
    _ACTIVE.clear()
