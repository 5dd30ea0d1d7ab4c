"""One page to render, as the page plan hands it to the renderer (routes.py, the features' planners)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from generator import urls
from generator.model_reads import ViewCall, ViewReads


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One page to render: where it goes, with which template, and its view data."""

    url: str          # site path, e.g. "/thoi-su/x/"
    template: str
    # The view data, or a function that makes it: the pipeline makes it only when the page's
    # batch is fingerprinted and rendered, so the view data of 100,000 article pages is never
    # held at once (the planners of the many pages, articles and lists, give functions).
    context: dict | ViewCall | Callable[[], dict]
    reads: ViewReads | None = None    # what the view data was made from, when made from a ViewCall

    @property
    def output_path(self) -> str:
        return urls.output_path(self.url)

    @property
    def view_call(self) -> tuple | None:
        """The view call that makes this page's view data, if its model reads are recorded."""
        return self.context.call if isinstance(self.context, ViewCall) else None

    def made(self) -> "RenderJob":
        """This job with its view data made (and, from a ViewCall, its model reads recorded)."""
        if isinstance(self.context, ViewCall):
            return RenderJob(self.url, self.template, *self.context.make())
        return RenderJob(self.url, self.template, self.context()) if callable(self.context) else self
