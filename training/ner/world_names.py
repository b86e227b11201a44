"""Export first names of many countries from Jörg Michael's nam_dict.txt into
stories/privacy/data/first_names_world.txt.

Out of fold, and in the hand-written hard sentences, about one person-name word in four was in no
list (DaCy's, the hand-curated one, Faker's): names young people in Denmark carry from Somalia,
Eritrea, Turkey, Vietnam, Sri Lanka, Afghanistan ("Mert", "Sagal", "Duc", "Feven"). nam_dict.txt
(about 48,000 first names of 55 countries, 2008; shipped inside the gender-guesser wheel) has many
of them. Its licence is the GNU Free Documentation License 1.2 or later, and a changed copy must be
released under it too: the exported file is such a copy, under the GFDL, with the licence beside it
(first_names_world.LICENSE.txt); the app's code stays MIT.

What is kept, as for Faker's names (``foreign_names.py``): one-word names in Latin script, not in
the other lists, not common words (wordfreq Zipf < MAX_ZIPF in Danish and English). The list is
broad, so it also leaves out every Danish word (spaCy's Danish lemma table: "Mentor", "Orkan",
"Enkel" are names somewhere) and every English word in use (spaCy's English lemma index, Zipf >=
EN_WORD_ZIPF: "Sunshine", "Alien"), which a capitalised role or sentence start would otherwise
turn into a name; and every word frequent in Danish text (Zipf >= DA_WORD_ZIPF: "Torino", "Assens",
"Bing" are places and firms there more often than people). Names joined
with "+" (Arabic, Chinese and Korean: "Abd+al+Rahman") give their parts and the joined form. Names
with diacritics also give the form without them ("Đức" -> "Duc", "Şükrü" -> "Sukru"), as young
people type them on a phone; Faker's names get those folded forms too.

gender-guesser (GPLv3 code, not used; only its data file is read) is needed to run this script
only, not by the app:

    .venv/bin/pip install gender-guesser==0.4.0
    .venv/bin/python training/ner/world_names.py
"""

from __future__ import annotations

import importlib.resources
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from foreign_names import _LATIN_NAME_RE, LIST_ONLY_LOCALES, LOCALES, MAX_ZIPF, first_names  # noqa: E402

from stories.privacy.names import WORLD_FIRST_NAMES_FILE, name_list  # noqa: E402

EN_WORD_ZIPF = 3.0
DA_WORD_ZIPF = 3.5
GFDL_TEXT = Path("/usr/share/common-licenses/GFDL-1.2")  # Debian's copy of the licence text
_FOLD = str.maketrans({"Đ": "D", "đ": "d", "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                       "ß": "ss", "ə": "a", "Ə": "A", "æ": "ae", "Æ": "Ae", "þ": "th", "ð": "d"})


def folded(name: str) -> str:
    """The name without diacritics: "Đức" -> "Duc", "Gülşen" -> "Gulsen"."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.translate(_FOLD)) if not unicodedata.combining(c))


def nam_dict_names() -> set[str]:
    """Every first name in nam_dict.txt (parts and joined forms of "+" names), as written."""
    data = importlib.resources.files("gender_guesser") / "data" / "nam_dict.txt"
    out: set[str] = set()
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "=")) or len(line) < 30 or line[29] == "+":  # '+' in column 30: a duplicate
            continue
        name = line[3:29].strip()
        parts = [p for p in name.replace("-", "+").replace(" ", "+").split("+") if p]
        out.update(parts)
        if len(parts) > 1:
            out.add("".join(parts).capitalize())
    return out


def main() -> None:
    from spacy.lookups import load_lookups
    from wordfreq import zipf_frequency

    danish = load_lookups("da", ["lemma_lookup"]).get_table("lemma_lookup")
    index = load_lookups("en", ["lemma_index"]).get_table("lemma_index")
    english = {w for pos in index.keys() for w in index[pos]}

    WORLD_FIRST_NAMES_FILE.unlink(missing_ok=True)  # the names list without this file's names
    listed = name_list()
    faker = {n for locale in (*LOCALES, *LIST_ONLY_LOCALES) for n in first_names(locale)}
    candidates = nam_dict_names()
    candidates |= {folded(n) for n in candidates} | {folded(n) for n in faker}
    keep = set()
    for name in candidates:
        if len(name) < 2 or not _LATIN_NAME_RE.match(name) or name in listed:
            continue
        w = name.lower()
        if any(zipf_frequency(w, lang) >= MAX_ZIPF for lang in ("da", "en")) or w in danish \
                or zipf_frequency(w, "da") >= DA_WORD_ZIPF \
                or (w in english and zipf_frequency(w, "en") >= EN_WORD_ZIPF):
            continue
        keep.add(name)
    header = [
        "# First names of 55 countries from nam_dict.txt (c) 2007-2008 Jorg Michael, as shipped in the",
        "# gender-guesser 0.4.0 wheel; and the forms without diacritics of those names and of Faker's.",
        "# Permission is granted to copy, distribute and/or modify this document under the terms of the",
        "# GNU Free Documentation License, Version 1.2 or any later version published by the Free",
        "# Software Foundation; with no Invariant Sections, no Front-Cover Texts, and no Back-Cover Texts.",
        "# A copy of the license is in first_names_world.LICENSE.txt. Changed from nam_dict.txt: one name",
        "# per line, no genders or frequencies, names not in the project's other lists, not common words",
        f"# (wordfreq Zipf < {MAX_ZIPF} in Danish and English), not Danish words, not English words in use",
        f"# (spaCy's lemma tables; English Zipf >= {EN_WORD_ZIPF}), not frequent in Danish (Zipf >= {DA_WORD_ZIPF});",
        "# folded forms added.",
        "# Written by training/ner/world_names.py; each counts as a name carried by one person in Denmark.",
    ]
    WORLD_FIRST_NAMES_FILE.write_text("\n".join([*header, *sorted(keep)]) + "\n", encoding="utf-8")
    licence = WORLD_FIRST_NAMES_FILE.with_name("first_names_world.LICENSE.txt")
    licence.write_text(GFDL_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{WORLD_FIRST_NAMES_FILE}: {len(keep)} names")


if __name__ == "__main__":
    main()
