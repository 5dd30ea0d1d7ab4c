"""Text helpers of the search records that readers use too (a leaf module: the document cache
is keyed by the code readers import, which must not pull in the model or views)."""
from __future__ import annotations

import functools
import html
import re

from generator.vietnamese import fold

_TAG = re.compile(r"<[^>]+>")
_D_WORD = re.compile(r"\w*[đĐ]\w*")

# Elements whose text stands apart from the text around them: blocks, list items, table cells.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul"})
# Lower case only: record bodies are serialised by nh3 (sanitize.py) or lxml (search_rolls), which
# write tag names so (and IGNORECASE makes this twice as slow).
_BLOCK_TAG = re.compile(r"(</?(?:%s)\b[^>]*>)" % "|".join(sorted(BLOCK_TAGS, key=len, reverse=True)))


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, tags dropped and entities decoded (only for word lists)."""
    return html.unescape(_TAG.sub(" ", fragment))


def spaced(fragment: str) -> str:
    """An HTML fragment with a space on both sides of every block and table-cell tag.

    Pagefind joins the text of neighbouring elements as it finds it: "<dt>Số được vinh
    danh</dt><dd>19</dd>" was indexed as the word "danh19" (found by neither "danh" nor "19", and
    shown so in excerpts); it puts ". " after a paragraph, an item or a row, but nothing after a
    term, a definition, a header cell, a caption or a quotation. A space between the tags is text
    of the page that it keeps, so every such boundary becomes a word boundary. Inline elements
    ("<b>C</b>ông") are left as they are: their boundaries are not word boundaries.

    (Split and joined: twice as fast as `re.sub`, ~70 µs for an article of 3 KB.)"""
    pieces = _BLOCK_TAG.split(fragment)
    pieces[1::2] = [f" {tag} " for tag in pieces[1::2]]
    return "".join(pieces)


def d_words(text: str) -> str:
    """Every word of `text` that holds "đ", folded, in order: the search supplement.

    Split on spaces first and look for words only in the pieces holding "đ": a regular
    expression over the whole text tries a match at every letter (3x slower on 10,000 articles);
    a few hundred distinct syllables hold "đ", so their folded forms are memoised."""
    found = []
    for piece in text.split():
        if "đ" in piece or "Đ" in piece:
            found.extend(_fold_word(word) for word in _D_WORD.findall(piece))
    return " ".join(found)


@functools.lru_cache(maxsize=16384)
def _fold_word(word: str) -> str:
    return fold(word)
