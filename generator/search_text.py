"""Text helpers of the search records that readers use too (a leaf module: the document cache
is keyed by the code readers import, which must not pull in the model or views)."""
from __future__ import annotations

import functools
import html
import re

from generator.vietnamese import fold

_TAG = re.compile(r"<[^>]+>")
_D_WORD = re.compile(r"\w*[đĐ]\w*")


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, tags dropped and entities decoded (only for word lists)."""
    return html.unescape(_TAG.sub(" ", fragment))


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
