"""View data for honour pages: plain dicts for the templates, made once per entry and shared."""
from __future__ import annotations

from collections import Counter

from generator import urls
from generator.honours.facets import FACETS, FacetValue, by_count, facet_values
from generator.honours.index import ENTRIES_PER_PAGE, HonoursIndex, Placed, Unit, roll_sections
from generator.honours.schema import HonourRoll
from generator.views import Views
from generator.vietnamese import format_money, format_number

CHART_ROWS = 10          # bars per chart; the rest are counted and linked to the facet index
UNIT_PAGE_ENTRIES = 100  # entries of one roll shown on a unit page before "see all"


class HonourViews:
    """Builds honour view dicts from the shared Views (links, cards, UI strings) and the index."""

    def __init__(self, views: Views, index: HonoursIndex):
        self.views = views
        self.index = index
        self.ui = views.ui
        self.href = views.links.href
        self.language = views.language
        self._entries: dict[tuple[str, int], dict] = {}
        self._facets: dict[str, dict[str, list[FacetValue]]] = {}
        self._headers: dict[tuple[str, bool], dict] = {}
        self._refs: dict[str, dict] = {}
        self._sections: dict[str, dict[str, int]] = {}
        self._rolls = {r.slug: r for r in index.rolls}
        self._campaigns = {c.slug: c for c in views.model.campaigns}

    # ---- shared pieces -------------------------------------------------------------------
    def kind_label(self, kind: str) -> str:
        return self.ui.get("kind_" + kind.replace("-", "_"), kind)

    def number(self, value) -> str:
        return format_number(value, None, self.language)

    def roll_ref(self, roll: HonourRoll) -> dict:
        found = self._refs.get(roll.slug)
        if found is None:
            found = self._refs[roll.slug] = self._roll_ref(roll)
        return found

    def _roll_ref(self, roll: HonourRoll) -> dict:
        placed = self.index.placed[roll.slug]
        subjects = Counter(p.entry.subject for p in placed)
        return {
            "slug": roll.slug, "title": roll.title, "url": self.href(urls.honour_roll(roll.slug)),
            "year": roll.year, "kind": roll.kind, "kind_label": self.kind_label(roll.kind),
            "issuer": roll.issuer, "decision": roll.decision, "summary": roll.summary,
            "count": len(placed), "count_text": self.number(len(placed)),
            "subjects": [{"subject": s, "count": self.number(subjects[s])} for s in ("person", "collective", "initiative") if subjects[s]],
        }

    def entry_path(self, item: Placed) -> str:
        return urls.honour_roll(item.roll.slug, item.page) + "#" + item.anchor

    def entry(self, item: Placed) -> dict:
        """One entry as every page shows it; made once, shared by roll, facet and unit pages."""
        key = (item.roll.slug, item.number)
        found = self._entries.get(key)
        if found is None:
            e = item.entry
            found = self._entries[key] = {
                "id": item.anchor, "number": item.number, "subject": e.subject, "title": e.title,
                "url": self.href(self.entry_path(item)),
                "position": e.position, "locality": e.locality, "award": e.award,
                "achievement": e.achievement, "note": e.note, "field": e.field,
                "unit": ({"name": e.unit or e.title, "url": self.href(urls.unit(item.unit_slug))}
                         if item.unit_slug else None),
                "photo": self.href(e.photo) if e.photo else None,
                "article": ({"title": item.article.title,
                             "url": self.href(urls.article(item.article, self.views.config.permalinks.article))}
                            if item.article else None),
                "authors": list(e.authors),
                "benefit": format_money(e.benefit, self.language) if e.benefit is not None else None,
                "honours": self.honours_of(item),
            }
        return found

    def honours_of(self, item: Placed) -> list[dict]:
        """The person's appearances in every roll, grouped by kind: "Công nhân giỏi 2024, 2025"."""
        appearances = self.index.persons.get(item.person_key) if item.person_key else None
        if not appearances:
            return []
        groups: dict[str, list[dict]] = {}
        for other in appearances:
            label = self.kind_label(other.roll.kind)
            groups.setdefault(label, []).append({
                "year": other.roll.year, "title": other.roll.title,
                "url": self.href(self.entry_path(other)),
                "current": other.roll is item.roll and other.number == item.number,
            })
        return [{"label": label, "items": items} for label, items in groups.items()]

    def breadcrumb(self, *extra: tuple[str, str]) -> list[dict]:
        crumbs = [self.views.crumb(self.ui.get("home", "Trang chủ"), "/"),
                  self.views.crumb(self.ui.get("honours", "Vinh danh"), urls.honours())]
        return crumbs + [self.views.crumb(name, path) for name, path in extra]

    # ---- /vinh-danh/ -----------------------------------------------------------------------
    def index_page(self) -> dict:
        years: dict = {}
        for roll in self.index.rolls:
            kinds = years.setdefault(roll.year, {})
            kinds.setdefault(self.kind_label(roll.kind), []).append(self.roll_ref(roll))
        title = self.ui.get("honours", "Vinh danh")
        return {
            "page": self.views.page_meta("honours", urls.honours(), title, self.ui.get("honours_description", ""),
                                         breadcrumb=[self.views.crumb(self.ui.get("home", "Trang chủ"), "/")]),
            "honours": {
                "title": title,
                "years": [{"year": year, "kinds": [{"label": k, "rolls": v} for k, v in kinds.items()]}
                          for year, kinds in years.items()],
                "units_url": self.href(urls.units()) if self.index.units else None,
                "unit_count": self.number(len(self.index.units)),
            },
        }

    # ---- a roll and its facet pages ----------------------------------------------------------
    def roll_header(self, roll: HonourRoll, first_page: bool) -> dict:
        key = (roll.slug, first_page)
        if key not in self._headers:
            self._headers[key] = self._roll_header(roll, first_page)
        return self._headers[key]

    def _roll_header(self, roll: HonourRoll, first_page: bool) -> dict:
        placed = self.index.placed[roll.slug]
        benefits = [p.entry.benefit for p in placed if p.entry.benefit is not None]
        campaign = self._campaigns.get(roll.campaign)
        return {
            **self.roll_ref(roll),
            "description_html": roll.description_html if first_page else "",
            "campaign": {"title": campaign.title, "url": self.href(urls.campaign(campaign.slug))} if campaign else None,
            "total_benefit": format_money(sum(benefits), self.language) if benefits else None,
            "data_url": self.href(urls.honour_data(roll.slug)),
            "base_url": self.href(urls.honour_roll(roll.slug)),
            "page_size": ENTRIES_PER_PAGE,
            "facets": [{"facet": f, "label": self.ui.get("by_" + f, f), "url": self.href(urls.honour_facets(roll.slug, f)),
                        "count": self.number(len(values))}
                       for f, values in self.facets(roll).items() if values],
        }

    def facets(self, roll: HonourRoll) -> dict[str, list[FacetValue]]:
        found = self._facets.get(roll.slug)
        if found is None:
            found = self._facets[roll.slug] = {f: facet_values(self.index.placed[roll.slug], f) for f in FACETS}
        return found

    def charts(self, roll: HonourRoll, facets: dict[str, list[FacetValue]]) -> list[dict]:
        """Count by award, unit and locality, largest first, as rows of a bar chart."""
        charts = []
        for facet in ("award", "unit", "locality"):
            values = by_count(facets[facet])
            if not values:
                continue
            top = values[0].count
            rows = [{"name": v.name, "count": self.number(v.count), "url": self.href(urls.honour_facet(roll.slug, facet, v.slug)),
                     "width": round(100 * v.count / top, 1)} for v in values[:CHART_ROWS]]
            charts.append({"facet": facet, "title": self.ui.get("count_by_" + facet, facet), "rows": rows,
                           "more": self.number(len(values) - CHART_ROWS) if len(values) > CHART_ROWS else None,
                           "more_url": self.href(urls.honour_facets(roll.slug, facet))})
        return charts

    def entry_pages(self, members: tuple[Placed, ...], path_of, number: int) -> tuple[list[dict], list[dict], dict | None]:
        """The groups of one page by what they honour (persons, collectives, initiatives), the
        roll's sections (parts) those groups sit in when it has any, and the page list."""
        total = max(1, -(-len(members) // ENTRIES_PER_PAGE))
        chunk = members[(number - 1) * ENTRIES_PER_PAGE: number * ENTRIES_PER_PAGE]
        sections: list[dict] = []
        parts: list[dict] = []
        numbers = self.section_numbers(chunk[0].roll) if chunk else {}
        for item in chunk:
            part_number = numbers.get(item.entry.section, 0)
            if not parts or parts[-1]["number"] != part_number:
                parts.append({"number": part_number, "title": item.entry.section, "id": f"phan-{part_number}",
                              "sections": []})
            groups = parts[-1]["sections"]
            if not groups or groups[-1]["subject"] != item.entry.subject:
                subject = item.entry.subject
                groups.append({"subject": subject, "title": self.ui.get("subject_" + subject, ""), "entries": [],
                               "id": f"phan-{part_number}-{subject}" if part_number else f"nhom-{subject}"})
                sections.append(groups[-1])
            groups[-1]["entries"].append(self.entry(item))
        pagination = self.views.pagination(path_of, number, total, window=None)   # every page, named by range
        if pagination:
            for page in pagination["pages"]:
                part = members[(page["number"] - 1) * ENTRIES_PER_PAGE: page["number"] * ENTRIES_PER_PAGE]
                page["range"] = f"{_short(part[0])} – {_short(part[-1])}"
        return sections, (parts if numbers else []), pagination

    def section_numbers(self, roll: HonourRoll) -> dict[str, int]:
        """A named section's number (1, 2… in file order), which its anchors carry on every page."""
        found = self._sections.get(roll.slug)
        if found is None:
            named = [s for s in roll_sections(roll) if s]
            found = self._sections[roll.slug] = {s: i for i, s in enumerate(named, start=1)}
        return found

    def roll_page(self, roll: HonourRoll, number: int, facets: dict[str, list[FacetValue]]) -> dict:
        placed = self.index.placed[roll.slug]
        sections, parts, pagination = self.entry_pages(placed, lambda n: urls.honour_roll(roll.slug, n), number)
        heading = roll.title if number == 1 else f"{roll.title} – {self.ui.get('page', 'Trang')} {number}"
        return {
            "page": self.views.page_meta("honour-roll", urls.honour_roll(roll.slug, number), heading,
                                         roll.summary or roll.title, breadcrumb=self.breadcrumb()),
            "roll": self.roll_header(roll, number == 1),
            "facet": None,
            "charts": self.charts(roll, facets) if number == 1 else [],
            "sections": sections,
            "parts": parts,
            "pagination": pagination,
        }

    def facet_index(self, roll: HonourRoll, facet: str, values: list[FacetValue]) -> dict:
        label = self.ui.get("by_" + facet, facet)
        path = urls.honour_facets(roll.slug, facet)
        return {
            "page": self.views.page_meta("honour-facets", path, f"{roll.title}: {label}", roll.summary or roll.title,
                                         breadcrumb=self.breadcrumb((roll.title, urls.honour_roll(roll.slug)))),
            "roll": self.roll_header(roll, False),
            "facet": {"facet": facet, "label": label},
            "values": [{"name": v.name, "count": self.number(v.count),
                        "url": self.href(urls.honour_facet(roll.slug, facet, v.slug))} for v in values],
        }

    def facet_page(self, roll: HonourRoll, facet: str, value: FacetValue, number: int) -> dict:
        label = self.ui.get("facet_" + facet, facet)
        sections, parts, pagination = self.entry_pages(value.members, lambda n: urls.honour_facet(roll.slug, facet, value.slug, n), number)
        title = f"{roll.title} – {label}: {value.name}"
        if number > 1:
            title += f" – {self.ui.get('page', 'Trang')} {number}"
        return {
            "page": self.views.page_meta("honour-roll", urls.honour_facet(roll.slug, facet, value.slug, number), title,
                                         roll.summary or roll.title,
                                         breadcrumb=self.breadcrumb((roll.title, urls.honour_roll(roll.slug)),
                                                                    (self.ui.get("by_" + facet, facet), urls.honour_facets(roll.slug, facet)))),
            "roll": self.roll_header(roll, False),
            "facet": {"facet": facet, "label": label, "name": value.name, "count": self.number(value.count),
                      "index_url": self.href(urls.honour_facets(roll.slug, facet))},
            "charts": [],
            "sections": sections,
            "parts": parts,
            "pagination": pagination,
        }

    # ---- units -------------------------------------------------------------------------------
    def unit_page(self, unit: Unit) -> dict:
        years: dict = {}
        by_roll: dict[str, list[Placed]] = {}
        for item in unit.placed:
            by_roll.setdefault(item.roll.slug, []).append(item)
        for slug, members in by_roll.items():
            roll = self._rolls[slug]
            entries = [self.entry(p) for p in members[:UNIT_PAGE_ENTRIES]]
            more = len(members) - len(entries)
            years.setdefault(roll.year, []).append({
                "roll": self.roll_ref(roll), "entries": entries, "count": self.number(len(members)),
                "more": self.number(more) if more > 0 else None,
                "more_url": self.href(urls.honour_facet(slug, "unit", unit.slug)),
            })
        path = urls.unit(unit.slug)
        return {
            "page": self.views.page_meta("unit", path, unit.name, f"{self.ui.get('unit_honours', '')}: {unit.name}",
                                         breadcrumb=[self.views.crumb(self.ui.get("home", "Trang chủ"), "/"),
                                                     self.views.crumb(self.ui.get("units", "Đơn vị"), urls.units())]),
            "unit": {"name": unit.name, "count": self.number(len(unit.placed)),
                     "years": [{"year": y, "rolls": rolls} for y, rolls in years.items()],
                     "articles": self.views.cards(unit.articles)},
        }

    def units_page(self) -> dict:
        title = self.ui.get("units", "Đơn vị")
        return {
            "page": self.views.page_meta("units", urls.units(), title, self.ui.get("units_description", ""),
                                         breadcrumb=self.breadcrumb()),
            "units": [{"name": u.name, "url": self.href(urls.unit(u.slug)), "count": self.number(len(u.placed)),
                       "rolls": self.number(len({p.roll.slug for p in u.placed}))} for u in self.index.units.values()],
        }


def _short(item: Placed) -> str:
    """How a page's first or last entry is named in the page list: a given name, or a short title."""
    title = item.entry.title
    if item.entry.subject == "person":
        return title.split()[-1]
    return title if len(title) <= 24 else title[:22].rstrip() + "…"
