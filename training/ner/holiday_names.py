"""Export the names of public holidays worldwide from the ``holidays`` package into
stories/privacy/data/holidays.txt.gz.

A holiday a family keeps ("Chuseok", "Fiestas Patrias", "Arbaeen") looks to the rules like a name no
list knows. The ``holidays`` package (MIT, https://github.com/vacanza/holidays) has the public
holidays of every country it supports, in the country's languages and in English. This script keeps,
in Latin script, every holiday's name for the years 2024-2028 without its notes in brackets
("(observed)", "(estimated)"), and a name that brackets hold ("Ethiopian New Year (Enkutatash)"),
lower-cased; it leaves out a name of one word that a names list has
("Noel"), and every name with a person's title in it ("King Bhumibol's Birthday", "President's Day":
the rules judge those words on their own). ``name_runs.holiday_run`` vetoes a run of words that is
one of these names as written.

holidays is needed to run this script only, not by the app:

    .venv/bin/pip install holidays==0.109
    .venv/bin/python training/ner/holiday_names.py
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
import sys
import unicodedata
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from stories.privacy.holidays import HOLIDAYS_FILE, MAX_WORDS  # noqa: E402
from stories.privacy.names import name_list  # noqa: E402

YEARS = range(2024, 2029)
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_INNER = re.compile(r"[(\[]([^)\]]*)[)\]]")
NOTE_MIN_COUNT = 5  # a word in this many different bracketed texts belongs to notes
# A person's title: a holiday named for a person ("King's Birthday", "Día del Presidente") says nothing
# about the person's name written elsewhere
_TITLES = frozenset("king queen prince princess president presidente président sultan emir sheikh "
                    "majesty hm hrh rey reina roi reine könig königin kong dronning".split())


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def holiday_names() -> set[str]:
    import holidays

    warnings.filterwarnings("ignore")
    names = name_list()
    out: set[str] = set()
    raw: list[str] = []
    localized = holidays.list_localized_countries()
    for code in holidays.list_supported_countries():
        for language in (None, *localized.get(code, ())):
            try:
                days = holidays.country_holidays(code, years=YEARS, language=language)
            except (NotImplementedError, KeyError, ValueError):
                continue
            for value in days.values():
                for name in value.split(";"):
                    raw.append(name)
    # what brackets hold is either a note that many names share ("observed", "estimated", "puente") or
    # the holiday's own name ("Ethiopian New Year (Enkutatash)"): the words of notes recur
    inner = [m.strip() for name in raw for m in _INNER.findall(name)]
    common = Counter(w.lower() for text in set(inner) for w in text.split())
    notes = {w for w, n in common.items() if n >= NOTE_MIN_COUNT}
    for name in [*raw, *(t for t in inner if not any(w.lower() in notes for w in t.split()))]:
        name = " ".join(_BRACKETS.sub("", name).split())
        words = name.split()
        if not name or not _latin(name) or len(words) > MAX_WORDS or not any(c.isalpha() for c in name):
            continue
        if any(w.lower().strip(".,").removesuffix("'s").removesuffix("’s") in _TITLES for w in words):
            continue
        if len(words) == 1 and (name in names or name.capitalize() in names):
            continue
        out.add(name.lower())
    return out


def main() -> None:
    import holidays

    keep = sorted(holiday_names())
    header = (f"# Names of public holidays from the holidays package {holidays.__version__} (MIT, "
              f"https://github.com/vacanza/holidays), {YEARS.start}-{YEARS.stop - 1}, Latin script, lower case;\n"
              "# no one-word name a names list has, no name with a person's title. Written by "
              "training/ner/holiday_names.py.\n")
    HOLIDAYS_FILE.write_bytes(gzip.compress((header + "\n".join(keep) + "\n").encode("utf-8"), compresslevel=9,
                                            mtime=0))
    print(f"{HOLIDAYS_FILE}: {len(keep)} names, {HOLIDAYS_FILE.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
