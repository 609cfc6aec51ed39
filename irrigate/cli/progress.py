"""The progress bar of long commands: on stderr, only on a terminal, only after a delay."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """A bar on stderr that appears only when a run lasts more than ``delay`` seconds.

    Call it as ``bar(done, total, label)`` (the engine's progress callback); :meth:`close`
    ends the line.
    """

    def __init__(self, title: str, enabled: bool = True, delay: float = 2.0) -> None:
        self.title = title
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False

    def __call__(self, done: int, total: int, label: str = "") -> None:
        """Draw ``done`` of ``total`` work units, with the current step's ``label``."""
        if not self.enabled or time.monotonic() - self.start < self.delay:
            return
        frac = min(done / max(total, 1), 1.0)
        bar = "#" * int(30 * frac)
        sys.stderr.write(f"\r{self.title} [{bar:<30}] {100 * frac:3.0f}% {label[:30]:<30}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        """End the bar's line if it was drawn."""
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
