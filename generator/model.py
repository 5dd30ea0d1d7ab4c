"""The site model: every index the pages need, built whole from the documents by pure functions."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.config import SiteConfig
from generator.documents import Article, Campaign, Page
from generator.vietnamese import slugify

# How many same-tag neighbours (by date) are scored for "Có thể bạn quan tâm"; bounded so the
# cost stays linear in the number of articles.
TAG_WINDOW = 12


@dataclass(frozen=True)
class Taxon:
    """A tag, author or series: the slug used in URLs, its display name and its articles."""

    slug: str
    name: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class SiteModel:
    config: SiteConfig
    today: dt.date
    articles: tuple[Article, ...]                 # published, newest first
    by_key: dict[str, Article]
    by_category: dict[str, tuple[Article, ...]]   # a parent category includes its children's
    tags: dict[str, Taxon]
    authors: dict[str, Taxon]
    series: dict[str, Taxon]
    by_campaign: dict[str, tuple[Article, ...]]
    related: dict[str, tuple[Article, ...]]       # article key -> its resolved `related:` list
    interesting: Interesting                      # article key -> articles sharing tags (a Mapping)
    position: dict[str, int]                      # article key -> index in `articles`
    pages: tuple[Page, ...]
    campaigns: tuple[Campaign, ...]
    media: dict[str, Path] = field(default_factory=dict)
    extras: dict = field(default_factory=dict)    # indexes added by feature modules (honours, …)


def is_published(article: Article, today: dt.date, drafts: bool) -> bool:
    """Drafts only with --drafts; an article dated after `today` is held back until its day."""
    return (drafts or not article.draft) and article.date.date() <= today


def slug_index(articles) -> dict[str, list[Article]]:
    """Bare slug -> the articles that carry it (several when categories share a slug)."""
    index: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        index[article.slug].append(article)
    return index


def resolve_reference(ref: str, by_slug: dict[str, list[Article]], by_key: dict[str, Article]) -> list[Article]:
    """Articles a `related:`/`article:` reference names: "slug" or "category/slug"."""
    if "/" in ref:
        found = by_key.get(ref)
        return [found] if found else []
    return list(by_slug.get(ref, []))


def build_model(articles, pages, campaigns, config: SiteConfig, today: dt.date, drafts: bool,
                media: dict[str, Path] | None = None) -> SiteModel:
    published = sorted((a for a in articles if is_published(a, today, drafts)),
                       key=lambda a: (a.date, a.key), reverse=True)
    by_key = {a.key: a for a in published}
    by_slug = slug_index(published)
    return SiteModel(
        config=config,
        today=today,
        articles=tuple(published),
        by_key=by_key,
        by_category=_by_category(published, config),
        tags=_taxa(published, lambda a: a.tags),
        authors=_taxa(published, lambda a: a.authors),
        series=_taxa(published, lambda a: (a.series,) if a.series else ()),
        by_campaign=_group(published, lambda a: (a.campaign,) if a.campaign else ()),
        related={a.key: _related(a, by_slug, by_key) for a in published if a.related},
        interesting=Interesting(tuple(published)),
        position={a.key: i for i, a in enumerate(published)},
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        campaigns=tuple(sorted((c for c in campaigns if drafts or not c.draft), key=lambda c: c.slug)),
        media=media or {},
    )


def with_new_bodies(model: SiteModel, fresh: dict[str, Article], pages) -> SiteModel:
    """`model` with the articles of `fresh` (by key) swapped for new versions that differ only in
    their body fields (documents.BODY_FIELDS), and the given pages (equal to its own). Its campaigns
    are kept: their sources are unchanged (edits.model_key), and they are already cut to the
    published ones.

    Every index is ordered and grouped by surface fields only, so it keeps its shape: this equals
    build_model on the new documents (see edits.py), at a fraction of its cost. No extras."""
    fresh = {key: article for key, article in fresh.items() if key in model.by_key}
    by_id = {id(model.by_key[key]): article for key, article in fresh.items()}   # Article.key builds a string

    def swap(articles: tuple[Article, ...]) -> tuple[Article, ...]:
        if by_id.keys().isdisjoint(map(id, articles)):      # most groups: no edited article, kept as is
            return articles
        return tuple(by_id.get(id(a), a) for a in articles)

    def swap_taxa(taxa: dict[str, Taxon]) -> dict[str, Taxon]:
        return {slug: replace(t, articles=swap(t.articles)) for slug, t in taxa.items()}

    articles = swap(model.articles)
    return replace(
        model,
        articles=articles,
        by_key={key: fresh.get(key, a) for key, a in model.by_key.items()},
        by_category={k: swap(v) for k, v in model.by_category.items()},
        tags=swap_taxa(model.tags), authors=swap_taxa(model.authors), series=swap_taxa(model.series),
        by_campaign={k: swap(v) for k, v in model.by_campaign.items()},
        related={k: swap(v) for k, v in model.related.items()},
        interesting=model.interesting.with_articles(articles),     # same surfaces, same choices
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        extras={},
    )


def _group(articles, keys_of) -> dict[str, tuple[Article, ...]]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for key in keys_of(article):
            groups[key].append(article)
    return {k: tuple(v) for k, v in groups.items()}


def _by_category(articles, config: SiteConfig) -> dict[str, tuple[Article, ...]]:
    parents = {c.key: c.parent for c in config.categories}
    groups: dict[str, list[Article]] = {c.key: [] for c in config.categories}
    for article in articles:
        key, seen = article.category, set()
        while key and key not in seen:   # walk up the parents; a cycle is a config error
            seen.add(key)
            groups.setdefault(key, []).append(article)
            key = parents.get(key)
    return {k: tuple(v) for k, v in groups.items()}


def _taxa(articles, names_of) -> dict[str, Taxon]:
    """Group by slug of a name; the display name is the first spelling met (newest article)."""
    names: dict[str, str] = {}
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for name in dict.fromkeys(names_of(article)):
            slug = slugify(name)
            if not slug:
                continue
            names.setdefault(slug, name)
            if not groups[slug] or groups[slug][-1] is not article:
                groups[slug].append(article)
    return {slug: Taxon(slug, names[slug], tuple(groups[slug])) for slug in sorted(groups)}


def _related(article: Article, by_slug, by_key) -> tuple[Article, ...]:
    found: list[Article] = []
    for ref in article.related:
        for other in resolve_reference(ref, by_slug, by_key):
            if other is not article and other not in found:
                found.append(other)
    return tuple(found)


class Interesting(Mapping):
    """Article key -> the articles sharing most tags with it, newest first among equals (only
    articles that share a tag have an entry).

    Worked out for an article when it is first asked for: a full build asks for every article,
    a build after a body edit only for the edited ones (the whole table was ~0.2 s of a
    10,000-article edit). Articles are handled by their position in `articles` (newest first),
    so scores are counted by `Counter` over small ints and ties break on the position itself.
    """

    def __init__(self, articles: tuple[Article, ...], limit: int = 4):
        self._articles = articles
        self._limit = limit
        self._found: dict[str, tuple[Article, ...]] = {}
        self._index: tuple[dict, dict, list] | None = None

    def with_articles(self, articles: tuple[Article, ...]) -> "Interesting":
        """The same choices over `articles`, new versions of these with the same surfaces (a
        body edit in serve): the tag index, which holds positions only, is kept (slugifying
        every tag of 10,000 articles again took longer than the rest of serve's reload)."""
        fresh = Interesting(articles, self._limit)
        fresh._index = self._index
        return fresh

    def __getitem__(self, key: str) -> tuple[Article, ...]:
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._work_out(key)
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self):
        return (a.key for a in self._articles if a.key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _work_out(self, key: str) -> tuple[Article, ...]:
        positions, by_tag, where = self._indexes()
        position = positions.get(key)
        if position is None:
            return ()
        scores: Counter = Counter()
        for tag, i in where[position].items():
            scores.update(by_tag[tag][max(0, i - TAG_WINDOW): i + TAG_WINDOW + 1])
        scores.pop(position, None)
        # Highest score first, the lowest position (newest) among equals: a stable sort by
        # score of the positions in order, all in C (a key lambda per candidate cost 2x).
        best = sorted(sorted(scores), key=scores.__getitem__, reverse=True)[:self._limit]
        return tuple(self._articles[k] for k in best)

    def _indexes(self) -> tuple[dict, dict, list]:
        if self._index is None:
            by_tag: dict[str, list[int]] = defaultdict(list)
            for position, article in enumerate(self._articles):  # newest first: each list by date desc
                for tag in article.tags:
                    by_tag[slugify(tag)].append(position)
            where: list[dict[str, int]] = [{} for _ in self._articles]
            for tag, members in by_tag.items():
                for i, position in enumerate(members):
                    where[position][tag] = i
            self._index = ({a.key: i for i, a in enumerate(self._articles)}, by_tag, where)
        return self._index
