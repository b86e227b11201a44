"""Places in a sentence that only a person fills, so that the word there is a name even when it is
also an everyday word or a surname written in lower case: "min sagsbehandler hedder glad", "min
veninde treasure fra klassen", "divine og prince er søskende", "me and rich went", "with rocky and
Zihan", "sig det lige til petersen", "min kontaktperson berg siger".

``name_verdicts`` asks ``person_slot`` of a lower-case word the other lower-case readings
(``name_lowercase``) leave, and ``pair_with_name`` of a capitalised English word that is also a word
("Prosper and Kobina waited"). Each slot is narrow: a cue on both sides, or a cue that is a person's
alone ("hedder"); and the word is never a function word, kin, a role or a verb.
"""

from __future__ import annotations

from stories.privacy.name_context import _FRIENDS, _KIN, POSSESSIVES, is_role_word
from stories.privacy.name_lowercase import _MORE_VERBS, _PAST_VERBS, _known_name_at, _past_verb
from stories.privacy.name_rules import (
    _VERBS, NameLexicon, Thresholds, _is_initial, _zipf, adjacent, is_common_word, is_function_word, is_name_shaped, is_name_word,
    listed_name, stop_words,
)
from stories.privacy.names import name_list
from stories.privacy.word_list import is_known_word

# Words right after a possessive that a person's name follows: friends, and the people of a young
# person's case ("min sagsbehandler enevoldsen har", "my caseworker koch got")
_PERSON_NOUNS = {
    "da": frozenset("ven veninde kammerat klassekammerat kæreste makker bror søster fætter kusine lillebror "
                    "storebror lillesøster storesøster kontaktperson sagsbehandler mentor pædagog lærer træner "
                    "vejleder".split()),
    "en": frozenset("friend mate bestie classmate girlfriend boyfriend brother sister cousin caseworker mentor "
                    "teacher coach keyworker".split()),
}
# Two people and what they are to each other: "divine og prince er søskende", "are cousins"
_PAIR_NOUNS = {
    "da": frozenset("søskende kusiner fætre brødre søstre tvillinger venner veninder kærester "
                    "bedsteveninder bedstevenner naboer".split()),
    "en": frozenset("siblings cousins twins friends brothers sisters neighbours neighbors".split()),
}
_PAIR_BETWEEN = frozenset("gode bedste rigtig best good close".split())
_ARE = {"da": "er", "en": "are"}
_AND = {"da": "og", "en": "and"}
_WITH = {"da": "med", "en": "with"}
_TELLER = {"da": frozenset({"mig", "jeg"}), "en": frozenset({"me", "i"})}
# Who is called something: "min sagsbehandler hedder glad", "hun hedder vinter"
_SUBJECTS = frozenset("han hun jeg du hen de".split())
# "sig det lige til petersen", "fortæl det til bjerg": the one told
_TELL = frozenset("sig fortæl skriv send".split())
_FAMILY_MIN_COUNT = 1000
_SURNAME_IS_NAME = 20000
_TELLER_MAX_ZIPF = 4.0


def _is_verb(word: str, key: str) -> bool:
    return word in _VERBS.get(key, _VERBS["da"]) or word in _MORE_VERBS[key] or _past_verb(word, key)


def _never_a_name(word: str, lang: str, th: Thresholds) -> bool:
    """A word no slot makes a name: a function or stop word of either language, kin, a friend, a
    Danish role ("pædagog"; in English "Prosper" is none), a verb, an English adverb in "-ly"
    ("literally"), or a Danish definite noun ("læreren")."""
    if len(word) < 3 or not word.isalpha():
        return True
    if is_function_word(word, lang) or word in stop_words("da") or word in stop_words("en"):
        return True
    if any(word in table[k] for table in (_KIN, _FRIENDS, _PERSON_NOUNS, _PAIR_NOUNS) for k in ("da", "en")):
        return True
    if _is_verb(word, "da") or _is_verb(word, "en") or word in _PAST_VERBS["da"] or word in _PAST_VERBS["en"]:
        return True
    listed = word.capitalize() in name_list()
    if not listed and ((lang == "da" and is_role_word(word, th)) or (word.endswith("ly") and is_known_word(word))):
        return True
    return not listed and word.endswith(("en", "et", "ne")) and is_known_word(word) and is_known_word(word[:-2])


def _tok(tokens: list[tuple[int, int, str]], j: int) -> str | None:
    return tokens[j][2].lower() if 0 <= j < len(tokens) else None


