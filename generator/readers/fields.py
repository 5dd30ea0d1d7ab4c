"""Typed access to a YAML mapping that reports every bad value with its file and line."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from generator.diagnostics import Diagnostics, did_you_mean
from generator.urls import alias
from generator.url_policy import LINK, Allow, check_url, has_scheme
from generator.yaml_advice import quoted
from generator.yamlread import LineMap

_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")
# Invisible characters that arrive with text copied from Word or a web page. In a name they make
# one person two ("Nguyễn Văn\u200b An" is not "Nguyễn Văn An") and may show as a box.
INVISIBLE = {"\u200b": "zero width space", "\u200c": "zero width non-joiner", "\u200d": "zero width joiner",
             "\ufeff": "zero width no-break space", "\u2060": "word joiner"}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")
# A joiner between two pictographs makes one emoji (family, professions): that one is meant.
_EMOJI_JOINER = re.compile("(?<=[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F])\u200d(?=[\U0001F000-\U0001FAFF\u2600-\u27BF])")
# A list written as a sentence: "tags: đối thoại, quan hệ lao động".
_SEPARATORS = re.compile(r"[,;]")
_NEEDS_QUOTES = re.compile(r"[:#\[\]{}&*!|>'\"%@`]")
# Lists longer than this are mistakes (a pasted list of 10,000 tags built a 2 MB page).
MOST_ITEMS = 50


def without_invisible(text: str) -> tuple[str, list[str]]:
    """`text` without zero-width characters, and the names of those removed."""
    kept = _EMOJI_JOINER.sub("\x00", text)
    removed = [INVISIBLE[c] for c in _INVISIBLE.findall(kept)]
    return (_INVISIBLE.sub("", kept).replace("\x00", "\u200d"), removed) if removed else (text, [])


class Fields:
    """Reads keys of one mapping (front matter, a roll entry) into Python values.

    Every getter returns a usable default on a bad value after recording an error, so one pass
    over a file reports all of its problems.
    """

    def __init__(self, data: dict, path: str, lines: LineMap, diags: Diagnostics, position: tuple = ()):
        self.path = path
        self.lines = lines
        self.diags = diags
        self.position = position
        self._written = {}       # key without invisible characters -> the key as written (its line)
        if not position:         # the whole file's mapping: its YAML reading's warnings, once
            diags.extend(lines.warnings)
        self.data = {self._visible_key(key): value for key, value in data.items()}

    def line(self, key: str | None = None) -> int:
        key = self._written.get(key, key)
        return self.lines.line(*self.position, *(() if key is None else (key,)))

    def _visible_key(self, key):
        if not isinstance(key, str):
            return key
        clean, removed = without_invisible(key)
        if removed:
            self._written[clean] = key
            self._warn_invisible(clean, removed, "key")
        return clean

    def _visible(self, key: str, text: str) -> str:
        clean, removed = without_invisible(text)
        if removed:
            self._warn_invisible(key, removed, "value of")
        return clean

    def _warn_invisible(self, key: str, removed: list[str], what: str) -> None:
        names = ", ".join(sorted(set(removed)))
        self.diags.warning(self.path, self.line(key),
                           f"the {what} '{key}' held {len(removed)} invisible character(s) ({names}), "
                           "removed", "they come with text copied from Word or a web page; retype the line to be sure")

    def error(self, key: str | None, message: str, hint: str | None = None) -> None:
        self.diags.error(self.path, self.line(key), message, hint)

    def warn_unknown(self, known: set[str] | dict, what: str = "key") -> None:
        for key in self.data:
            if key not in known:
                self.diags.warning(self.path, self.line(str(key)), f"unknown {what} '{key}' is ignored",
                                   did_you_mean(str(key), known))

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(key if key in self.data else None, f"'{key}' is required")
            return default
        if isinstance(value, (dict, list)):
            self.error(key, f"'{key}' must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
            return default
        if isinstance(value, bool):
            self.error(key, f"'{key}' must be text, not true/false")
            return default
        return self._visible(key, str(value)).strip()

    def link(self, key: str, allow: Allow = LINK) -> str:
        """An address to publish as a link; refused (with the reason) unless the URL policy allows it."""
        value = self.text(key)
        if not value:
            return ""
        checked = check_url(value, allow)
        if not checked.ok:
            self.error(key, f"'{key}' cannot be published: {checked.problem}: '{value}'",
                       "write an https:// address, or a path on this site such as /media/…")
        return checked.url

    def aliases(self) -> tuple[str, ...]:
        """`aliases:` old addresses of this document, each a site path (urls.alias)."""
        found = []
        for value in self.text_list("aliases"):
            path, problem = alias(value)
            if problem:
                self.error("aliases", f"'aliases': {problem}: '{value}'")
            elif path not in found:
                found.append(path)
        return tuple(found)

    def media(self, key: str, example: str) -> str:
        """A picture or video: a file under /media/ in this site, or an http(s) address."""
        value = self.text(key)
        if not value:
            return ""
        if has_scheme(value) or value.startswith("//"):
            return self.link(key, Allow.WEB)
        if not value.startswith("/media/") or ".." in value.split("/") or not check_url(value, Allow.SITE).ok:
            self.error(key, f"'{key}' must be a path under /media/ or an https:// address, not '{value}'",
                       f"for example {example}")
            return ""
        return value

    def boolean(self, key: str) -> bool:
        value = self.data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not '{value}'")
            return False
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = self._visible(key, str(value)).strip()
            items = [item.strip() for item in _SEPARATORS.split(text) if item.strip()]
            if len(items) > 1:
                listed = ", ".join(quoted(item) if _NEEDS_QUOTES.search(item) else item for item in items)
                self.diags.warning(self.path, self.line(key),
                                   f"'{key}' is one line of text; it is read as {len(items)} items: "
                                   + "; ".join(items), f"write it as a list: {key}: [{listed}]")
            return tuple(items)
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list")
            return ()
        items = []
        for item in value:
            if isinstance(item, (dict, list)) or item is None or isinstance(item, bool):
                self.error(key, f"every item of '{key}' must be text")
                continue
            text = self._visible(key, str(item)).strip()
            if text:
                items.append(text)
        if len(items) > MOST_ITEMS:
            self.diags.warning(self.path, self.line(key), f"'{key}' lists {len(items)} items",
                               f"more than {MOST_ITEMS} is almost always a pasting mistake; keep the few that matter")
        return tuple(items)

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(key, default=default)
        if value not in choices:
            self.error(key, f"'{key}' must be one of {', '.join(choices)}, not '{value}'",
                       did_you_mean(value, choices))
            return default
        return value

    def number(self, key: str, required: bool = False) -> float | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(None, f"'{key}' is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            cleaned = str(value).replace(".", "").replace(" ", "").replace(",", ".") if isinstance(value, str) else None
            try:
                return float(cleaned) if cleaned else self._bad_number(key, value)
            except ValueError:
                return self._bad_number(key, value)
        return value

    def _bad_number(self, key: str, value) -> None:
        self.error(key, f"'{key}' must be a number, not '{value}'", "write digits only, e.g. 120000000")
        return None

    def datetime(self, key: str, tz: ZoneInfo, required: bool = False) -> dt.datetime | None:
        """A date or date-time; values without an offset are in the site's time zone."""
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(None, f"'{key}' is required", "for example 2026-11-21 08:30")
            return None
        parsed = _to_datetime(value)
        if parsed is None:
            self.error(key, f"'{key}' is not a valid date: '{value}'",
                       "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-11-21 08:30")
            return None
        return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed.astimezone(tz)

    def date(self, key: str, required: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(None, f"'{key}' is required", "for example 2026-01-31")
            return None
        parsed = _to_datetime(value)
        if parsed is None:
            self.error(key, f"'{key}' is not a valid date: '{value}'", "write it as YYYY-MM-DD")
            return None
        return parsed.date()


def _to_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _VN_DATE.match(text)
    try:
        if match:
            day, month, year, hour, minute = match.groups()
            return dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
