"""Problems found in a site's sources, reported as `path:line: severity: message`."""
from __future__ import annotations

import difflib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable

from generator.pickling import quick_state

ERROR = "error"
WARNING = "warning"


@quick_state
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, tied to a file (relative to the site folder) and a 1-based line when known."""

    path: str
    line: int | None
    severity: str
    message: str
    hint: str | None = None

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.severity, self.message)


class ContentError(Exception):
    """Raised by readers for a single unrecoverable problem in one file."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass
class Diagnostics:
    """A collector: stages append every problem they find and never stop at the first."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, line, ERROR, message, hint))

    def warning(self, path: str, line: int | None, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, line, WARNING, message, hint))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: d.sort_key)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean …?' hint for a misspelt key or reference, or None when nothing is close."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.startswith(word) or word.startswith(c)][:1]
    return f"did you mean '{close[0]}'?" if close else None


@contextmanager
def working_on(what: str):
    """Tag an unexpected exception with the file (or stage) being processed, for a one-line report.

    Only the innermost tag is kept: it names the most precise place.
    """
    try:
        yield
    except Exception as exc:
        if not getattr(exc, "processing", None):
            try:
                exc.processing = what
            except AttributeError:    # exceptions with __slots__ cannot be tagged
                pass
        raise
