"""The site model as page views read it: named queries, each recorded with a digest of its answer.

A page's view data (views.py) is made by a `ViewCall`: a named view with plain arguments. While
it runs, every query it makes of the model (`article`, `members`, `size`, `newer`, …) is noted
with its arguments; the page's record (page_records.py) keeps the list and one digest over the
answers. The next build asks the same queries again, which is cheap, and when the digest is the
same the view data would be too: the page keeps its page key without its view data being made
(page_pass.render_plan). Nothing lists which fields a view uses: the reads are what it did.

An article in an answer stands for its source's sha256 (with what every view shares,
`view_setting`: configuration, UI strings, the day, templates, images, code), so a view reading only
cards is still made again when an article it shows is edited. A view that reads the model
otherwise, through `Views.model`, records the whole model as read: it is made again after any
change of content — slower, never stale.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from generator.documents import Article
from generator.fingerprint import digest_text

WHOLE_MODEL = ("model",)


def view_setting(render_digest: str | None, config, today, strings: dict) -> str:
    """What every page view reads besides the model: configuration, UI strings, the day, and the
    code, templates and images (`render_digest`, fingerprint.render_digest; None when nothing is
    written, and then no record is read)."""
    return digest_text(render_digest or "", repr(config), today.isoformat(),
                       json.dumps(strings, sort_keys=True, ensure_ascii=False))


@dataclass(frozen=True, slots=True)
class ViewReads:
    """What one page's view data was made from: its view call, its queries and their digest."""

    call: tuple               # (view name, *arguments)
    queries: tuple            # each (query name, *arguments), in the order first asked
    digest: str               # of the setting, the call and every answer


class ModelReads:
    """Named queries of one build's model, recorded while a page view is being made."""

    def __init__(self, model, source_digests: dict[str, str], setting: str = "", whole: str = ""):
        self.model = model
        self.setting = setting            # what every view reads besides the model
        self._sources = source_digests    # source path -> sha256 of its bytes
        self._whole = whole               # digest of every source: the whole model's
        self._answers: dict[tuple, str] = {}
        self._noting: dict[tuple, None] | None = None

    # ---- the queries -------------------------------------------------------------------
    def article(self, key: str) -> Article | None:
        found = self.model.by_key.get(key)
        self._note(("article", key), found)
        return found

    def members(self, index: str, key: str | None, start: int = 0, stop: int | None = None) -> tuple:
        """Articles `start:stop` of an index: "all", "category", "tag", "author", "series",
        "campaign", "related", "interesting"."""
        found = self._index(index, key)[start:stop]
        self._note(("members", index, key, start, stop), found)
        return found

    def size(self, index: str, key: str | None) -> int:
        found = len(self._index(index, key))
        self._note(("size", index, key), found)
        return found

    def newer(self, key: str, count: int) -> tuple:
        """The `count` articles just newer than `key`'s, nearest first."""
        position = self.model.position[key]
        found = tuple(reversed(self.model.articles[max(0, position - count):position]))
        self._note(("newer", key, count), found)
        return found

    def older(self, key: str, count: int) -> tuple:
        position = self.model.position[key]
        found = self.model.articles[position + 1:position + 1 + count]
        self._note(("older", key, count), found)
        return found

    def taxon_name(self, kind: str, slug: str) -> str:
        """A tag's, author's or series' display name (the newest article's spelling)."""
        taxon = self._taxa(kind).get(slug)
        found = taxon.name if taxon is not None else slug
        self._note(("taxon_name", kind, slug), found)
        return found

    def campaign_title(self, slug: str) -> str | None:
        found = next((c.title for c in self.model.campaigns if c.slug == slug), None)
        self._note(("campaign_title", slug), found)
        return found

    def whole(self):
        """The model itself: its reader depends on all of it."""
        if self._noting is not None:
            self._noting[WHOLE_MODEL] = None
        return self.model

    # ---- recording ---------------------------------------------------------------------
    def recording(self, call: tuple, make: Callable[[], Any]) -> tuple[Any, ViewReads]:
        """Run `make` (a view), noting the queries it asks; returns its value and its reads."""
        outer, self._noting = self._noting, {}
        try:
            value = make()
            queries = tuple(self._noting)
        finally:
            self._noting = outer
        return value, ViewReads(call, queries, self.digest(call, queries))

    def digest(self, call: tuple, queries: tuple) -> str | None:
        """The digest of `queries` asked now, for `call`; None when one cannot be asked."""
        answers = []
        for query in queries:
            answer = self._answers.get(query)
            if answer is None:
                answer = self._ask(query)
                if answer is None:
                    return None
            answers.append(answer)
        return digest_text(self.setting, repr(call), *answers)

    def _note(self, query: tuple, found) -> None:
        if query not in self._answers:
            self._answers[query] = self._answer(found)
        if self._noting is not None:
            self._noting[query] = None

    def _ask(self, query: tuple) -> str | None:
        """Ask a query recorded by an earlier build (unrecorded); None if it no longer can be."""
        if query == WHOLE_MODEL:
            return self._whole
        method = _QUERIES.get(query[0]) if query else None
        if method is None:
            return None
        noting, self._noting = self._noting, None
        try:
            method(self, *query[1:])
        except (KeyError, TypeError, ValueError, IndexError):
            return None            # an article no longer published, arguments of another shape
        finally:
            self._noting = noting
        return self._answers.get(query)

    def _answer(self, found) -> str:
        """The answer as text (hashed once per page, in `digest`): an article is its path and
        its source's sha256."""
        sources = self._sources
        if isinstance(found, tuple):
            return "\1".join([a.path + "\0" + sources.get(a.path, "") for a in found])
        if isinstance(found, Article):
            return found.path + "\0" + sources.get(found.path, "")
        return repr(found)

    def _index(self, index: str, key: str | None) -> tuple:
        m = self.model
        if index == "all":
            return m.articles
        if index == "category":
            return m.by_category.get(key, ())
        if index in ("tag", "author", "series"):
            taxon = self._taxa(index).get(key)
            return taxon.articles if taxon is not None else ()
        return {"campaign": m.by_campaign, "related": m.related, "interesting": m.interesting}[index].get(key, ())

    def _taxa(self, kind: str) -> dict:
        return {"tag": self.model.tags, "author": self.model.authors, "series": self.model.series}[kind]


_QUERIES = {"article": ModelReads.article, "members": ModelReads.members, "size": ModelReads.size,
            "newer": ModelReads.newer, "older": ModelReads.older, "taxon_name": ModelReads.taxon_name,
            "campaign_title": ModelReads.campaign_title}


@dataclass(frozen=True, slots=True)
class ViewCall:
    """View data made later by the named view of `views` from plain arguments, with its model
    reads recorded (RenderJob.made)."""

    views: Any
    name: str
    args: tuple

    @property
    def call(self) -> tuple:
        return (self.name, *self.args)

    def make(self) -> tuple[dict, ViewReads]:
        return self.views.reads.recording(self.call, lambda: getattr(self.views, self.name)(*self.args))
