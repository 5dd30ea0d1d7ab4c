"""Honour rolls (bảng vàng) as typed documents: a roll and its entries, as the reader makes them."""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field  # `field` is also an entry key

KINDS = ("cong-nhan-gioi", "sang-kien", "khen-thuong", "giai-thuong", "other")
ROLL_KEYS = {"title", "kind", "year", "campaign", "issuer", "decision", "description", "entries", "draft",
             "aliases"}
# Keys every entry may carry, whatever it honours.
COMMON_KEYS = {"unit", "locality", "award", "achievement", "photo", "article", "note", "person", "section"}
PERSON_KEYS = {"name", "position"}
COLLECTIVE_KEYS = {"collective"}
INITIATIVE_KEYS = {"initiative", "authors", "field", "benefit"}
ENTRY_KEYS = COMMON_KEYS | PERSON_KEYS | COLLECTIVE_KEYS | INITIATIVE_KEYS
# What an entry honours, by the key that names it.
SUBJECTS = ("name", "collective", "initiative")


@dataclass(frozen=True, slots=True)
class HonourEntry:
    """One line of a roll: a person, a collective (tập thể) or an initiative (sáng kiến)."""

    subject: str                   # "person" | "collective" | "initiative"
    title: str                     # the person's name, the collective or the initiative
    line: int                      # where the entry starts in its file
    position: str = ""
    unit: str = ""
    locality: str = ""
    award: str = ""
    achievement: str = ""
    photo: str = ""
    article: str = ""              # article reference: "slug" or "category/slug"
    note: str = ""
    person: str = ""               # explicit identity across rolls
    authors: tuple[str, ...] = ()
    field: str = ""
    benefit: float | None = None   # value gained by an initiative, in đồng
    section: str = ""              # the part of the list it is in ("A. TẬP THỂ", "KHỐI DOANH NGHIỆP")
    key_lines: dict = dataclass_field(default_factory=dict, compare=False, repr=False)  # key -> line

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True, slots=True)
class HonourRoll:
    path: str                      # relative to the site folder
    slug: str                      # the file name without .yaml
    title: str
    kind: str
    year: int | None
    entries: tuple[HonourEntry, ...]
    campaign: str = ""
    issuer: str = ""
    decision: str = ""
    description_html: str = ""
    summary: str = ""              # plain text of the description's first paragraph
    key_lines: dict = dataclass_field(default_factory=dict, compare=False, repr=False)
    draft: bool = False
    aliases: tuple[str, ...] = ()  # old addresses that redirect here (addresses.py)
