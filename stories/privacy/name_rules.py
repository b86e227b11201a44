"""Rule layer for people's names, on top of the statistical NER model.

The NER model, trained on ~4,400 news sentences, finds about three names in
four on its own. These rules raise recall with a lexicon learned from the
training split only (``models/ner_da/name_lexicon.json``) and with Danish
orthography: ordinary nouns are lower-case in Danish, so a capitalised word
inside a sentence that the lexicon does not know as a non-name, and that the
model does not confidently call a place or an organisation, is taken as a name.
A capitalised unknown word at the start of a sentence counts only when its
ending looks like a name's (naive Bayes over word endings).

This module holds what is known of a word on its own (listed, common, name-shaped) and the
calendar; ``name_lowercase`` reads names written in lower case, ``name_verdicts`` decides for each
token whether it is a name here, and ``name_spans`` assembles the verdicts into names.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from stories.privacy.names import DA_NAME_WORDS, EN_NAME_WORDS, FOREIGN_COUNT, name_list
from stories.privacy.word_list import is_known_word

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "ner_da"
THRESHOLDS_FILE = "thresholds.json"  # beside the model: chosen by cross-validation on the train split


@dataclass(frozen=True)
class Thresholds:
    """The numbers the detector's decisions turn on (see training/ner/tune.py)."""

    per_min_prob: float = 0.3  # model: PER analyses covering a token add up to this -> name
    other_min_prob: float = 0.9  # model: place/organisation this sure -> not for the rules to call a name
    initial_min_likeness: float = 3.5  # word-ending log-odds an unknown capitalised sentence start needs
    common_min_zipf: float = 3.5  # an unlisted capitalised word this frequent (wordfreq, Danish) is no person
    head_min_zipf: float = 4.0  # nor is a compound whose last part (4+ letters) is this frequent
    min_name_count: int = 1  # a listed name counts when at least this many people in Denmark carry it
    lower_min_count: int = 300  # a lower-case word is a name when this many carry it capitalised
    en_common_min_zipf: float = 3.0  # English stories: an unlisted capitalised word this frequent is no person
    en_lower_max_zipf: float = 4.5  # English stories: a lower-case first name more frequent than this is a word
    common_per_min_prob: float = 0.9  # model: an unlisted common word ("Mentor") needs this much to be a name

    @classmethod
    def load(cls, path: Path) -> "Thresholds":
        data = json.loads(path.read_text(encoding="utf-8")).get("thresholds", {})
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@functools.lru_cache(maxsize=1)
def current_thresholds() -> Thresholds:
    """The shipped thresholds (models/ner_da/thresholds.json), else the defaults."""
    path = MODEL_DIR / THRESHOLDS_FILE
    return Thresholds.load(path) if path.is_file() else Thresholds()


# Any capital letter opens a name: "Ștefan", "Łukasz", "İlayda", "Đức", not only Danish and Western ones
_CAP_RE = re.compile(r"^(?=[^\W\d_])[\w'’]*$")
_HYPHEN_RE = re.compile(r"^((?=[^\W\d_])\w*)-([\w-]+)$")


@dataclass
class NameLexicon:
    person: dict[str, tuple[int, int]] = field(default_factory=dict)
    not_person: dict[str, int] = field(default_factory=dict)
    lower: frozenset[str] = frozenset()
    name_suffix: dict[str, int] = field(default_factory=dict)
    word_suffix: dict[str, int] = field(default_factory=dict)
    n_name: int = 0
    n_word: int = 0
    # per-word results computed from this lexicon (stories.privacy.name_features), kept for reuse
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> "NameLexicon":
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict) -> "NameLexicon":
        """The lexicon from its JSON form (as written by training/ner/lexicon.py)."""
        suf = data.get("suffixes", {})
        return cls(
            person={w: (p, o) for w, (p, o) in data["person"].items()},
            not_person=dict(data["not_person"]),
            lower=frozenset(data["lower"]),
            name_suffix=suf.get("name", {}),
            word_suffix=suf.get("word", {}),
            n_name=suf.get("n_name", 0),
            n_word=suf.get("n_word", 0),
        )

    def name_likeness(self, word: str, smoothing: float = 0.5) -> float:
        """Naive-Bayes log-odds that a word's endings are those of a name rather
        than of an ordinary word (0.0 when the lexicon has no suffix counts)."""
        if not self.n_name or not self.n_word:
            return 0.0
        w = word.lower()
        score = 0.0
        for k in (1, 2, 3, 4):
            if len(w) > k:
                suf = w[-k:]
                score += math.log((self.name_suffix.get(suf, 0) + smoothing) / (self.n_name + smoothing))
                score -= math.log((self.word_suffix.get(suf, 0) + smoothing) / (self.n_word + smoothing))
        return score