def person_slot(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, lex: NameLexicon,
                th: Thresholds) -> bool:
    """Token i, in lower case, stands where only a person stands (see the module's docstring)."""
    word = tokens[i][2]
    if not word.islower() or _never_a_name(word, lang, th):
        return False
    key = lang if lang in _PERSON_NOUNS else "da"
    n = len(tokens)

    def near(a: int, b: int) -> bool:
        return 0 <= a < b < n and adjacent(tokens, text, a, b)

    before = _tok(tokens, i - 1) if near(i - 1, i) else None
    before2 = _tok(tokens, i - 2) if near(i - 2, i - 1) else None
    after = _tok(tokens, i + 1) if near(i, i + 1) else None
    # a possessive, a friend or a person of the case, the word, then a verb or "fra": "my friend lucky is"
    if before in _PERSON_NOUNS[key] and before2 in POSSESSIVES[key] and after is not None \
            and (_is_verb(after, key) or after in ("fra", "from")):
        return True
    # "hedder": "min sagsbehandler hedder glad", "hun hedder vinter"
    if key == "da" and before == "hedder" and before2 is not None and (
            before2 in _SUBJECTS or before2 in _PERSON_NOUNS["da"] or is_role_word(before2, th)):
        return True
    # two people and what they are to each other: "divine og prince er søskende"
    for other, and_at in ((i + 2, i + 1), (i - 2, i - 1)):
        last = max(i, other)
        if _tok(tokens, and_at) == _AND[key] and near(min(i, other), and_at) and near(and_at, max(i, other)) \
                and _tok(tokens, last + 1) == _ARE[key]:
            j = last + 2
            if _tok(tokens, j) in _PAIR_BETWEEN:
                j += 1
            if _tok(tokens, j) in _PAIR_NOUNS[key] and not _never_a_name(tokens[other][2].lower(), lang, th):
                return True
    # the teller and the word, then a verb: "me and danish went", "mig og glory var"; not a common word
    # of the story's language ("mig og kage var gode venner")
    if before == _AND[key] and before2 in _TELLER[key] and after is not None and _is_verb(after, key) \
            and _zipf(word, key) < _TELLER_MAX_ZIPF:
        return True
    # "with" the word and a name: "with rocky and Zihan", "med chance og Ecem"
    if before == _WITH[key] and after == _AND[key] and near(i + 1, i + 2) and _name_beside(tokens, text, i + 2, lang, lex, th):
        return True
    # at a family's home: "hos larsens", "hos hansen": a surname many carry that is no word, or one
    # so common that a word table's entry is the name ("jensen")
    if before == "hos" and key == "da":
        base = word[:-1] if word.endswith("s") else word
        count = name_list().last.get(base.capitalize(), 0)
        if count >= _SURNAME_IS_NAME or (count >= _FAMILY_MIN_COUNT and not is_known_word(word)
                                         and not is_known_word(base)):
            return True
    # the one told, at the end of the clause: "sig det lige til petersen"
    if before in ("til", "to") and (i + 1 >= n or not tokens[i + 1][2].isalpha() or after in ("og", "men", "and")):
        j = i - 2
        if _tok(tokens, j) == "lige":
            j -= 1
        if _tok(tokens, j) == "det" and _tok(tokens, j - 1) in _TELL:
            return True
    return False


def _name_beside(tokens: list[tuple[int, int, str]], text: str, j: int, lang: str, lex: NameLexicon,
                 th: Thresholds) -> bool:
    """Token j is a name the lists know, or a capitalised word no word list has ("Zihan")."""
    if _known_name_at(tokens, text, j, lang, lex, th):
        return True
    word = tokens[j][2]
    return is_name_shaped(word) and not word.isupper() and not is_common_word(word, lang, th) \
        and not is_known_word(word.lower()) and not is_function_word(word, lang)


def pair_with_name(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, lex: NameLexicon,
                   th: Thresholds) -> bool:
    """Token i, a capitalised English word that is also a word, coordinated with a listed first name
    that is no word (or a capitalised word no list has), then a verb: "Prosper and Kobina waited",
    "Poppy and Freddie wore" (not "Pride and Prejudice")."""
    n = len(tokens)
    key = lang if lang in _AND else "da"
    word = tokens[i][2].lower()
    if not is_name_shaped(tokens[i][2]) or _never_a_name(word, lang, th):
        return False
    for other, and_at in ((i + 2, i + 1), (i - 2, i - 1)):
        if not (0 <= other < n and _tok(tokens, and_at) == _AND[key]):
            continue
        lo, hi = min(i, other), max(i, other)
        if not (adjacent(tokens, text, lo, and_at) and adjacent(tokens, text, and_at, hi)) or hi + 1 >= n:
            continue
        mate = tokens[other][2]
        nxt = tokens[hi + 1][2].lower()
        if ((listed_name(mate, th, first_only=True) and not is_name_word(mate, lang, lex))
                or _name_beside(tokens, text, other, lang, lex, th)) and is_name_shaped(mate) and _is_verb(nxt, key):
            return True
    return False


def from_a_group(tokens: list[tuple[int, int, str]], text: str, i: int, th: Thresholds) -> bool:
    """Token i, a capitalised English word inside a sentence that the model read as a person, then
    "from the" or "from" and a possessive: "Apparently Bliss from the youth club", "Honey from my class"."""
    if _is_initial(tokens, text, i) or i + 2 >= len(tokens) or _never_a_name(tokens[i][2].lower(), "en", th):
        return False
    return tokens[i + 1][2] == "from" and adjacent(tokens, text, i, i + 1) and (
        tokens[i + 2][2] == "the" or tokens[i + 2][2] in POSSESSIVES["en"])
