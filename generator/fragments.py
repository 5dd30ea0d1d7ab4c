"""Fragments: included templates rendered once per distinct set of recorded inputs, and marked
in their page so a later build can splice them (splice.py).

A theme marks a fragment with `{# fragment #}` ("Tin mới", "Nên xem", cards, the footer): a hint
that many pages include it with the same inputs, never a list of them. What it reads is recorded
(recorded.py); within a build it is rendered once per distinct set of recorded values (Salsa's
memo: the inputs recorded last time are looked up again and compared). A page's outermost
fragments are left marked in its HTML while it renders; `page_spans` takes the marks out and
says where each fragment stands in the page's bytes.
"""
from __future__ import annotations

import re
from typing import Callable, NamedTuple

import jinja2
from jinja2.runtime import Context
from jinja2.utils import missing

from generator.recorded import (NOT_A_DICT, WHOLE, Digests, Recorder, Recording, RecordingContext, active,
                                path_order, pop, push, short_digest)

FRAGMENT = re.compile(r"\{#-?\s*fragment\s*-?#\}")
OPEN, CLOSE = "\ue000", "\ue001"       # private-use marks around a page's outermost fragments


class Fragment:
    """One rendering of a fragment: its HTML and what it read."""

    __slots__ = ("template", "html", "globals_read", "inputs", "_local_key", "_after", "_names")

    def __init__(self, template: str, html: str, globals_read: frozenset, inputs: dict):
        self.template, self.html, self.globals_read, self.inputs = template, html, globals_read, inputs
        self._local_key = self._after = False
        self._names: tuple | None = None

    def names(self) -> tuple:
        """The names its inputs were read under (`page` for `page.kind`), each once."""
        if self._names is None:
            self._names = tuple(dict.fromkeys(name for name, _ in self.inputs))
        return self._names

    def local_key(self, digests: "Digests") -> str | None:
        """Digest of its template and the inputs it read besides globals (None: one of them
        cannot be serialised)."""
        if self._local_key is False:
            parts = self.parts(digests)
            self._local_key = None if parts is None else local_key(self.template, parts)
        return self._local_key

    def parts(self, digests: "Digests") -> list[tuple] | None:
        """Its inputs as (name, key, digest of the value), in order; None as for local_key."""
        parts = []
        for path, value in sorted(self.inputs.items(), key=lambda item: path_order(item[0])):
            digest = digests.value(value)
            if digest is None:
                return None
            parts.append((path[0], path[1], digest))
        return parts


    def after(self, postprocess: Callable[[str], str] | None) -> bytes | None:
        """Its UTF-8 bytes as they stand in a finished page (responsive images rewritten); None
        when it starts or ends inside a tag (then it is never spliced)."""
        if self._after is False:
            data = (self.html if postprocess is None else postprocess(self.html)).encode("utf-8", "surrogatepass")
            self._after = data if _outside_tag(data) else None
        return self._after


def local_key(template: str, parts) -> str:
    """The key of a fragment's rendering by its template and inputs (name, key, digest)."""
    return short_digest("\n".join([template, *(f"{name}\0{key}\0{digest}" for name, key, digest in parts)]))


class Placed(NamedTuple):
    """An outermost fragment as a page placed it: the fragment, and the dicts and lists its
    inputs named in this page's context (not a `with` or loop variable of the include)."""

    fragment: Fragment
    bound: dict


def _bound(fragment: Fragment, context: Context) -> dict:
    bound, own, parent = {}, context.vars, context.parent
    for name in fragment.names():
        if name not in own:
            value = parent.get(name, missing)
            if type(value) is dict or type(value) is list:
                bound[name] = value
    return bound


def _identity(value):
    """What finds a rendering again: a dict by identity (views share them: cards), a list by the
    identity of its items (each page's view makes its own list, of shared cards: "Cùng chuyên
    mục" is the same five cards on most pages of a category), anything else by value. The memo
    holds the values it was given, so no identity it keys by is reused."""
    if isinstance(value, Recording):
        value = value._data
    if type(value) is list:
        return (list, *map(id, value))
    return id(value) if isinstance(value, dict) else (type(value), value)


class _Memo:
    """The renderings of one fragment in this process, found by the inputs they recorded."""

    def __init__(self):
        self.by_reads: dict[tuple, dict] = {}       # recorded (name, key) paths -> values -> Fragment

    def find(self, context: Context) -> Fragment | None:
        # The lookup and _identity written out: this runs at every include of every page (~225,000
        # times at 10,000 articles); with two calls per input it took 4.5 s under cProfile, 2.8 s so.
        vars_, parent = context.vars, context.parent
        for paths, found in self.by_reads.items():
            key = []
            for name, sub in paths:
                value = vars_[name] if name in vars_ else parent.get(name, missing)
                if isinstance(value, Recording):
                    value = value._data
                if sub is not WHOLE:
                    value = value.get(sub, missing) if type(value) is dict else NOT_A_DICT
                key.append((list, *map(id, value)) if type(value) is list
                           else id(value) if isinstance(value, dict) else (type(value), value))
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
    if isinstance(value, Recording):
        return value.whole()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _memoised(render, name: str):
    memo = _Memo()

    def root_render_func(context):
        fragment, recorder = memo.find(context), None
        if fragment is None:
            recorder = Recorder(context)
            context.owner = recorder
            push(recorder)
            try:
                html = "".join(render(context))
            finally:
                pop()
            fragment = Fragment(name, html, frozenset(recorder.globals_read), recorder.inputs)
            memo.add(fragment)
        else:                                          # its reads are its callers' too
            for caller in active():
                caller.globals_read |= fragment.globals_read
        outer = active()[-1] if active() else None
        if outer is None:
            yield fragment.html
            return
        if outer.root is None and outer.marks:        # outermost: marked, for splicing
            outer.spans.append(Placed(fragment, _bound(fragment, context)))
            yield OPEN + fragment.html + CLOSE
            return
        initial = context.vars if recorder is None else recorder.initial_vars
        for (var, key), value in fragment.inputs.items():    # what came from the outer's inputs is theirs
            if var not in initial and outer.is_input(var, context.parent.get(var, missing)):
                outer.inputs[(var, key)] = value
        yield fragment.html

    return root_render_func


# ---- pages ----------------------------------------------------------------------------------

_OPEN, _CLOSE = OPEN.encode(), CLOSE.encode()


def page_spans(marked: str, page: Recorder, postprocess) -> tuple[bytes | None, list[tuple[int, int, Placed]] | None]:
    """The finished page's UTF-8 bytes without its marks, and where each outermost fragment
    stands in them: (start, end, placed fragment). The spans are None when a fragment does not stand
    there as rendered (captured in a `set` block, or marks inside a tag): such a page is never
    spliced, only rendered. (None, None) when the page's own text holds a mark."""
    data = (marked if postprocess is None else postprocess(marked)).encode("utf-8", "surrogatepass")
    pieces = data.split(_OPEN)
    if len(pieces) != len(page.spans) + 1 or data.count(_CLOSE) != len(page.spans):
        return None, None
    out: list[bytes] = [pieces[0]]
    spans: list[tuple[int, int, Placed]] = []
    offset = len(pieces[0])
    ok = _outside_tag(pieces[0])
    for placed, piece in zip(page.spans, pieces[1:]):
        inside, close, rest = piece.partition(_CLOSE)
        if not close or inside != placed.fragment.after(postprocess) or not _outside_tag(rest):
            ok = False
        spans.append((offset, offset + len(inside), placed))
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
