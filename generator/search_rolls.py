"""Search records from the built honour-roll and unit pages (entries are known only to the
honours feature; its pages are read back from the staged output with lxml).

Each person, collective or initiative on a roll becomes a record of its own, linked to its place
on the page (`#muc-8`): a name is then found as a short document whose title is the name, not as
one word among thousands on a long roll. The roll page and the unit page are records too, without
their entries (so a name is not found three times over).

What is read from the honours markup: `<main>` and its first `<h1>`; each element with the class
`honour-entry` and an `id` is an entry, its `honour-title` element holds the name; elements with
the class `honour-unit-list` list a unit's entries.

Every record here is of the kind KIND_ROLL ("Vinh danh" on the search page), units included.
"""
from __future__ import annotations

import html


from generator import urls
from generator.search_records import KIND_ROLL, SearchRecord, record_html
from generator.search_text import BLOCK_TAGS

ENTRY_CLASS, NAME_CLASS, UNIT_LIST_CLASS = "honour-entry", "honour-title", "honour-unit-list"
# Page parts that are not the page's own text.
CHROME_TAGS = ("nav", "form", "select", "script", "noscript", "style", "template")
CHROME_CLASSES = ("breadcrumb", "pagination", "feed-links", "visually-hidden")
# Elements whose text stands apart from the text around them (an entry's text is read here; a
# page's body goes to record_html, which pads the same tags with spaces for Pagefind).
BLOCKS = BLOCK_TAGS


def is_roll_page(rel_path: str) -> str | None:
    """What a built page is to the search index: "roll" (a roll's first page), "roll-page" (its
    numbered pages: entries only), "unit", or None for pages it does not read."""
    parts = rel_path.split("/")
    numbered = f"{urls.PAGE_SEGMENT}-"
    if parts[-1] != "index.html" or len(parts) < 3 or parts[1].startswith(numbered):
        return None
    if parts[0] == urls.HONOUR_ROOT:
        if len(parts) == 3:
            return "roll"
        if len(parts) == 4 and parts[2].startswith(numbered):
            return "roll-page"
    if parts[0] == urls.UNIT_ROOT and len(parts) == 3:
        return "unit"
    return None


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element) -> str:
    """Text of an element, with a space where one block ends and the next begins."""
    pieces: list[str] = []

    def walk(node) -> None:
        block = isinstance(node.tag, str) and node.tag in BLOCKS
        if block:
            pieces.append(" ")
        if node.text and isinstance(node.tag, str):      # comments have no text to show
            pieces.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                pieces.append(child.tail)
        if block:
            pieces.append(" ")

    walk(element)
    return " ".join("".join(pieces).split())


def _drop(elements) -> None:
    for element in list(elements):
        if element.getparent() is not None:
            element.drop_tree()


def page_records(url: str, kind: str, page_html: str, labels: dict[str, str], language: str) -> list[SearchRecord]:
    """The records of one built roll or unit page (see the module docstring)."""
    from lxml import html as lxml_html      # only when roll pages are indexed again (~8 ms to import)

    root = lxml_html.document_fromstring(page_html)
    main = root.find(".//main")
    heading = main.find(".//h1") if main is not None else None
    if heading is None:
        return []
    title = _text(heading)
    _drop(e for e in main.iter() if e.tag in CHROME_TAGS or _classes(e) & set(CHROME_CLASSES))
    records = []
    entries = [e for e in main.iter() if ENTRY_CLASS in _classes(e)]
    for entry in entries:
        name_element = next((e for e in entry.iter() if NAME_CLASS in _classes(e)), None)
        name = _text(name_element) if name_element is not None else ""
        if not name:
            continue
        if name_element is not None:
            name_element.drop_tree()
        # Pagefind takes a result's URL from its file's path, and "#muc-8" cannot be a file name:
        # the record lives at <page>/muc-8.html and its link travels in the "href" meta.
        anchor = entry.get("id") or f"muc-{len(records) + 1}"
        meta = {"category": labels["roll"], "context": title, "href": f"{url}#{anchor}"}
        records.append(SearchRecord(f"{url}{anchor}.html",
                                    record_html(name, f"<p>{html.escape(_text(entry))}</p>", meta, language,
                                                kind=KIND_ROLL)))
    if kind == "roll-page":
        return records
    _drop(entries)
    _drop(e for e in main.iter() if UNIT_LIST_CLASS in _classes(e))
    heading.drop_tree()
    body = "".join(lxml_html.tostring(child, encoding="unicode") for child in main)
    label = labels["unit"] if kind == "unit" else labels["roll"]
    return [SearchRecord(url, record_html(title, body, {"category": label}, language, kind=KIND_ROLL)), *records]
