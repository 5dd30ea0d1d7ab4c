"""Vietnamese text handling in one place: slugs, diacritic folding, dates and numbers.

Slugs come from python-slugify and dates and numbers from Babel's CLDR data, so the output does
not depend on the machine's locales (glibc's vi_VN is often missing or writes "Chủ nhật").
"""
from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from decimal import Decimal

from babel import Locale
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal
from slugify import slugify as _slugify

# "đ" is a letter of its own, not a "d" with a combining mark, so NFD alone never folds it.
_D_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


# Generated slugs stop at a whole word within this many characters: a 291-character headline
# would otherwise make a folder name past the file systems' 255-byte limit, and no reader wants
# such an address. Slugs are ASCII, so characters are bytes.
MAX_SLUG = 100


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A URL slug: "Công đoàn “cơ sở”" -> "cong-doan-co-so", at most MAX_SLUG characters, cut
    between words.

    Memoised: tags and names are slugified once per article and page that shows them. The
    transliteration backend is named so python-slugify skips its failing per-call import of the
    optional Unidecode (7x slower), and slugs do not change if Unidecode gets installed.
    """
    return _slugify(str(text).translate(_D_FOLD), backend="text-unidecode", max_length=MAX_SLUG,
                    word_boundary=True, save_order=True)


def fold(text: str) -> str:
    """Drop tone marks and vowel marks and turn "đ" into "d", keeping case: "Đoàn" -> "Doan"."""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def search_fold(text: str) -> str:
    """Lower-case folded text, the form a query typed without diacritics is compared in."""
    return fold(text).casefold()


@functools.lru_cache(maxsize=None)
def _locale(language: str) -> Locale:
    """A parsed Babel locale: passing the object, not its name, makes each format call ~3x faster."""
    return Locale.parse("vi" if language == "vi" else language)


def format_datetime(value: dt.datetime, language: str = "vi") -> str:
    """Weekday, date and time: "Thứ Bảy, 21/11/2026 08:30"."""
    return _babel_datetime(value, "EEEE, dd/MM/yyyy HH:mm", tzinfo=value.tzinfo, locale=_locale(language))


def format_day(value: dt.date | dt.datetime, language: str = "vi") -> str:
    """Weekday and date: "Chủ Nhật, 22/11/2026"."""
    return _babel_datetime(_as_datetime(value), "EEEE, dd/MM/yyyy", tzinfo=_tz(value), locale=_locale(language))


def format_short(value: dt.datetime, language: str = "vi") -> str:
    """Compact date and time for lists: "21/11/2026 08:30"."""
    return _babel_datetime(value, "dd/MM/yyyy HH:mm", tzinfo=value.tzinfo, locale=_locale(language))


def format_date(value: dt.date | dt.datetime, language: str = "vi") -> str:
    """Date only: "21/11/2026"."""
    return _babel_datetime(_as_datetime(value), "dd/MM/yyyy", tzinfo=_tz(value), locale=_locale(language))


def format_number(value: int | float | Decimal, decimals: int | None = None, language: str = "vi") -> str:
    """Grouped number with the locale's separators: 7929 -> "7.929", 528.6 -> "528,6"."""
    pattern = None
    if decimals is not None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_decimal(value, format=pattern, locale=_locale(language))


def format_money(value: int | float | Decimal, language: str = "vi") -> str:
    """An amount in đồng: 120000000 -> "120.000.000 đ"."""
    return f"{format_number(value, 0, language)}\u00a0đ"


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def _tz(value: dt.date | dt.datetime):
    return value.tzinfo if isinstance(value, dt.datetime) else None


# ---- Vietnamese collation ------------------------------------------------------------------
# PyICU would need the system's ICU headers to install and pyuca's default table treats ă, â,
# ê, ô, ơ, ư as accented a/e/o/u, which is wrong for Vietnamese. So the order is spelt out here:
# the 29 letters of the alphabet (with f, j, w, z placed where Latin puts them, for foreign
# names), then the five tone marks. Tests pin it against a hand-checked list of names.
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
             "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: 100 + rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make a new letter (breve, circumflex, horn) versus marks that carry the tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


@functools.lru_cache(maxsize=1 << 16, typed=True)   # `serve` sorts the same names at every build
def _split_marks(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(letter ranks, tone ranks) of a text: letters compare first, tones only on a tie."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", str(text).casefold()):
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = next((_TONE_RANK[m] for m in marks if m in _TONE_RANK), 0)
        if letter in _LETTER_RANK:
            letters.append(_LETTER_RANK[letter])
            tones.append(tone)
        elif base.isdigit():
            letters.append(10 + int(base) if base.isascii() else 90)
        elif base.isspace() or not base.isalnum():
            # Spaces and punctuation separate words: below every letter, so "An" < "An Bình".
            if letters and letters[-1] != 1:
                letters.append(1)
        else:
            letters.append(1000 + ord(base))   # other scripts: after the Latin alphabet
            tones.append(tone)
    while letters and letters[-1] == 1:
        letters.pop()
    return tuple(letters), tuple(tones)


def text_sort_key(text: str) -> tuple:
    """Sort key for titles, units and other text in Vietnamese alphabetical order."""
    letters, tones = _split_marks(text)
    return letters, tones, str(text)


def name_sort_key(name: str) -> tuple:
    """Sort key for a person's full name the way Vietnamese offices sort lists.

    Given name (tên, the last word) first, then family name (họ, the first word), then the
    middle names (đệm). Each part is compared completely, letters then tone marks, before the
    next part: "Nguyễn Văn Anh" < "Lê Thị Ánh" and "Phạm Thị Lan Anh" < "Trần Thị Anh".
    """
    words = str(name).split()
    if not words:
        return ((), (), (), str(name))
    given = words[-1]
    family = words[0] if len(words) > 1 else ""
    middle = " ".join(words[1:-1])
    return (_split_marks(given), _split_marks(family), _split_marks(middle), str(name))
