"""Whether a run of words is the name of a public holiday somewhere (the ``holidays`` package, MIT).

The names are exported by training/ner/holiday_names.py into data/holidays.txt.gz (Latin script,
lower case, 2024-2028, every country the package supports, in its languages and in English); loaded
once per process.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from stories.privacy.data_files import gz_lines

log = logging.getLogger(__name__)

HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays.txt.gz"
MAX_WORDS = 6  # the longest name kept, in words


@functools.lru_cache(maxsize=1)
def _holidays() -> frozenset[str]:
    return gz_lines(HOLIDAYS_FILE, log, "holidays may be taken for names")


def is_holiday_name(words: str) -> bool:
    """``words`` (one or more, separated by single spaces, any case) is a public holiday's name
    ("Chuseok", "Fiestas Patrias", "Día de los Muertos")."""
    return words.lower() in _holidays()
