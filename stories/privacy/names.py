"""People's names known in Denmark: DaCy's name list plus the project's hand-curated first names.

`data/names_dacy.csv` is copied unchanged from the DaCy wheel (Apache-2.0, see
`data/names_dacy.LICENSE.txt`): Danish first and last names with how many people in
Denmark carry them (Danmarks Statistik, 2021) and Muslim first and last names
(Meldgaard, 2005). `data/first_names_da.txt` adds common first names by hand, and
`data/first_names_faker.txt` first names used in other countries, from Faker's lists (MIT), and
`data/first_names_world.txt` first names of 55 countries from Jörg Michael's nam_dict.txt (GNU Free
Documentation License 1.2 or later, see `data/first_names_world.LICENSE.txt`) with the forms of all
these names without diacritics ("Duc", "Sukru").
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DACY_FILE = DATA / "names_dacy.csv"
FIRST_NAMES_FILE = DATA / "first_names_da.txt"
SURNAME_WORDS_FILE = DATA / "surname_words_da.txt"
FIRST_NAME_WORDS_FILE = DATA / "first_name_words.txt"  # written by training/ner/first_name_words.py
FOREIGN_FIRST_NAMES_FILE = DATA / "first_names_faker.txt"  # from Faker (MIT), see training/ner/foreign_names.py
# from Jörg Michael's nam_dict.txt (GFDL 1.2+), and names without diacritics; see training/ner/world_names.py
WORLD_FIRST_NAMES_FILE = DATA / "first_names_world.txt"
FOREIGN_COUNT = 1  # the count given to a first name only Faker's lists have: listed, never a lower-case name
UNCOUNTED = 100  # the count given to a listed name without one (Muslim names, the hand-curated list)

# Listed names that are also everyday words; at the start of a sentence or in lower case
# they count as names only with more evidence (the model, a surname next to them).
DA_NAME_WORDS = frozenset({
    "hans", "per", "liv", "bo", "mark", "storm", "sol", "ask", "lærke", "max", "rose", "dag", "alle",
    "frank", "bent", "vilde", "ny", "sten", "tom", "kim", "lykke", "have", "holm", "lund", "skov", "dam",
    "bang", "berg", "strand", "sand", "vang", "ring", "kamp", "just", "find", "from", "mine", "sine", "line",
    "lang", "list", "frost", "sommer", "vinter", "vest", "jul", "maj", "august", "glad", "fisker", "smed",
    "møller", "præst", "bonde", "munk", "ravn", "falk", "due", "svane", "hjort", "birk", "lind", "hvid",
    "grøn", "brun", "stig", "bjørn", "ulf", "ib", "bue", "aske", "ege", "sejr", "kraft", "lam", "post",
})
EN_NAME_WORDS = frozenset({
    "mark", "will", "rose", "grace", "hope", "bill", "frank", "max", "may", "june", "joy", "ray", "dawn",
    "faith", "jack", "bob", "pat", "sue", "lee", "van", "tom", "art", "bay", "bell", "brook", "carol",
    "chance", "chase", "cliff", "daisy", "dale", "dean", "earl", "early", "ernest", "fern", "gene", "glen",
    "guy", "hall", "heath", "holly", "iris", "ivy", "jay", "jewel", "king", "lily", "love", "major", "miles",
    "misty", "penny", "pearl", "rich", "river", "rob", "robin", "rusty", "sandy", "skip", "sky", "star",
    "sunny", "summer", "victor", "violet", "wade", "ward", "wells", "wood", "young", "green", "white",
    "brown", "black", "smith", "cook", "baker", "miller", "hunter", "storm", "sol", "per", "hans", "bo",
    "liv", "bent", "ask", "dag", "alle", "ny", "sten", "kim", "just", "find", "from", "mine", "line", "list",
})

# Names that are also everyday words and that no list has (left out of Faker's and nam_dict's for
# their frequency as words), listed so that a capitalised one inside a sentence is a name ("Vi
# fulgte Dag hjem", "walk Grace to the metro"). At the start of a sentence the rules for names that
# are words apply (``DA_NAME_WORDS``, ``EN_NAME_WORDS``: more evidence is needed); they carry the
# count of a name from other countries, so in lower case they are names only where two things say
# person (``first_name_words``: "summer", "bob" are words).
LISTED_NAME_WORDS = ("Ask", "Bob", "Dag", "Faith", "Grace", "Hope", "Pat", "Ray", "Rob", "Sol", "Summer", "Sunny",
                     "Vilde")


@dataclass(frozen=True)
class NameList:
    first: dict[str, int]  # name -> people carrying it (at least 1)
    last: dict[str, int]
    # first names only nam_dict's broad list has ("Chai", "Tarana"): many are words of other
    # languages, so in lower case they are names only where a person stands (``name_lowercase``)
    cue_only: frozenset[str] = frozenset()

    def count(self, word: str) -> int:
        """How many people carry ``word`` as a first or last name (0: not a listed name)."""
        return self.first.get(word, 0) + self.last.get(word, 0)

    def log_count(self, word: str) -> float:
        return math.log10(1 + self.count(word))

    def __contains__(self, word: str) -> bool:
        return word in self.first or word in self.last


def _count(value: str) -> int:
    try:
        n = float(value)
    except ValueError:
        return UNCOUNTED
    return UNCOUNTED if math.isnan(n) else max(1, int(n))


def _word_list(path: Path) -> frozenset[str]:
    """One word per line (comments and blank lines skipped); empty when the file is missing."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def hand_curated_first_names() -> frozenset[str]:
    """The project's list of common first names (comments and blank lines skipped)."""
    return _word_list(FIRST_NAMES_FILE)


