"""Vietnamese text handling in one place: slugs, diacritic folding, dates and numbers.

Slugs come from python-slugify and dates and numbers from Babel's CLDR data, so the output does
not depend on the machine's locales (glibc's vi_VN is often missing or writes "Chủ nhật").
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal
from slugify import slugify as _slugify

# "đ" is a letter of its own, not a "d" with a combining mark, so NFD alone never folds it.
_D_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def slugify(text: str) -> str:
    """A URL slug: "Công đoàn “cơ sở”" -> "cong-doan-co-so"."""
    return _slugify(str(text).translate(_D_FOLD))


def fold(text: str) -> str:
    """Drop tone marks and vowel marks and turn "đ" into "d", keeping case: "Đoàn" -> "Doan"."""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def search_fold(text: str) -> str:
    """Lower-case folded text, the form a query typed without diacritics is compared in."""
    return fold(text).casefold()


def _locale(language: str) -> str:
    return "vi" if language == "vi" else language


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