def name_forms(word: str) -> list[str]:
    """The word and its base forms: possessive stripped, all-caps title-cased."""
    out = [word]
    if word.isupper() and len(word) > 1:
        out.append(word.title())
    for w in list(out):
        for suffix in ("'s", "’s", "s", "'", "’"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 2:
                out.append(w[: -len(suffix)])
    return out


_ACRONYM_INFLECTED_RE = re.compile(r"^[A-ZÆØÅÄÖÜ]{2,}['’]?[a-zæøå]")
_TITLES = {
    "Hr", "Fru", "Frk", "Dr", "Prof", "Professor", "Pastor", "Biskop", "Konge", "Kong", "Kongen",
    "Dronning", "Dronningen", "Prins", "Prinsesse", "Kronprins", "Kronprinsesse", "Sankt", "Skt",
    "Direktør", "Minister", "Borgmester", "Formand", "Lektor", "Doktor", "Onkel", "Tante",
    "Mor", "Far", "Mormor", "Morfar", "Farmor", "Farfar", "Sir", "Lady", "Lord", "Mr", "Mrs", "Ms",
}
_BREAKS = {".", "!", "?", ":", ";", "•", "*"}
_OPENERS = {'"', "“", "”", "„", "«", "»", "(", "-", "–", "—", "'"}


def lexicon_verdict(word: str, lex: NameLexicon) -> bool | None:
    """True/False when the lexicon knows the word (or its base form), else None.

    The word itself is looked up first; a possessive-stripped base form only
    counts as evidence for a name ("Jensens"), never against one ("Mads" is
    not "Mad" + s).
    """
    forms = name_forms(word)
    exact = forms[:2] if word.isupper() else forms[:1]
    for form in exact:
        if form in lex.person:
            per, other = lex.person[form]
            return per >= other
        if form in lex.not_person or form.lower() in lex.lower:
            return False
    for form in forms:
        if form in lex.person:
            per, other = lex.person[form]
            return per >= other
    return None


def is_name_shaped(word: str) -> bool:
    """Capitalised word ("Mads", "Juhl-Jørgensen", "O'Brien") or an all-caps word.

    Titles ("Fru", "Kronprins") and inflected acronyms ("OBs", "DBU'er") are not.
    """
    if word in _TITLES or _ACRONYM_INFLECTED_RE.match(word):
        return False
    parts = word.split("-")
    if all(p[:1].isupper() and _CAP_RE.match(p) and any(c.islower() for c in p) for p in parts):
        return True
    return word.isupper() and len(word) >= 3 and word.isalpha()


def _is_initial(tokens: list[tuple[int, int, str]], text: str, i: int) -> bool:
    """Does token i start a sentence (possibly after an opening quote or dash)?"""
    j = i - 1
    while j >= 0 and tokens[j][2] in _OPENERS:
        j -= 1
    return j < 0 or tokens[j][2] in _BREAKS or "\n" in text[tokens[j][1]:tokens[i][0]]



@functools.lru_cache(maxsize=65536)
def _zipf(word: str, lang: str) -> float:
    """How common the (lower-case) word is in ``lang``, on wordfreq's Zipf scale (0: unknown)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def _compound_head_zipf(word: str) -> float:
    """The frequency of the most frequent last part (4+ letters, after 3+) of a Danish compound; a
    part that is a name and no word does not count ("Yohanne" does not end in the word "anne"), nor
    one after three letters that are no word ("Kehinde" is no "keh" + "inde"; "Jobcentret" is "job" +
    "centret")."""
    w = word.lower()
    return max((_zipf(w[k:], "da") for k in range(3, len(w) - 3)
                if not _name_only(w[k:]) and (k > 3 or is_known_word(w[:k]))), default=0.0)


@functools.lru_cache(maxsize=65536)
def _name_only(part: str) -> bool:
    """A first name many people in Denmark carry ("anne", "hanne"), and no Danish word."""
    return name_list().first.get(part.capitalize(), 0) >= 1000 and part not in DA_NAME_WORDS


_DEFINITE_ENDINGS = ("erne", "ene", "en", "et", "n", "t")


def _base_forms(word: str) -> list[str]:
    """The lower-case word, without a genitive s, and without a Danish definite ending:
    "justitsministeriets" -> "justitsministeriet", "kontaktpersonen" -> "kontaktperson"."""
    w = word.lower()
    forms = [w]
    if w.endswith("s") and len(w) > 4:
        forms.append(w[:-1])
    for f in list(forms):
        for ending in _DEFINITE_ENDINGS:
            if f.endswith(ending) and len(f) - len(ending) >= 4:
                forms.append(f[: -len(ending)])
                break
    return forms


def is_common_word(word: str, lang: str, th: Thresholds) -> bool:
    """An ordinary word or a well-known proper noun (place, brand, holiday) rather than a person.

    Only for words that are not listed names: a frequent unlisted capitalised word is a
    "Netflix" or "Aarhus"; a compound of a frequent word is a "Musikværkstedet", also in its
    definite or genitive form ("Kontaktpersonen", "Justitsministeriets"). In an English
    story, a word frequent in English ("Instead", "Thursdays") or Danish counts.
    """
    forms = _base_forms(word)
    if any(_zipf(f, "da") >= th.common_min_zipf for f in forms) or \
            any(_compound_head_zipf(f) >= th.head_min_zipf for f in forms[:2]):
        return True
    if len(forms[0]) >= 7 and forms[0].endswith(("en", "et", "ne")) and is_known_word(forms[0]):
        return True  # a definite form spaCy's Danish table has: "Udlændingestyrelsen", "Kontaktpersonen"
    return lang == "en" and _zipf(forms[0], "en") >= th.en_common_min_zipf


POSSESSIVE_MAX_ZIPF = 3.5


def listed_name(word: str, th: Thresholds, *, first_only: bool = False) -> bool:
    """The word (or its base form: "Mikkels", "RASMUSSEN") is a listed name carried often enough.

    A short word in capitals ("FIA", "VUS") is an acronym, unless it is a name people in Denmark
    carry (not one only the lists of other countries have: "Aco", "Aia")."""
    names = name_list()
    least = max(1, th.min_name_count)
    if word.isupper() and len(word.rstrip("'’s")) <= 4:
        least = max(least, FOREIGN_COUNT + 1)
    for k, form in enumerate(name_forms(word)):
        n = names.first.get(form, 0) if first_only else names.count(form)
        if k and n == FOREIGN_COUNT and _zipf(word.lower(), "da") >= POSSESSIVE_MAX_ZIPF:
            continue  # "Paris" is no possessive of "Pari", a name only other countries' lists have
        if n >= least:
            return True
    return False


def is_name_word(word: str, lang: str, lex: NameLexicon) -> bool:
    """A listed name that is also an everyday word in ``lang`` ("Hans": his, "Mark": mark)."""
    w = word.lower().rstrip("'’")
    if lang == "en":
        return w in EN_NAME_WORDS
    return w in DA_NAME_WORDS or w in lex.lower


# Words this frequent (wordfreq's Zipf scale) are function words, never names ("De", "Han", "Man")
FUNCTION_WORD_ZIPF = 6.5
_EN_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split())
# Danish holidays, months and days, capitalised by people who write "Jul" and "Mandag"; not "Maj"
# and "August", which are also first names.
_DA_CALENDAR = frozenset(
    "jul julen juleaften påske påsken pinse pinsen nytår nytåret nytårsaften fastelavn sankthans "
    "januar februar marts april juni juli september oktober november december "
    "mandag tirsdag onsdag torsdag fredag lørdag søndag".split())

# Holidays and feasts of the faiths and countries young people in Denmark come from, in Danish and
# English stories alike (their Danish definite forms too). Not "Lucia", "Genna": also first names.
HOLIDAYS = frozenset(
    "eid eiden eid'en bayram bajram bayramı bayrami kurban ramadan ramadanen ramadanens ramazan ramazanen "
    "mawlid ashura ashuraen nowruz newroz norooz nouruz yalda diwali divali deepavali holi navratri "
    "dussehra pongal thaipusam onam vaisakhi baisakhi lohri vesak wesak losar songkran tết tet "
    "hanukkah hanukka chanukka chanukah pesach purim sukkot kippur hashanah meskel timkat enkutatash "
    "christmas xmas easter halloween thanksgiving kwanzaa juledag nytårsdag lillejuleaften "
    "mortensaften valentinsdag grundlovsdag helligtrekonger allehelgen allehelgensaften skærtorsdag "
    "langfredag sankthansaften pinsedag påskedag himmelfartsdag bededag andrzejki navaratri rosh kupala "
    "hashana".split())


@functools.lru_cache(maxsize=2)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words of ``lang`` (Danish unless English)."""
    if lang == "en":
        from spacy.lang.en.stop_words import STOP_WORDS
    else:
        from spacy.lang.da.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def is_function_word(word: str, lang: str) -> bool:
    """Never a name: the most frequent words, and the calendar (months, days, holidays)."""
    w = word.lower()
    return _zipf(w, lang) >= FUNCTION_WORD_ZIPF or w in (_EN_CALENDAR if lang == "en" else _DA_CALENDAR) \
        or w in HOLIDAYS or w.removesuffix("s") in HOLIDAYS or _feast_compound(w)


# A Danish feast day or eve by its last part: "Himmelfartsdag", "Luciadag", "Mortensaften", "Sankthansaftenen"
_FEAST_ENDINGS = ("dag", "dagen", "dags", "aften", "aftenen", "aftens")


def _feast_compound(w: str) -> bool:
    return w.isalpha() and any(w.endswith(e) and len(w) - len(e) >= 4 for e in _FEAST_ENDINGS)


# Finite verbs that follow a name, not a possessive pronoun: "Hans er ...", "Per sagde ..."
_VERBS = {
    "da": frozenset("er var har havde kom kommer sagde siger fortalte fortæller gik går kan kunne vil ville skal "
                    "skulle blev bliver fik får tog tager spurgte ringede ringer mødte hjalp hjælper lavede laver "
                    "synes syntes smilede grinede græd ved vidste bor boede arbejder arbejdede".split()),
    "en": frozenset("is was has had came comes said says told tells went goes can could will would should "
                    "got gets took takes asked called helped helps made makes smiled laughed cried lives "
                    "lived works worked".split()),
}


def _verb_follows(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str) -> bool:
    return i + 1 < len(tokens) and adjacent(tokens, text, i, i + 1) and \
        tokens[i + 1][2] in _VERBS.get(lang, _VERBS["da"])


def _clear_name(word: str, lex: NameLexicon) -> bool:
    """The lexicon has seen this form only as a name."""
    for form in name_forms(word):
        if form in lex.person:
            per, other = lex.person[form]
            return other == 0
    return False


def adjacent(tokens: list[tuple[int, int, str]], text: str, i: int, j: int) -> bool:
    """Tokens i < j are separated only by spaces (no punctuation, no line break)."""
    gap = text[tokens[i][1]:tokens[j][0]]
    return gap.strip(" \t") == ""