@functools.lru_cache(maxsize=1)
def surname_words() -> frozenset[str]:
    """Listed surnames that are also Danish words ("smidt", "kok"), lower case."""
    return _word_list(SURNAME_WORDS_FILE)


@functools.lru_cache(maxsize=1)
def first_name_words() -> frozenset[str]:
    """Listed first names that are also Danish or English words ("vikar", "mads", "odd"), lower case."""
    return _word_list(FIRST_NAME_WORDS_FILE)


@functools.lru_cache(maxsize=1)
def name_list() -> NameList:
    """All listed names, loaded once per process."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    if DACY_FILE.exists():
        with DACY_FILE.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                name = (row.get("name") or "").strip()
                if len(name) < 2 or not name[0].isupper():
                    continue
                target = first if row.get("first_name") == "True" else last
                target[name] = target.get(name, 0) + _count(row.get("count") or "")
    for name in hand_curated_first_names():
        first.setdefault(name, UNCOUNTED)
    for name in _word_list(FOREIGN_FIRST_NAMES_FILE):
        if name not in first and name not in last:
            first[name] = FOREIGN_COUNT
    cue_only = set()
    for name in _word_list(WORLD_FIRST_NAMES_FILE):
        if name not in first and name not in last:
            first[name] = FOREIGN_COUNT
            cue_only.add(name)
    for name in LISTED_NAME_WORDS:
        first.setdefault(name, FOREIGN_COUNT)
    return NameList(first, last, frozenset(cue_only))


def hidden_word_forms() -> frozenset[str]:
    """Lower-case forms of listed names, for leaving names out of word counts and word clouds.

    Names that are also everyday words ("hans", "skov", "sommer"; and the names only Faker's lists
    have that are Danish or English words: "vikar", "villa", "server") stay: a word cloud needs them
    and the stories' text is pseudonymised by the detector anyway.
    """
    names = name_list()
    words = first_name_words()
    foreign_words = {w.lower() for w, n in names.first.items()
                     if n == FOREIGN_COUNT and w not in names.last and w.lower() in words}
    return frozenset(w.lower() for w in [*names.first, *names.last]) - DA_NAME_WORDS - foreign_words
