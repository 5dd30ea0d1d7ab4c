"""One page to render, as the page plan hands it to the renderer (routes.py, the features' planners)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from generator import urls


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One page to render: where it goes, with which template, and its view data."""

    url: str          # site path, e.g. "/thoi-su/x/"
    template: str
    # The view data, or a function that makes it: the pipeline makes it only when the page's
    # batch is fingerprinted and rendered, so the view data of 100,000 article pages is never
    # held at once (the planners of the many pages, articles and lists, give functions).
    context: dict | Callable[[], dict]

    @property
    def output_path(self) -> str:
        return urls.output_path(self.url)

    def made(self) -> "RenderJob":
        """This job with its view data made."""
        return RenderJob(self.url, self.template, self.context()) if callable(self.context) else self
