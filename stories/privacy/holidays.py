"""Whether a run of words is the name of a public holiday somewhere (the ``holidays`` package, MIT).

The names are exported by training/ner/holiday_names.py into data/holidays.txt.gz (Latin script,
lower case, 2024-2028, every country the package supports, in its languages and in English); loaded
once per process.
"""

from __future__ import annotations

import functools
import gzip
import logging
from pathlib import Path

log = logging.getLogger(__name__)

HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays.txt.gz"
MAX_WORDS = 6  # the longest name kept, in words


@functools.lru_cache(maxsize=1)
def _holidays() -> frozenset[str]:
    if not HOLIDAYS_FILE.is_file():
        log.warning("holiday list %s is missing: holidays may be taken for names", HOLIDAYS_FILE)
        return frozenset()
    lines = gzip.decompress(HOLIDAYS_FILE.read_bytes()).decode("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_holiday_name(words: str) -> bool:
    """``words`` (one or more, separated by single spaces, any case) is a public holiday's name
    ("Chuseok", "Fiestas Patrias", "Día de los Muertos")."""
    return words.lower() in _holidays()
