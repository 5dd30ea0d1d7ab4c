"""The honours feature: reads content/honours/**/*.yaml, checks them, indexes them, plans pages."""
from __future__ import annotations

from generator.honours.checks import check_rolls
from generator.honours.index import HonoursIndex, build_index
from generator.honours.pages import honour_files, honour_jobs
from generator.honours.reader import read_roll
from generator.honours.views import HonourViews
from generator.markdown_render import MarkdownRenderer
from generator.model import SiteModel

NAME = "honours"
HOME_ROLLS = 4          # the newest rolls on the home page


class HonoursFeature:
    name = NAME
    kinds = ("honours",)

    def __init__(self):
        self._markdown: dict[str, MarkdownRenderer] = {}
        # path -> (digest, base path, what read_roll returned): `serve` rebuilds after each save,
        # and parsing every roll again (thousands of YAML entries) was a third of an edit's build.
        self._read: dict[str, tuple] = {}

    def read(self, source, ctx):
        base = ctx.config.base_path
        known = self._read.get(source.path)
        if known is not None and known[0] == source.digest and known[1] == base:
            return known[2]         # a frozen HonourRoll and its diagnostics: safe to hand out again
        markdown = self._markdown.get(base) or self._markdown.setdefault(base, MarkdownRenderer(base))
        result = read_roll(source.data, source.path, markdown)
        self._read[source.path] = (source.digest, base, result)
        return result

    def check(self, docs, ctx):
        return check_rolls(docs.other.get("honours", []), docs.articles, docs.campaigns, set(ctx.media),
                           ctx.today, ctx.options.drafts)

    def extend(self, model: SiteModel, docs, ctx) -> HonoursIndex:
        rolls = [r for r in docs.other.get("honours", []) if ctx.options.drafts or not r.draft]
        return build_index(rolls, model.articles)

    def plan(self, views):
        index = honours_index(views.model)
        if index is None or (not index.rolls and not _linked(views)):
            return []
        return honour_jobs(HonourViews(views, index))

    def home(self, views) -> dict:
        """The newest honour rolls, for the home page (HonourViews.roll_ref)."""
        index = honours_index(views.model)
        if not index or not index.rolls:
            return {}
        rolls = HonourViews(views, index)
        return {"honour_rolls": [rolls.roll_ref(roll) for roll in index.rolls[:HOME_ROLLS]]}

    def files(self, views):
        index = honours_index(views.model)
        return honour_files(index) if index else []


def honours_index(model: SiteModel) -> HonoursIndex | None:
    """The honours index of a built model (None when the feature did not run)."""
    return model.extras.get(NAME)


def _linked(views) -> bool:
    """Whether the site links /vinh-danh/ (its menu does by default), so the page must exist."""
    return any(item.url.rstrip("/").endswith("/vinh-danh") for item in views.config.menu)
