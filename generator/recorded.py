"""Recorded reads: what a page and each shared fragment of it read, noted as they read it.

Rendering a page is a computation of its view data and of the template globals (`site`, `ui`,
`theme`). The view data is the page's own (its fingerprint covers it whole); the globals are
shared by every page, so each page records which of their entries it read: a global is a
`GlobalView` that notes every key read into the computations under way. A page that read
`site.latest` is made again when "Tin mới" changes; one that did not, is not.

A fragment is an included template a theme marks with `{# fragment #}` ("Tin mới", "Nên xem",
cards, the footer): a hint that many pages include it with the same inputs, never a list of them.
Its inputs are recorded the same way, as it reads them from its context: names, and for a dict
(`page`) the keys read (`page.kind`). Within a build a fragment is rendered once per distinct
set of recorded inputs (Salsa's memo: the inputs recorded last time are read again and compared);
across builds, the outermost fragments of a page are left marked in its HTML (`page_spans`), so a
page whose only change is a fragment is spliced, not rendered (splice.py).

Reads of globals are recorded per (name, key): entries of `site` and `ui` are few and each read
whole. Everything here is correct whatever a theme does: a template that reads in ways not
traced (a key of a nested dict, iteration) is recorded as reading the whole value.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Callable

import jinja2
from jinja2.runtime import Context
from jinja2.utils import missing

from generator.fingerprint import canonical_digest

FRAGMENT = re.compile(r"\{#-?\s*fragment\s*-?#\}")
OPEN, CLOSE = "\ue000", "\ue001"       # private-use marks around a page's outermost fragments
WHOLE = None                           # the key of a read of a whole value

_ACTIVE: list["Recorder"] = []         # computations being rendered, the page first (one thread renders)


class Recorder:
    """The reads of one computation: a page (`root` None) or a fragment (its own context)."""

    __slots__ = ("globals_read", "own_globals", "inputs", "root", "initial_vars", "spans", "marks")

    def __init__(self, root: Context | None = None, marks: bool = False):
        self.globals_read: set[tuple] = set()     # (global name, key or WHOLE), its fragments' included
        self.own_globals: set[tuple] = set()      # those read outside its fragments
        self.inputs: dict[tuple, object] = {}     # fragment: (name, key or WHOLE) -> value read
        self.root = root
        self.initial_vars = dict(root.vars) if root is not None else None
        self.spans: list["Fragment"] = []         # page: its outermost fragments, in output order
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


class _Recording(Mapping):
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
        return self.whole() == (other.whole() if isinstance(other, _Recording) else other)

    __hash__ = None

    def __str__(self) -> str:
        return str(self.whole())

    def __reduce__(self):
        return (dict, (self.whole(),))


class GlobalView(_Recording):
    """A template global (`site`, `ui`, `theme`): each key read is noted in every computation
    under way, since each of them shows what it read."""

    __slots__ = ()

    def __init__(self, name: str, data: dict):
        self._name, self._data = name, data

    def _read(self, key) -> None:
        _note_global((self._name, key))


class KeyedView(_Recording):
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
        if owner is None or owner.root is None:
            return value                      # a page's own name: its view data
        env_globals = self.environment.globals
        if key in env_globals and env_globals[key] is value:
            return value                      # a global: noted key by key when read (GlobalView)
        if self is owner.root or (not from_vars and owner.is_input(key, value)):
            return owner.note(key, value)
        return value


# ---- fragments ------------------------------------------------------------------------------

class Fragment:
    """One rendering of a fragment: its HTML and what it read."""

    __slots__ = ("template", "html", "globals_read", "inputs", "_local_key", "_after")

    def __init__(self, template: str, html: str, globals_read: frozenset, inputs: dict):
        self.template, self.html, self.globals_read, self.inputs = template, html, globals_read, inputs
        self._local_key = self._after = False

    def local_key(self, digests: "Digests") -> str | None:
        """Digest of its template and the inputs it read besides globals (None: one of them
        cannot be serialised)."""
        if self._local_key is False:
            parts = [self.template]
            for path, value in sorted(self.inputs.items(), key=lambda item: _path_order(item[0])):
                digest = digests.value(value)
                if digest is None:
                    self._local_key = None
                    return None
                parts.append(f"{path[0]}\0{path[1]}\0{digest}")
            self._local_key = _sha("\n".join(parts))
        return self._local_key

    def after(self, postprocess: Callable[[str], str] | None) -> bytes | None:
        """Its UTF-8 bytes as they stand in a finished page (responsive images rewritten); None
        when it starts or ends inside a tag (then it is never spliced)."""
        if self._after is False:
            data = (self.html if postprocess is None else postprocess(self.html)).encode("utf-8", "surrogatepass")
            self._after = data if _outside_tag(data) else None
        return self._after


class Digests:
    """Digests of the values read in one build: views share dicts, so each is serialised once."""

    __slots__ = ("pickled", "values", "readsets")

    def __init__(self):
        self.pickled: dict = {}      # the fingerprint pickler's memo of Shared dicts
        self.values: dict = {}       # id -> (dict or list, digest)
        self.readsets: dict = {}     # frozenset of global paths -> digest of their values

    def value(self, value) -> str | None:
        if value is missing:
            return "missing"
        if isinstance(value, _Recording):
            value = value._data
        if isinstance(value, (dict, list)):
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
            for name, key in sorted(paths, key=_path_order):
                value = env_globals.get(name, missing)
                value = value._data if isinstance(value, _Recording) else value
                if key is not WHOLE:
                    value = value.get(key, missing) if isinstance(value, dict) else _NOT_A_DICT
                digest = None if value is _NOT_A_DICT else self.value(value)
                if digest is None:
                    parts = None
                    break
                parts.append(f"{name}\0{key}\0{digest}")
            found = self.readsets[paths] = None if parts is None else _sha("\n".join(parts))
        return found


def _path_order(path: tuple) -> tuple:
    return (path[0], "" if path[1] is WHOLE else "\0" + str(path[1]))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _identity(value):
    if isinstance(value, _Recording):
        value = value._data
    return id(value) if isinstance(value, (dict, list)) else (type(value), value)


class _Memo:
    """The renderings of one fragment in this process, found by the inputs they recorded."""

    def __init__(self):
        self.by_reads: dict[tuple, dict] = {}       # recorded (name, key) paths -> values -> Fragment

    def find(self, context: Context) -> Fragment | None:
        vars_, parent = context.vars, context.parent
        for paths, found in self.by_reads.items():
            key = []
            for name, sub in paths:
                value = vars_[name] if name in vars_ else parent.get(name, missing)
                if isinstance(value, _Recording):
                    value = value._data
                if sub is not WHOLE:
                    value = value.get(sub, missing) if type(value) is dict else _NOT_A_DICT
                key.append(id(value) if isinstance(value, (dict, list)) else (type(value), value))
            try:
                hit = found.get(tuple(key))
            except TypeError:                       # an unhashable value: no reuse
                return None
            if hit is not None:
                return hit
        return None

    def add(self, fragment: Fragment) -> None:
        paths = tuple(fragment.inputs)
        try:
            key = tuple(_identity(value) for value in fragment.inputs.values())
            self.by_reads.setdefault(paths, {})[key] = fragment
        except TypeError:
            pass


_NOT_A_DICT = object()


def prepare(env: jinja2.Environment) -> int:
    """Record reads in this environment and memoise its fragments; returns how many there are."""
    env.context_class = RecordingContext
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _plain}
    count = 0
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        try:
            source, _, _ = env.loader.get_source(env, name)
            if not FRAGMENT.search(source[:2000]):
                continue
            template = env.get_template(name)
        except jinja2.TemplateError:
            continue                  # reported by templates.compile_all
        template.root_render_func = _memoised(template.root_render_func, name)
        count += 1
    return count


def _plain(value):
    if isinstance(value, _Recording):
        return value.whole()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _memoised(render, name: str):
    memo = _Memo()

    def root_render_func(context):
        fragment, recorder = memo.find(context), None
        if fragment is None:
            recorder = Recorder(context)
            context.owner = recorder
            _ACTIVE.append(recorder)
            try:
                html = "".join(render(context))
            finally:
                _ACTIVE.pop()
            fragment = Fragment(name, html, frozenset(recorder.globals_read), recorder.inputs)
            memo.add(fragment)
        else:                                          # its reads are its callers' too
            for caller in _ACTIVE:
                caller.globals_read |= fragment.globals_read
        outer = _ACTIVE[-1] if _ACTIVE else None
        if outer is None:
            yield fragment.html
            return
        if outer.root is None and outer.marks:        # outermost: marked, for splicing
            outer.spans.append(fragment)
            yield OPEN + fragment.html + CLOSE
            return
        initial = context.vars if recorder is None else recorder.initial_vars
        for (var, key), value in fragment.inputs.items():    # what came from the outer's inputs is theirs
            if var not in initial and outer.is_input(var, context.parent.get(var, missing)):
                outer.inputs[(var, key)] = value
        yield fragment.html

    return root_render_func


# ---- pages ----------------------------------------------------------------------------------

def begin_page(marks: bool = True) -> Recorder:
    page = Recorder(marks=marks)
    _ACTIVE.clear()
    _ACTIVE.append(page)
    return page


def end_page() -> None:
    _ACTIVE.clear()


_OPEN, _CLOSE = OPEN.encode(), CLOSE.encode()


def page_spans(marked: str, page: Recorder, postprocess) -> tuple[bytes | None, list[tuple[int, int, Fragment]] | None]:
    """The finished page's UTF-8 bytes without its marks, and where each outermost fragment
    stands in them: (start, end, fragment). The spans are None when a fragment does not stand
    there as rendered (captured in a `set` block, or marks inside a tag): such a page is never
    spliced, only rendered. (None, None) when the page's own text holds a mark."""
    data = (marked if postprocess is None else postprocess(marked)).encode("utf-8", "surrogatepass")
    pieces = data.split(_OPEN)
    if len(pieces) != len(page.spans) + 1 or data.count(_CLOSE) != len(page.spans):
        return None, None
    out: list[bytes] = [pieces[0]]
    spans: list[tuple[int, int, Fragment]] = []
    offset = len(pieces[0])
    ok = _outside_tag(pieces[0])
    for fragment, piece in zip(page.spans, pieces[1:]):
        inside, close, rest = piece.partition(_CLOSE)
        if not close or inside != fragment.after(postprocess) or not _outside_tag(rest):
            ok = False
        spans.append((offset, offset + len(inside), fragment))
        offset += len(inside) + len(rest)
        out.append(inside)
        out.append(rest)
    return b"".join(out), (spans if ok else None)


def _outside_tag(data: bytes) -> bool:
    """Whether `data` starts and ends outside any tag: no '>' before its first '<', no '<' after
    its last '>'. A page whose pieces fail is never spliced (the image rewriter works tag by tag);
    a fragment's own HTML is checked once, when it is rendered (Fragment.after)."""
    first_close, first_open = data.find(b">"), data.find(b"<")
    starts = first_close == -1 or (first_open != -1 and first_open < first_close)
    return starts and data.rfind(b"<") <= data.rfind(b">")
