"""The honours part of the site model: rolls in order, entries placed on pages, units and persons
linked across rolls. Pure functions over the rolls and the published articles."""
from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass

from generator import urls
from generator.documents import Article
from generator.honours.schema import HonourEntry, HonourRoll
from generator.model import resolve_reference, slug_index
from generator.vietnamese import name_sort_key, slugify, text_sort_key

# python-slugify costs ~0.3 ms a call and a long roll repeats the same few hundred units.
value_slug = functools.lru_cache(maxsize=65536)(slugify)

# Entries per roll page: about 100 KB of HTML, well under the 300 KB budget of a page.
ENTRIES_PER_PAGE = 200
SUBJECT_ORDER = {"person": 0, "collective": 1, "initiative": 2}


@dataclass(frozen=True, slots=True)
class Placed:
    """An entry at its place in its roll: sorted position, page and anchor."""

    roll: HonourRoll
    entry: HonourEntry
    number: int                # 1-based position in the roll's sorted order
    unit_slug: str             # "" when the entry names no unit
    person_key: str            # "" for collectives and initiatives
    article: Article | None    # the published article the entry links to

    @property
    def page(self) -> int:
        return (self.number - 1) // ENTRIES_PER_PAGE + 1

    @property
    def anchor(self) -> str:
        return f"muc-{self.number}"


@dataclass(frozen=True, slots=True)
class Unit:
    slug: str
    name: str
    placed: tuple[Placed, ...]           # newest roll first, then roll order
    articles: tuple[Article, ...]        # linked from the unit's entries, newest first


@dataclass(frozen=True)
class HonoursIndex:
    rolls: tuple[HonourRoll, ...]                    # newest year first, then kind and title
    placed: dict[str, tuple[Placed, ...]]            # roll slug -> entries in display order
    persons: dict[str, tuple[Placed, ...]]           # person key -> appearances, oldest roll first
    units: dict[str, Unit]                           # unit slug -> unit
    by_campaign: dict[str, tuple[HonourRoll, ...]]   # campaign slug -> its rolls

    def addressed(self):
        """Each roll with its address (addresses.Addressed)."""
        return [(roll, urls.honour_roll(roll.slug)) for roll in self.rolls]


def entry_order(entry: HonourEntry) -> tuple:
    """Persons in Vietnamese name order, then collectives, then initiatives, each alphabetical."""
    key = name_sort_key(entry.title) if entry.subject == "person" else text_sort_key(entry.title)
    return SUBJECT_ORDER[entry.subject], key, entry.line


def roll_order(roll: HonourRoll) -> tuple:
    return -(roll.year or 0), roll.kind, text_sort_key(roll.title), roll.slug


def person_key(entry: HonourEntry) -> str:
    """Same person across rolls: an explicit `person:` id, else name and unit (case and spacing aside)."""
    if entry.subject != "person":
        return ""
    if entry.person:
        return "id:" + entry.person.strip().casefold()
    return "nu:" + _normal(entry.title) + "|" + _normal(entry.unit)


def entry_unit(entry: HonourEntry) -> str:
    """The unit an entry belongs to; a collective without `unit:` is its own unit."""
    return entry.unit or (entry.title if entry.subject == "collective" else "")


def build_index(rolls, articles) -> HonoursIndex:
    by_slug, by_key = slug_index(articles), {a.key: a for a in articles}
    ordered = tuple(sorted(rolls, key=roll_order))
    placed = {roll.slug: _place(roll, by_slug, by_key) for roll in ordered}
    persons: dict[str, list[Placed]] = defaultdict(list)
    for roll in reversed(ordered):
        for item in placed[roll.slug]:
            if item.person_key:
                persons[item.person_key].append(item)
    by_campaign: dict[str, list[HonourRoll]] = defaultdict(list)
    for roll in ordered:
        if roll.campaign:
            by_campaign[roll.campaign].append(roll)
    return HonoursIndex(
        rolls=ordered,
        placed=placed,
        persons={k: tuple(v) for k, v in persons.items() if len({p.roll.slug for p in v}) > 1},
        units=_units(ordered, placed),
        by_campaign={k: tuple(v) for k, v in by_campaign.items()},
    )


def roll_sections(roll: HonourRoll) -> tuple[str, ...]:
    """The roll's sections in file order (where each first appears); () when it has none."""
    sections = tuple(dict.fromkeys(entry.section for entry in roll.entries))
    return () if sections in ((), ("",)) else sections


def _place(roll: HonourRoll, by_slug, by_key) -> tuple[Placed, ...]:
    # Sections keep the order of the file; within one, entries are sorted as in a roll without any.
    rank = {section: i for i, section in enumerate(roll_sections(roll))}
    ordered = sorted(roll.entries, key=lambda entry: (rank.get(entry.section, 0), *entry_order(entry)))
    result = []
    for number, entry in enumerate(ordered, start=1):
        found = resolve_reference(entry.article, by_slug, by_key) if entry.article else []
        result.append(Placed(roll, entry, number, value_slug(entry_unit(entry)), person_key(entry),
                             found[0] if len(found) == 1 else None))
    return tuple(result)


def _units(rolls, placed) -> dict[str, Unit]:
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Placed]] = defaultdict(list)
    for roll in rolls:
        for item in placed[roll.slug]:
            if item.unit_slug:
                spellings[item.unit_slug][entry_unit(item.entry)] += 1
                members[item.unit_slug].append(item)
    # The most used spelling names the unit; on a tie the newest roll's (rolls are newest first).
    names = {slug: max(counter, key=counter.get) for slug, counter in spellings.items()}
    units = {}
    for slug in sorted(members, key=lambda s: text_sort_key(names[s])):
        linked = {p.article.key: p.article for p in members[slug] if p.article is not None}
        articles = sorted(linked.values(), key=lambda a: (a.date, a.key), reverse=True)
        units[slug] = Unit(slug, names[slug], tuple(members[slug]), tuple(articles))
    return units


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()
