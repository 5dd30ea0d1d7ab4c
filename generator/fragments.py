"""Shared HTML fragments rendered once per build instead of once per page.

A theme marks an included template as pure with a comment naming everything it reads besides the
globals (`site`, `ui`, `theme`), e.g. in _card.html:

    {# pure: card size heading sizes #}

Every include of that template with the same values then reuses the first rendering: a card in
"Nên xem" on 12,000 pages is rendered once, not 12,000 times. Values are compared by identity for
dicts and lists (views make each card once and share it) and by value otherwise; a dotted name
(`page.kind`) reads one field. A template without the comment, such as a child theme's override
that reads more, is rendered every time as usual, so a wrong cache is only possible if the comment
itself is wrong.
"""
from __future__ import annotations

import re

import jinja2

PURE = re.compile(r"\{#-?\s*pure:([\w\s.]*?)-?#\}")
_MISSING = object()


def pure_inputs(source: str) -> tuple[str, ...] | None:
    """The names a template declares it reads, or None when it is not marked pure."""
    match = PURE.search(source[:2000])
    return tuple(match.group(1).split()) if match else None


def memoize_pure_templates(env: jinja2.Environment) -> int:
    """Wrap every pure template of the environment; returns how many were found."""
    count = 0
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        try:
            source, _, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            continue
        names = pure_inputs(source)
        if names is None:
            continue
        try:
            template = env.get_template(name)
        except jinja2.TemplateError:
            continue      # reported by templates.compile_all
        template.root_render_func = _memoized(template.root_render_func, names)
        count += 1
    return count


def _memoized(render, names: tuple[str, ...]):
    rendered: dict[tuple, tuple[list, str]] = {}

    def root_render_func(context):
        values = [_lookup(context, name) for name in names]
        key = tuple(id(v) if isinstance(v, (dict, list)) else v for v in values)
        try:
            found = rendered.get(key)
        except TypeError:            # an unhashable value: render as usual
            yield from render(context)
            return
        if found is None:
            found = rendered[key] = (values, "".join(render(context)))   # values keep their ids alive
        yield found[1]

    return root_render_func


def _lookup(context, dotted: str):
    head, *rest = dotted.split(".")
    value = context.get(head, _MISSING)
    for part in rest:
        value = value.get(part, _MISSING) if isinstance(value, dict) else getattr(value, part, _MISSING)
    return value
