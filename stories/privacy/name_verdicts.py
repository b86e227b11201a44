"""For each token of a text, whether it is (part of) a person's name here, before names are
assembled (``name_spans``): the model's label, overruled or completed by the rules on words
(``name_rules``) and on names written in lower case (``name_lowercase``).
"""

from __future__ import annotations

from stories.privacy.name_lowercase import (
    and_kin_after, lowercase_name, lowercase_name_word, unlisted_lowercase_name,
)
from stories.privacy.name_rules import (
    _VERBS, _EN_CALENDAR, _HYPHEN_RE, NameLexicon, Thresholds, _clear_name, _is_initial, _verb_follows, _zipf, adjacent,
    current_thresholds,
    is_common_word, is_function_word, is_name_shaped, is_name_word, lexicon_verdict, listed_name,
)
from stories.privacy.names import surname_words
from stories.privacy.person_slots import from_a_group, pair_with_name, person_slot
from stories.privacy.places import is_place_name
from stories.privacy.word_list import is_known_word

def token_verdicts(
    tokens: list[tuple[int, int, str]],
    text: str,
    model_labels: list[str | None],
    lex: NameLexicon,
    lang: str = "da",
    thresholds: Thresholds | None = None,
) -> list[bool]:
    """For each token, whether it is (part of) a name on its own, before names are assembled.

    ``model_labels[i]`` is "PER" (the model says name), another label (the
    model is confident it is a place or organisation) or None (undecided).
    """
    th = thresholds or current_thresholds()
    flag = []
    for i, label in enumerate(model_labels):
        if label == "PER" and lang == "en" and (tokens[i][2].lower() in _EN_CALENDAR or is_function_word(
                tokens[i][2], lang) or _english_word_opening(tokens, text, i, th) or (
                not listed_name(tokens[i][2], th)
                and (is_common_word(tokens[i][2], lang, th) or not is_name_shaped(tokens[i][2])))):
            # the Danish model on an English word ("Instead", "the", "Back in May"); a word in lower case
            # is left to the rules for lower-case names ("i think noah is ...")
            flag.append(_rule_says_name(tokens, text, i, lex, th, lang) if tokens[i][2].islower()
                        else pair_with_name(tokens, text, i, lang, lex, th) or from_a_group(tokens, text, i, th))
        elif label == "PER":
            flag.append(True)
        elif label is None:
            flag.append(_rule_says_name(tokens, text, i, lex, th, lang))
        else:  # only a form known solely as a name, or a listed first name, overrides the model
            word = tokens[i][2]
            flag.append(_clear_name(word, lex) or (
                is_name_shaped(word) and listed_name(word, th, first_only=True) and not is_name_word(word, lang, lex))
                or (lang == "en" and pair_with_name(tokens, text, i, lang, lex, th)))
    return flag


def _rule_says_name(tokens: list[tuple[int, int, str]], text: str, i: int, lex: NameLexicon, th: Thresholds,
                    lang: str = "da") -> bool:
    word = tokens[i][2]
    m = _HYPHEN_RE.match(word)
    if m and m.group(1)[:1].isupper() and not m.group(2)[:1].isupper():
        # "Ellington-saxofonisten": a name compounded with a common noun
        head = m.group(1)
        known = lexicon_verdict(head, lex)
        return known is True or (known is None and is_name_shaped(head) and not _is_initial(tokens, text, i))
    if double_first_name(word, th):
        return True  # "Karl-Emil", "Maj-Britt": each part a listed first name
    if not is_name_shaped(word):
        return lowercase_name(word, lang, lex, th) or unlisted_lowercase_name(tokens, text, i, lang, lex, th) \
            or lowercase_name_word(tokens, text, i, lang, lex, th) or person_slot(tokens, text, i, lang, lex, th)
    if is_function_word(word, lang):
        return False  # "De sagde" (they said), "since May"
    initial = _is_initial(tokens, text, i)
    ambiguous = is_name_word(word, lang, lex)
    if ambiguous and initial:
        # "Hans er ..." is a name, "Hans mor" is "his mother", "Per gang" is "each time",
        # "Heller ikke" is "neither"
        return listed_name(word, th) and (_verb_follows(tokens, text, i, lang) or (
            lang == "da" and (_names_pair_follows(tokens, text, i) or _from_place_of_work(tokens, text, i))))
    if initial and lang == "da" and word.lower() in surname_words() and not listed_name(word, th, first_only=True):
        # a surname that is also a word opens the sentence: "Smidt ud i en uge", "Holm kom forbi",
        # "Krog og Lind fra Fødevarebanken holdt oplæg"
        return _verb_follows(tokens, text, i, lang) or _names_pair_follows(tokens, text, i) \
            or _from_place_of_work(tokens, text, i)
    if not ambiguous and listed_name(word, th, first_only=True):
        return True  # a first name, also at the start of a sentence ("Mads fortalte ...")
    known = lexicon_verdict(word, lex)
    if lang == "da" and not initial and listed_name(word, th, first_only=True) and i + 1 < len(tokens) \
            and adjacent(tokens, text, i, i + 1) and tokens[i + 1][2] in _PERSON_VERBS:
        return True  # a first name that is also a word, inside a sentence, then a verb only people do: "men Sejr grinede"
    if known is True or (known is False and lang == "da"):
        return known
    if lang == "en" and _english_word_opening(tokens, text, i, th):
        return False
    if initial and lang == "da" and listed_name(word, th) and _names_pair_follows(tokens, text, i):
        return True  # "Krog og Lind fra Fødevarebanken holdt oplæg"
    if listed_name(word, th):
        # a listed surname, or a name that is also a word: "Per" inside a sentence is a
        # name; at its start "Hans er ..." is a name and "Hans mor" is "his mother"
        return not (ambiguous and initial) or _verb_follows(tokens, text, i, lang)
    if is_common_word(word, lang, th) or word.isupper():
        return lang == "en" and pair_with_name(tokens, text, i, lang, lex, th)
    if initial and (_person_follows(tokens, text, i, lang) or lang == "da" and _names_pair_follows(tokens, text, i)) \
            and not is_known_word(word):
        return True  # "Kowalski fra Børnehuset ringede", "Yonas og jeg ...", "Tesfay sagde ..."
    if initial and lang == "da" and _verb_follows(tokens, text, i, lang) and not is_known_word(word) \
            and not is_known_word(word.lower()) and not is_place_name(word):
        return True  # a word no list or table has, then a verb: "Tabori er jøde", "Yodit har ..."
    if lang == "en":
        return not initial
    return not initial or lex.name_likeness(word) >= th.initial_min_likeness


