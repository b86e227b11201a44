"""Whether a capitalised word is the name of a town or city (GeoNames, CC BY 4.0), and no listed name.

The names are exported by training/ner/place_names.py into data/places.txt.gz (cities of 5,000
people or more worldwide, towns of 500 or more in Denmark, Greenland and the Faroe Islands); loaded
once per process.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from stories.privacy.data_files import gz_lines

log = logging.getLogger(__name__)

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.txt.gz"


@functools.lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    return gz_lines(PLACES_FILE, log, "places abroad may be taken for names")


def is_place_name(word: str) -> bool:
    """``word`` as written ("Tirana", "Korsør") is a town's or a city's name no names list has."""
    return word in _places()
