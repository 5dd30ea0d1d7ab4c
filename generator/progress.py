"""Progress of a long build on a terminal, and the one-line summary of every build.

The bar appears only when stderr is a terminal and the build has already taken ~2 s, so quick
rebuilds, pipes and CI logs get nothing but the summary line.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from generator.vietnamese import format_number

SHOW_AFTER = 2.0      # seconds before a bar appears
REDRAW_EVERY = 0.1
WIDTH = 24


class Progress:
    """Counts items of the current stage ("Đọc bài", "Dựng trang") and draws a bar on a TTY."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = _is_tty(self.stream) if enabled is None else enabled
        self.clock = clock
        self.started = clock()
        self._label, self._total, self._done = "", 0, 0
        self._stage_started = self.started
        self._drawn_at = 0.0
        self._visible = False

    def stage(self, label: str, total: int) -> Callable[[int], None]:
        """Start counting `total` items of a stage; returns `advance(n)`."""
        self._label, self._total, self._done = label, total, 0
        self._stage_started = self.clock()
        return self.advance

    def advance(self, count: int = 1) -> None:
        self._done += count
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < SHOW_AFTER or (now - self._drawn_at < REDRAW_EVERY and self._done < self._total):
            return
        self._drawn_at = now
        self.stream.write("\r" + bar_line(self._label, self._done, self._total, now - self._stage_started) + "\x1b[K")
        self.stream.flush()
        self._visible = True

    def close(self) -> None:
        """Erase the bar so the summary line starts on a clean line."""
        if self._visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._visible = False


def bar_line(label: str, done: int, total: int, seconds: float) -> str:
    """"Dựng trang [#######.......]  4.210/12.036  3.120/s"."""
    share = done / total if total else 1.0
    filled = min(WIDTH, int(share * WIDTH))
    rate = done / seconds if seconds > 0 else 0.0
    return (f"{label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
            f"{format_number(done)}/{format_number(total)}  {format_number(round(rate))}/s")


def summary_line(pages: int, unchanged: int | None, files: int, seconds: float, spliced: int = 0) -> str:
    """"12.036 trang, 11.980 không đổi, 57 tệp khác, 0,8 s" (`check` writes nothing: no "không đổi");
    pages that only got a shared block anew (splice.py) are counted as "thay khối chung"."""
    parts = [f"{format_number(pages)} trang"]
    if unchanged is not None:
        parts.append(f"{format_number(unchanged)} không đổi")
    if spliced:
        parts.append(f"{format_number(spliced)} thay khối chung")
    if files:
        parts.append(f"{format_number(files)} tệp khác")
    parts.append(f"{format_number(round(seconds, 1), 1)} s")
    return ", ".join(parts)


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