def double_first_name(word: str, th: Thresholds) -> bool:
    """A double first name joined by a hyphen, each part capitalised and a listed first name ("Karl-Emil",
    "Anne-Sofie"); word frequencies count its parts, so it reads as common."""
    parts = word.split("-")
    return 2 <= len(parts) <= 3 and all(
        len(p) >= 2 and p.isalpha() and p[0].isupper() and p[1:].islower() and listed_name(p, th, first_only=True)
        for p in parts)


# What follows a person, not a thing, at the start of a sentence: "fra" and a place of work, "og jeg",
# or a verb only people do
_FROM = frozenset({"fra", "from"})
_PERSON_VERBS = frozenset(
    "sagde siger fortalte fortæller ringede ringer spurgte spørger smilede smiler grinede griner græd hjalp "
    "hjælper mødte skrev skriver lærte viste sms'ede said says told tells asked asks called calls smiled "
    "smiles laughed laughs cried helped helps texted wrote".split())


def _english_word_opening(tokens: list[tuple[int, int, str]], text: str, i: int, th: Thresholds) -> bool:
    """A common English word opening a sentence that no list has as a first name ("Back in May",
    "Long story short"; a surname list's "Back" is not enough)."""
    word = tokens[i][2]
    return _is_initial(tokens, text, i) and _zipf(word.lower(), "en") >= ENGLISH_OPENING_ZIPF \
        and not listed_name(word, th, first_only=True)


ENGLISH_OPENING_ZIPF = 4.5


def _from_place_of_work(tokens: list[tuple[int, int, str]], text: str, i: int) -> bool:
    """Token i, "fra", a capitalised word, then a verb: "Svane fra Ungdomskriminalitetsnævnet har skrevet"."""
    n = len(tokens)
    return i + 3 < n and tokens[i + 1][2] == "fra" and tokens[i + 2][2][:1].isupper() \
        and (tokens[i + 3][2].lower() in _PERSON_VERBS or tokens[i + 3][2] in _VERBS["da"])


def _names_pair_follows(tokens: list[tuple[int, int, str]], text: str, i: int) -> bool:
    """Token i, "og", a capitalised word, then "fra" or a verb: two people opening a sentence ("Henok og
    Eyob kom")."""
    n = len(tokens)
    return i + 3 < n and tokens[i + 1][2] == "og" and tokens[i + 2][2][:1].isupper() \
        and (tokens[i + 3][2].lower() in _FROM or tokens[i + 3][2].lower() in _PERSON_VERBS
             or tokens[i + 3][2] in _VERBS["da"])


def _person_follows(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str) -> bool:
    if i + 1 >= len(tokens) or not adjacent(tokens, text, i, i + 1):
        return False
    nxt = tokens[i + 1][2].lower()
    if nxt in _FROM or nxt in _PERSON_VERBS:
        return True
    # "Aqqalu og hans lillesøster ...": a person and their kin
    if and_kin_after(tokens, text, i, lang if lang in ("da", "en") else "da"):
        return True
    return nxt in ("og", "and") and i + 2 < len(tokens) and tokens[i + 2][2].lower() in ("jeg", "i") \
        and adjacent(tokens, text, i + 1, i + 2)
