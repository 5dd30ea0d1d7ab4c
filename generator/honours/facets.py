"""Facets of a roll (unit, locality, award): the values, their slugs and how many entries carry each."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.honours.index import Placed, entry_unit, value_slug
from generator.vietnamese import text_sort_key

FACETS = ("unit", "locality", "award")


@dataclass(frozen=True, slots=True)
class FacetValue:
    slug: str
    name: str
    members: tuple[Placed, ...]

    @property
    def count(self) -> int:
        return len(self.members)


def facet_text(item: Placed, facet: str) -> str:
    if facet == "unit":
        return " ".join(entry_unit(item.entry).split())
    return " ".join(getattr(item.entry, facet).split())


def facet_values(placed: tuple[Placed, ...], facet: str) -> list[FacetValue]:
    """Distinct values in alphabetical order; spellings differing only in case share a slug."""
    names: dict[str, str] = {}
    members: dict[str, list[Placed]] = {}
    spellings: dict[str, Counter] = {}
    for item in placed:
        text = facet_text(item, facet)
        slug = value_slug(text)
        if not slug:
            continue
        members.setdefault(slug, []).append(item)
        spellings.setdefault(slug, Counter())[text] += 1
    for slug, counter in spellings.items():   # the most used spelling names the group
        names[slug] = min(counter, key=lambda s: (-counter[s], s))
    return [FacetValue(slug, names[slug], tuple(members[slug]))
            for slug in sorted(members, key=lambda s: text_sort_key(names[s]))]


def by_count(values: list[FacetValue]) -> list[FacetValue]:
    """Largest first; equal counts keep alphabetical order (the sort is stable)."""
    return sorted(values, key=lambda v: -v.count)
