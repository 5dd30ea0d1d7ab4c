"""Rules across files for honour rolls: campaigns, article references, media, duplicate slugs."""
from __future__ import annotations

import datetime as dt

from generator.diagnostics import Diagnostic, ERROR, WARNING, did_you_mean
from generator.honours.schema import HonourRoll
from generator.model import is_published, resolve_reference, slug_index
from generator.validate import missing_reference_hint


def check_rolls(rolls: list[HonourRoll], articles, campaigns, media: set[str], today: dt.date,
                drafts: bool) -> list[Diagnostic]:
    """Every cross-file rule over every roll; nothing short-circuits."""
    return [*check_slugs(rolls), *check_campaigns(rolls, campaigns),
            *check_articles(rolls, articles, today, drafts), *check_photos(rolls, media)]


def check_slugs(rolls: list[HonourRoll]) -> list[Diagnostic]:
    seen: dict[str, HonourRoll] = {}
    problems = []
    for roll in rolls:
        if roll.slug in seen:
            problems.append(Diagnostic(roll.path, 1, ERROR,
                                       f"two rolls would be published at /vinh-danh/{roll.slug}/: this one and {seen[roll.slug].path}",
                                       "roll pages are named after the file: rename one of the files"))
        seen.setdefault(roll.slug, roll)
    return problems


def check_campaigns(rolls: list[HonourRoll], campaigns) -> list[Diagnostic]:
    slugs = [c.slug for c in campaigns]
    return [Diagnostic(r.path, r.key_lines.get("campaign"), ERROR, f"unknown campaign '{r.campaign}'",
                       did_you_mean(r.campaign, slugs) or "campaigns are the file names in content/campaigns/")
            for r in rolls if r.campaign and r.campaign not in slugs]


def check_articles(rolls: list[HonourRoll], articles, today: dt.date, drafts: bool) -> list[Diagnostic]:
    by_slug = slug_index(articles)
    by_key = {a.key: a for a in articles}
    problems = []
    for roll in rolls:
        for entry in roll.entries:
            ref = entry.article
            if not ref:
                continue
            found = resolve_reference(ref, by_slug, by_key)
            if not found:
                problems.append(Diagnostic(roll.path, entry.line_of("article"), ERROR,
                                           f"entry '{entry.title}': article '{ref}' does not exist",
                                           missing_reference_hint(ref, by_slug, by_key)))
            elif len(found) > 1:
                choices = " or ".join(f"'{a.key}'" for a in found)
                problems.append(Diagnostic(roll.path, entry.line_of("article"), ERROR,
                                           f"entry '{entry.title}': article '{ref}' is ambiguous", f"write {choices}"))
            elif not is_published(found[0], today, drafts):
                problems.append(Diagnostic(roll.path, entry.line_of("article"), WARNING,
                                           f"entry '{entry.title}': article '{ref}' is a draft or not yet due; "
                                           "the link is left out until it is published"))
    return problems


def check_photos(rolls: list[HonourRoll], media: set[str]) -> list[Diagnostic]:
    return [Diagnostic(roll.path, entry.line_of("photo"), ERROR, f"entry '{entry.title}': photo '{entry.photo}' not found",
                       did_you_mean(entry.photo, media) or "put the file under content/media/")
            for roll in rolls for entry in roll.entries
            if entry.photo.startswith("/media/") and entry.photo not in media]
