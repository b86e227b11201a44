"""Words beside a name that say a person stands there: kin and a person's days after a possessive
("Filmons mor", "Sarons fødselsdag"), a title ("fru Post", "Mrs Hope"), and a role before a surname
("Skolepsykolog Fog", "min Kontaktpædagog Bøgh"). ``detection`` keeps what these find whatever the
second stage says; ``name_vetoes`` and ``name_lowercase`` use the same words.
"""

from __future__ import annotations

from stories.privacy.name_rules import (
    NameLexicon, Thresholds, _is_initial, _zipf, adjacent, is_common_word, is_function_word,
    is_name_shaped, is_name_word, listed_name, stop_words,
)
from stories.privacy.names import name_list
from stories.privacy.word_list import is_known_compound, is_known_word


# Possessive determiners, in lower case: what follows one is a role, a thing or kin ("min
# Kontaktpædagog", "his Aftercare Worker", "og hans fætter")
POSSESSIVES = {"da": frozenset("min mit mine hans hendes deres vores sin sit sine din dit dine".split()),
               "en": frozenset("his her my their our your".split())}

# A person's kin and the days of a person's life: a possessive right before one is a person's
# ("Filmons mor", "Sarons fødselsdag"), though the model, trained on news, reads a firm's name there
_KIN = {
    "da": frozenset("mor far mors fars forældre familie bror broder søster storebror lillebror storesøster "
                    "lillesøster mormor morfar farmor farfar bedstemor bedstefar kæreste søn datter onkel "
                    "tante fætter kusine veninde ven venner fødselsdag konfirmation bryllup begravelse "
                    "værelse faster moster farbror morbror svoger svigerinde nevø niece stedfar stedmor papfar "
                    "papmor halvbror halvsøster plejefar plejemor plejeforældre".split()),
    "en": frozenset("mum mom mother dad father parents family brother sister grandma grandmother grandpa "
                    "grandfather girlfriend boyfriend son daughter uncle aunt cousin birthday room".split()),
}


def possessive_before_kin(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, lex: NameLexicon,
                          th: Thresholds) -> bool:
    """Token i is a capitalised possessive ("Filmons", "Saron's") right before a word of kinship or
    of a person's life ("mor", "fødselsdag", "mum"), and its base is no everyday word."""
    word = tokens[i][2]
    key = lang if lang in _KIN else "da"
    if i + 1 >= len(tokens) or not adjacent(tokens, text, i, i + 1) or tokens[i + 1][2].lower() not in _KIN[key]:
        return False
    if not is_name_shaped(word) or not word.endswith(("s", "'s", "’s", "'", "’")) or word.isupper():
        return False
    base = word.rstrip("'’").removesuffix("s").rstrip("'’")
    if len(base) < 3 or is_function_word(base, lang) or is_function_word(word, lang):
        return False
    # the base decides, not the possessive: "Kalkidans" is no compound of "dans"
    return not is_common_word(base, lang, th) and (_zipf(word.lower(), lang) < th.common_min_zipf) and \
        not (_is_initial(tokens, text, i) and is_name_word(base, lang, lex))


def apposition_kin(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, th: Thresholds) -> bool:
    """Token i is a capitalised word no everyday word, then a comma, a possessive and kin: "kom Nkechi,
    hendes faster Amaka", "Jamal, his brother": a person, named before their kin."""
    key = lang if lang in _KIN else "da"
    word = tokens[i][2]
    if i + 3 >= len(tokens) or not is_name_shaped(word) or word.isupper() or is_function_word(word, lang):
        return False
    return tokens[i + 1][2] == "," and tokens[i + 2][2].lower() in POSSESSIVES[key] \
        and tokens[i + 3][2].lower() in _KIN[key] and adjacent(tokens, text, i + 2, i + 3) \
        and (not is_common_word(word, lang, th) or listed_name(word, th, first_only=True))


# Friends, beside kin: after "min ven", "my friend" comes a person's name
_FRIENDS = {"da": frozenset("ven veninde kammerat klassekammerat".split()),
            "en": frozenset("friend mate bestie classmate".split())}

# Titles that only a person's name follows ("fru Post", "hr. Dag", "Mrs Grace"): the word after one
# is a name even when it is also a word; not "Dr." alone, which brands carry ("Dr. Oetker")
_PERSON_TITLES = frozenset("fru frk frøken hr herr mr mrs ms miss".split())


def after_title(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, th: Thresholds) -> bool:
    """Token i is a capitalised word right after a title of a person ("fru Post", "Hr. Bonde",
    "Mrs Hope") or after a possessive and a word of kinship or friendship ("her brother Success"), or
    the next part of such a name ("fru Anne Post")."""
    word = tokens[i][2]
    if i == 0 or not is_name_shaped(word) or word.isupper() or is_function_word(word, lang):
        return False
    j = i - 1
    if tokens[j][2] == "." and j > 0 and tokens[j - 1][1] == tokens[j][0]:
        j -= 1  # "Hr ." as two tokens
    if not adjacent(tokens, text, j, i) and not tokens[i - 1][2] == ".":
        return False
    if tokens[j][2].lower().rstrip(".") in _PERSON_TITLES:
        return True
    key = lang if lang in _KIN else "da"
    if j == i - 1 and j > 0 and tokens[j][2].lower() in _KIN[key] | _FRIENDS[key] \
            and tokens[j - 1][2].lower() in POSSESSIVES[key] and adjacent(tokens, text, j - 1, j):
        return True  # a person's kin or friend, then a name: "her brother Success", "min veninde Lykke"
    if j == i - 1 and lang == "da" and tokens[j][2][:1].isupper() and is_role_word(tokens[j][2], th) \
            and (_is_initial(tokens, text, j) or (j > 0 and tokens[j - 1][2] in POSSESSIVES["da"])) \
            and (word in name_list() or not is_common_word(word, lang, th)):
        return True  # a surname after a role: "Skolepsykolog Fog", "min Kontaktpædagog Bøgh"
    if j == i - 1 and lang == "da" and tokens[j][2].isalpha() and tokens[j][2].islower() \
            and is_role_word(tokens[j][2], th) and not _is_initial(tokens, text, i) and word in name_list():
        return True  # a listed surname after a role in lower case: "butikschef Hjelm", "rektor Bjerre"
    return j == i - 1 and after_title(tokens, text, j, lang, th)


# How Danish words for a person's work end: "-vejleder", "-medarbejder", "-konsulent", "-pædagog"
_ROLE_ENDINGS = ("er", "or", "ør", "ent", "ist", "ant", "inde", "erske", "person", "pædagog", "chef", "assistent",
                 "log", "loge", "peut", "læge")


def is_role_word(word: str, th: Thresholds) -> bool:
    """A Danish word for a person's work, perhaps in its definite form ("Ungevejleder", "Jobkonsulenten",
    "Skolepsykolog"), or a compound ending in one ("Bostøttemedarbejder"), that no list has as a name."""
    w = word.lower()
    if not w.isalpha() or listed_name(word, th) or w in stop_words("da"):
        return False  # not "Under", "Efter"
    base = w.removesuffix("en") if w.endswith(("eren", "oren", "øren", "enten", "isten", "logen")) \
        else w.removesuffix("n") if w.endswith("en") else w
    if not base.endswith(_ROLE_ENDINGS):
        return False
    if is_known_word(w) or is_known_word(base) or is_known_compound(base, min_part=3):
        return True
    # a compound of three words or more: its last part is a known word for a person's work
    return any(is_known_word(base[cut:]) for cut in range(3, len(base) - 5))
