"""A progress line on the command line for long work (imports, re-indexing)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

EVERY_S = 1.0  # at most one line (or one update of it) a second, and always the last


def progress_line(label: str, unit: str, stream: TextIO | None = None) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback printing "label: done of total unit (p%)" to stderr:
    updated in place on a terminal, one line at a time otherwise (logs, pipes)."""
    out = stream or sys.stderr
    in_place = out.isatty()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        final = done >= total
        if not final and now - last[0] < EVERY_S:
            return
        last[0] = now
        share = f" ({100 * done // total}%)" if total else ""
        text = f"{label}: {done:,} of {total:,} {unit}{share}"
        if in_place:
            out.write("\r" + text + ("\n" if final else ""))
        else:
            out.write(text + "\n")
        out.flush()

    return progress
