"""Reading one honour-roll YAML file into a HonourRoll, reporting every problem with its line."""
from __future__ import annotations

import re

from generator.diagnostics import ContentError, Diagnostic, Diagnostics
from generator.honours.schema import (ENTRY_KEYS, KINDS, ROLL_KEYS, SUBJECTS, HonourEntry,
                                      HonourRoll)
from generator.markdown_render import MarkdownRenderer
from generator.readers.fields import Fields
from generator.readers.frontmatter import decode
from generator.yamlread import load_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REFERENCE = re.compile(r"^(?:[a-z0-9-]+/)?[a-z0-9]+(?:-[a-z0-9]+)*$")
SUBJECT_NAMES = {"name": "person", "collective": "collective", "initiative": "initiative"}


def roll_slug(path: str) -> str:
    """A roll's slug is its file name: content/honours/2024/cong-nhan-gioi-2024.yaml -> cong-nhan-gioi-2024."""
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def read_roll(data: bytes, path: str, markdown: MarkdownRenderer) -> tuple[HonourRoll | None, list[Diagnostic]]:
    """Parse and validate one roll; returns None (and the reasons) when it cannot be used."""
    try:
        meta, lines = load_yaml(decode(data, path), path)
    except ContentError as exc:
        return None, [exc.diagnostic]
    diags = Diagnostics()
    if not isinstance(meta, dict):
        diags.error(path, 1, "an honour roll must be a mapping with 'title', 'kind', 'year' and 'entries'",
                    "see the example in DESIGN.md (Honour roll)")
        return None, diags.items
    f = Fields(meta, path, lines, diags)
    f.warn_unknown(ROLL_KEYS, "roll key")
    slug = roll_slug(path)
    if not SLUG.match(slug):
        diags.error(path, None, f"roll file name '{path.rsplit('/', 1)[-1]}' must be a slug",
                    "use lower-case letters, digits and hyphens only, e.g. cong-nhan-gioi-2024.yaml")
    title = f.text("title", required=True)
    kind = f.choice("kind", KINDS, "other")
    year = _year(f)
    campaign = f.text("campaign")
    rendered = markdown.render(f.text("description"), extract_lead=True) if meta.get("description") else None
    entries = _entries(f, meta.get("entries"))
    draft, aliases = f.boolean("draft"), f.aliases()
    if not draft and not entries and isinstance(meta.get("entries"), list) and not diags.has_errors:
        f.error("entries", "the roll has no entries: nothing to publish",
                "list the persons, collectives or initiatives honoured, or keep 'draft: true'")
    if diags.has_errors:
        return None, diags.items
    key_lines = {str(k): lines.line(k) for k in meta} | {"": 1}
    return HonourRoll(path, slug, title, kind, year, entries, campaign=campaign, issuer=f.text("issuer"),
                      decision=f.text("decision"), description_html=rendered.html if rendered else "",
                      summary=rendered.lead if rendered else "", key_lines=key_lines, draft=draft,
                      aliases=aliases), diags.items


def _year(f: Fields) -> int | None:
    value = f.data.get("year")
    if value is None:
        f.error(None, "'year' is required", "for example year: 2024")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        f.error("year", f"'year' must be a year such as 2024, not '{value}'")
        return None
    return value


def _entries(f: Fields, value) -> tuple[HonourEntry, ...]:
    if value is None:
        f.error(None, "'entries' is required: the list of persons, collectives or initiatives honoured")
        return ()
    if not isinstance(value, list):
        f.error("entries", "'entries' must be a list, each item starting with '- name:', '- collective:' or '- initiative:'")
        return ()
    entries = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            f.diags.error(f.path, f.lines.line("entries", index),
                          f"entry {index + 1} must be a mapping such as '- name: Nguyễn Văn An'")
            continue
        entry = read_entry(Fields(item, f.path, f.lines, f.diags, ("entries", index)), index)
        if entry is not None:
            entries.append(entry)
    return tuple(entries)


def read_entry(e: Fields, index: int) -> HonourEntry | None:
    """One entry; every problem is reported before giving up on it."""
    e.warn_unknown(ENTRY_KEYS, "entry key")
    present = [key for key in SUBJECTS if e.data.get(key) not in (None, "")]
    # Runs of spaces are typing slips ("Nguyễn  Văn An"): collapsed so names compare and show alike.
    texts = {key: " ".join(e.text(key).split()) for key in ("name", "collective", "initiative", "position", "unit",
                                                            "locality", "award", "achievement", "note", "person", "field",
                                                            "section")}
    authors = e.text_list("authors")
    benefit = e.number("benefit")
    if benefit is not None and benefit < 0:
        e.error("benefit", "'benefit' cannot be negative")
    photo = e.media("photo", "/media/honours/2024/an.jpg")
    article = e.text("article")
    if article and not REFERENCE.match(article):
        e.error("article", f"'{article}' is not an article slug", "write the slug, or category/slug")
    if not present:
        e.error(None, f"entry {index + 1} has none of 'name', 'collective' or 'initiative'",
                "start the entry with '- name:' (a person), '- collective:' (tập thể) or '- initiative:' (sáng kiến)")
        return None
    if len(present) > 1:
        e.error(present[1], f"entry {index + 1} has both '{present[0]}' and '{present[1]}'",
                "one entry honours one person, collective or initiative: split it in two")
        return None
    subject = present[0]
    if subject != "initiative":
        for key in ("authors", "field", "benefit"):
            if key in e.data:
                e.error(key, f"'{key}' belongs to an initiative entry ('- initiative:'), not to a '{subject}' entry")
    if subject != "name" and "position" in e.data:
        e.error("position", f"'position' belongs to a person entry ('- name:'), not to a '{subject}' entry")
    if not texts[subject]:
        return None
    return HonourEntry(
        subject=SUBJECT_NAMES[subject], title=texts[subject], line=e.line(), position=texts["position"],
        unit=texts["unit"], locality=texts["locality"], award=texts["award"],
        achievement=texts["achievement"], photo=photo, article=article, note=texts["note"],
        person=texts["person"], authors=authors, field=texts["field"], benefit=benefit, section=texts["section"],
        key_lines={str(key): e.line(str(key)) for key in e.data},
    )
