"""The honour pages to render and the JSON index each roll's live filter loads."""
from __future__ import annotations

import json
from typing import Iterable

from generator import urls
from generator.honours.facets import FACETS, facet_values
from generator.honours.index import ENTRIES_PER_PAGE, HonoursIndex, roll_sections
from generator.honours.views import HonourViews
from generator.output import OutputFile
from generator.render_job import RenderJob
from generator.vietnamese import search_fold


def honour_jobs(hv: HonourViews) -> Iterable[RenderJob]:
    index = hv.index
    yield RenderJob(urls.honours(), "honours.html", hv.index_page())
    for roll in index.rolls:
        placed = index.placed[roll.slug]
        facets = hv.facets(roll)
        pages = max(1, -(-len(placed) // ENTRIES_PER_PAGE))
        for number in range(1, pages + 1):
            yield RenderJob(urls.honour_roll(roll.slug, number), "honour_roll.html", hv.roll_page(roll, number, facets))
        for facet, values in facets.items():
            if not values:
                continue
            yield RenderJob(urls.honour_facets(roll.slug, facet), "honour_facets.html", hv.facet_index(roll, facet, values))
            for value in values:
                value_pages = max(1, -(-value.count // ENTRIES_PER_PAGE))
                for number in range(1, value_pages + 1):
                    yield RenderJob(urls.honour_facet(roll.slug, facet, value.slug, number), "honour_roll.html",
                                    hv.facet_page(roll, facet, value, number))
    if index.units:
        yield RenderJob(urls.units(), "units.html", hv.units_page())
    for unit in index.units.values():
        yield RenderJob(urls.unit(unit.slug), "unit.html", hv.unit_page(unit))


def roll_data(index: HonoursIndex, slug: str) -> bytes:
    """Compact JSON of a whole roll: facet names once, then one array per entry.

    Entry: [number, title, detail, unit, locality, award, folded text]; the facet fields are
    indexes into `facets` (-1 for none) and the folded text is what a query without
    diacritics is matched against (tone marks dropped, "đ" -> "d", lower case). A roll in
    sections also carries `sections` (their names, in file order) and `sectionOf`: for each
    entry, in the same order, the index of its section (-1 for none).

    The roll's page orders (honours.js: by name, unit or award) are sorts on these integers, so
    the server's collation travels with them: entries come in the roll's order (sections, then
    Vietnamese name order), numbered 1, 2… in that order, and each facet's names are in Vietnamese
    alphabetical order (text_sort_key). Keep both when changing this format.
    """
    placed = index.placed[slug]
    facets = {facet: [v.name for v in facet_values(placed, facet)] for facet in FACETS}
    position = {facet: {name: i for i, name in enumerate(names)} for facet, names in facets.items()}
    lookup = {facet: {} for facet in FACETS}
    for facet in FACETS:
        for value in facet_values(placed, facet):
            for item in value.members:
                lookup[facet][item.number] = position[facet][value.name]
    entries = []
    for item in placed:
        e = item.entry
        detail = ", ".join(e.authors) if e.subject == "initiative" else e.position
        words = " ".join([e.title, *e.authors])
        entries.append([item.number, e.title, detail,
                        *(lookup[f].get(item.number, -1) for f in FACETS), search_fold(words)])
    data = {"roll": slug, "pageSize": ENTRIES_PER_PAGE, "facets": facets, "entries": entries}
    sections = [s for s in roll_sections(placed[0].roll) if s] if placed else []
    if sections:
        index = {name: i for i, name in enumerate(sections)}
        data |= {"sections": sections, "sectionOf": [index.get(item.entry.section, -1) for item in placed]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def honour_files(index: HonoursIndex) -> list[OutputFile]:
    return [OutputFile(urls.output_path(urls.honour_data(roll.slug)), roll_data(index, roll.slug))
            for roll in index.rolls]

