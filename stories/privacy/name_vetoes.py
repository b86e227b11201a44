"""Capitalised words that are surely not people's names, whatever the model and the stage say.

News text (the training data) hardly holds the words young people's stories are full of: games
and apps ("spillede Valorant", "plays Roblox", "TikTok"). Two shapes give them away:

* the word right after a verb of playing or streaming ("spiller", "spillede", "plays", "watched"),
  as its object: unless it is a name many people in Denmark carry or the lexicon knows as a name,
  and in Danish only when the subject stands before the verb ("Han spillede Valorant", "Drengene
  spillede ..."); after an opening adverbial the subject follows the verb ("Efter skole spillede
  Dawit og Rayan Yatzy") and is left alone. Verbs of seeing are left out: people are seen too;
* a word written in camelCase ("TikTok", "YouTube", "PlayStation"), unless it begins like a
  surname does ("McDonald", "MacArthur", "DeLuca", "O'Brien").

A vetoed word takes the capitalised words right after it along ("Mario Kart", "Rocket League"),
and after a verb the next item of a list too ("played Minecraft and Ludo"), unless a known name.

A third shape is a shop, an app or a place after a preposition of place ("i Imerco", "på Zalando",
"at Bauhaus"): a word no list or lexicon knows as a name carried in Denmark, right after "i", "på",
"ved" (Danish; "hos" only after a word of work or shopping: "job hos Synoptik") or "at", "in"
(English). On the train split such words were a person 2 times in 516 (both possessives: "i Pios
bevægelse"), so a possessive before a noun is left alone, and so are a run of capitals with a known
name in it ("i Jens Hansens bil") and "på" / "at" after a verb that takes a person there ("ventede
på Aryan", "looked at Aryan").

Last, "Hans" opening a Danish sentence before a capitalised everyday word that is no listed name is
"his" before a role written with a capital ("Hans Kontaktperson har fri"), not a person: the model,
trained on news text, reads the two words as a name ("Hans Jørgen kom forbi" stays a name).
"""

from __future__ import annotations

import re

from stories.privacy.name_context import _KIN, is_role_word
from stories.privacy.name_lowercase import spoken_to
from stories.privacy.name_rules import (
    _DA_CALENDAR, _EN_CALENDAR, NameLexicon, Thresholds, _is_initial, _zipf, adjacent, current_thresholds,
    is_common_word, is_function_word, lexicon_verdict, listed_name, name_forms, stop_words,
)
from stories.privacy.name_runs import (
    after_possessive, after_the, everyday_run, holiday_run, joined_by_ampersand, organisation_run,
)
from stories.privacy.time_adverbial import time_adverbial
from stories.privacy.names import FOREIGN_COUNT, first_name_words, name_list
from stories.privacy.places import is_place_name

_CALENDAR = _EN_CALENDAR | _DA_CALENDAR  # months and days, in either language
# Verbs whose object is a game, a show or a feast, not a person ("spillede Alias", "fejrede Thanksgiving")
_THING_VERBS = {
    "da": frozenset("spiller spillede spille spillet streamer streamede fejrer fejrede fejre fejret".split()),
    "en": frozenset("play plays played playing watch watches watched watching stream streamed streaming "
                    "celebrate celebrates celebrated celebrating".split()),
}
_DA_SUBJECTS = frozenset("jeg du han hun vi de man den det".split())
_DA_AUXILIARIES = frozenset("har havde skal skulle vil ville kan kunne må måtte gider gad".split())
# Surname beginnings written with a capital inside the word
_INNER_CAP_PREFIX_RE = re.compile(r"^(?:Mc|Mac|De|Di|Da|Van|Von|La|Le|Du|O['’])[A-ZÆØÅ]")


def is_camel_case(word: str) -> bool:
    """"TikTok", "YouTube": a capital inside a word that is neither all capitals nor hyphenated."""
    return (len(word) > 2 and word[:1].isupper() and not word.isupper() and "-" not in word
            and any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
            and not _INNER_CAP_PREFIX_RE.match(word))


def _known_name(word: str, lex: NameLexicon) -> bool:
    """A name carried by more people than a name only Faker's lists have, or one the lexicon knows."""
    names = name_list()
    return any(names.count(f) > FOREIGN_COUNT for f in name_forms(word)) or lexicon_verdict(word, lex) is True


def _subject_before(tokens: list[tuple[int, int, str]], text: str, verb: int) -> bool:
    """Danish word order: the subject stands before the verb (a pronoun, a capitalised word, the
    sentence's first word), so the word after the verb is its object. After an opening adverbial
    ("I går spillede ...", "Efter skole spillede ...") the subject follows the verb."""
    if verb == 0:
        return False  # a question or command: "Spiller Mads med?"
    prev = tokens[verb - 1][2]
    if prev.lower() == "at" or prev.lower() in _PERSON_NOUNS:
        return True  # "lærte mig at spille ...", "hendes søster spillede ..."
    if prev.lower() in _DA_AUXILIARIES and verb > 1 and adjacent(tokens, text, verb - 1, verb):
        return _subject_before(tokens, text, verb - 1)  # "Jeg har spillet ...": the subject is before "har"
    if prev.lower() in _DA_SUBJECTS or (prev[:1].isupper() and adjacent(tokens, text, verb - 1, verb)
                                        and not is_function_word(prev, "da")):  # not "Hver Tirsdag spiller ..."
        return not (verb - 1 == 0 and prev.lower() in ("i", "så", "nu", "da", "her", "der"))
    return verb - 1 == 0 or not adjacent(tokens, text, verb - 2, verb - 1)


# Subjects that are people, written in lower case: the word after their verb is its object
_PERSON_NOUNS = _KIN["da"] | frozenset("drengene pigerne børnene de unge vennerne holdet".split())


def _inverted_subject_object(tokens: list[tuple[int, int, str]], text: str, lex: NameLexicon, verbs: frozenset[str],
                             i: int, th: Thresholds) -> bool:
    """Danish word order after an opening adverbial: verb, subject, object. Token i is the object
    when a pronoun ("Tirsdag spillede vi Kalaha") or a list of names joined by "og" ("spiller Lasse,
    Stine og Ece Rummikub") stands between a verb of playing and it, and it is no name people carry."""
    j = i - 1
    if j < 1 or not adjacent(tokens, text, j, i):
        return False
    if tokens[j][2].lower() in _DA_SUBJECTS | {"i"}:
        return tokens[j - 1][2].lower() in verbs and adjacent(tokens, text, j - 1, j)
    if _known_name(tokens[i][2], lex):
        return False
    last_listed = listed_name(tokens[j][2], th, first_only=True)
    joined, members = False, 0  # the names before the last one need not be listed: "Tharshan og Zuzanna Dixit"
    while j >= 1 and tokens[j][2][:1].isupper() and tokens[j][2].isalpha():
        members += 1
        sep = tokens[j - 1][2].lower()
        if sep in ("og", ","):
            joined = joined or sep == "og"
            j -= 2
            continue
        # an unlisted last name is read as one word when the others are ("Bohdan, Kofi og Sediqa Qwirkle")
        return joined and (last_listed or members >= 3) and sep in verbs and adjacent(tokens, text, j - 1, j)
    return False


_PLACE_PREPOSITIONS = {"da": frozenset({"i", "på", "ved"}), "en": frozenset({"at", "in"})}
# "hos" takes people ("sov hos Linh") and workplaces and shops; after these words, a workplace or a shop
_WORKPLACE_BEFORE = frozenset("job jobbet fritidsjob studiejob arbejde arbejder arbejdede arbejdet praktik "
                              "praktikken praktikplads læreplads lærlingeplads elevplads ansat ansatte elev "
                              "handle handler handlede handlet købe køber købte købt bestille bestiller "
                              "bestilte bestilt".split())
# Words before "på" / "at" that take a person there: "ventede på Aryan", "passede på", "looked at"
_PERSON_BEFORE = {
    "på": frozenset("vente venter ventede ventet passe passer passede passet tænke tænker tænkte tænkt "
                    "kigge kigger kiggede kigget se ser så set glo glor gloede råbe råber råbte råbt kalde "
                    "kalder kaldte kaldt hilse hilser hilste hilst stole stoler stolede tro tror troede "
                    "skælde skælder skældte pege peger pegede satse satser satsede sur vred gal misundelig "
                    "hidsig forelsket".split()),
    "at": frozenset("look looks looked looking stare stares stared staring laugh laughs laughed laughing "
                    "smile smiles smiled smiling shout shouts shouted shouting yell yells yelled yelling "
                    "glance glanced point pointed wave waved angry mad upset".split()),
}


def _place_object(tokens: list[tuple[int, int, str]], text: str, lex: NameLexicon, lang: str, i: int,
                  lower: str | None = None) -> int:
    """How many capitalised words from token i on are a shop, an app or a place after a preposition
    of place ("i Imerco", "på Zalando", "at Bauhaus"): 0 when they may be a person. ``lower``: token i
    is a lower-case word, to be judged as this capitalised form (one word, no run)."""
    if i == 0:
        return 0
    prep = tokens[i - 1][2].lower()
    if lower is not None:
        return int(lang == "da" and prep in _PLACE_PREPOSITIONS["da"] and lower in name_list().first
                   and adjacent(tokens, text, i - 1, i) and not _known_name(lower, lex)
                   and (i < 2 or tokens[i - 2][2].lower() not in _PERSON_BEFORE.get(prep, ())))
    if not adjacent(tokens, text, i - 1, i):
        return 0
    before = tokens[i - 2][2].lower() if i > 1 else ""
    if prep not in _PLACE_PREPOSITIONS.get(lang, _PLACE_PREPOSITIONS["da"]) and not (
            lang == "da" and prep == "hos" and before in _WORKPLACE_BEFORE):
        return 0
    if prep in _PERSON_BEFORE and before in _PERSON_BEFORE[prep]:
        return 0
    if tokens[i][2].lower() in _CALENDAR:
        return 1  # a month or a day, and what follows is judged on its own: "in December Roksolana Hnatiuk"
    j = i
    while j < len(tokens) and tokens[j][2][:1].isupper() and (j == i or adjacent(tokens, text, j - 1, j)):
        if _known_name(tokens[j][2], lex):
            return 0
        j += 1
    last = tokens[j - 1][2]
    if j < len(tokens) and adjacent(tokens, text, j - 1, j) and (
            tokens[j][2] in ("'s", "’s") or (last.endswith(("s", "'", "’")) and tokens[j][2].isalpha()
                                            and tokens[j][2].islower() and tokens[j][2] not in stop_words(lang))):
        return 0  # a possessive before a noun: "i Pios bevægelse", "på Dawits værelse"
    return j - i


def _his_role(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int, th: Thresholds) -> int:
    """2 for "Hans" opening a Danish sentence before a capitalised everyday word no list has as a
    name ("Hans Kontaktperson", "Hans Pædagog"), else 0."""
    if lang != "da" or tokens[i][2] != "Hans" or i + 1 >= len(tokens) or not adjacent(tokens, text, i, i + 1):
        return 0
    nxt = tokens[i + 1][2]
    if not nxt[:1].isupper() or not _is_initial(tokens, text, i) or listed_name(nxt, th) \
            or not (is_common_word(nxt, lang, th) or is_role_word(nxt, th)):
        return 0
    return 2  # "Hans Kontaktperson", "Hans Bisidder"


def _role_before_name(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int, th: Thresholds) -> int:
    """1 for a capitalised word for a person's work right before a capitalised word in a Danish
    sentence, when no list has it as a name: a role before a surname ("Ungevejleder Thygesen",
    "skriver Myndighedsrådgiver Præst", "og Ungementor Rosendahl"); else 0. Opening a sentence, the
    word must also be an everyday one (a name opens sentences too); inside one, a Danish word that is
    no place ("Amager Fælled")."""
    if lang != "da" or i + 1 >= len(tokens) or not adjacent(tokens, text, i, i + 1):
        return 0
    word, nxt = tokens[i][2], tokens[i + 1][2]
    if not word[:1].isupper() or not nxt[:1].isupper() or nxt.isupper() or word.isupper() or listed_name(word, th):
        return 0
    if _is_initial(tokens, text, i):
        return int(is_common_word(word, lang, th) and is_role_word(word, th))
    # inside a sentence, a Danish word and no place ("Manchester City", "Amager Fælled", "Major Hewitt")
    w = word.lower()
    return int(is_role_word(word, th) and not is_place_name(word) and _zipf(w, "da") >= _zipf(w, "en"))


# Words after which a town or a city stands as often as a person, and the place list decides
_TOWARDS = frozenset("til fra nær to from near visit visited visiting besøge besøgte besøger".split())


def _town_after_towards(tokens: list[tuple[int, int, str]], text: str, lex: NameLexicon, lang: str, i: int) -> int:
    """1 for a town or a city no names list has, alone, right after "til", "fra", "to", "from"
    ("fløj til Tirana", "moved from Lviv"), but not where a person is spoken to ("ringede til
    Clinton") or a name the lexicon knows; else 0."""
    if i == 0 or not adjacent(tokens, text, i - 1, i) or tokens[i - 1][2].lower() not in _TOWARDS:
        return 0
    if not is_place_name(tokens[i][2]) or _known_name(tokens[i][2], lex) or spoken_to(tokens, text, i, lang):
        return 0
    if i + 1 < len(tokens) and adjacent(tokens, text, i, i + 1) and tokens[i + 1][2][:1].isupper():
        return 0  # part of a longer name
    return 1


def vetoed(tokens: list[tuple[int, int, str]], text: str, lex: NameLexicon, lang: str = "da",
           thresholds: Thresholds | None = None) -> list[bool]:
    """Per token: surely not (part of) a person's name (under ``thresholds``, the shipped ones by default)."""
    th = thresholds or current_thresholds()
    verbs = _THING_VERBS.get(lang, _THING_VERBS["da"])
    out = [False] * len(tokens)
    for i, (_, _, word) in enumerate(tokens):
        if word.isalpha() and word.islower() and not out[i]:
            # lower case ("vi var i zara"): a rare first name only Faker's lists have is a shop here
            out[i] = _place_object(tokens, text, lex, lang, i, word.capitalize()) == 1
            continue
        if not word[:1].isupper() or out[i]:
            continue
        run = _place_object(tokens, text, lex, lang, i) or _his_role(tokens, text, lang, i, th) or \
            organisation_run(tokens, text, i, th) or holiday_run(tokens, text, i) or \
            joined_by_ampersand(tokens, text, i) or after_the(tokens, text, lang, i, th) or \
            _town_after_towards(tokens, text, lex, lang, i) or after_possessive(tokens, text, lang, i, th) or \
            everyday_run(tokens, text, lang, i, th) or _role_before_name(tokens, text, lang, i, th) or \
            time_adverbial(tokens, text, lang, i)
        if run:
            out[i:i + run] = [True] * run
            continue
        after_verb = i > 0 and tokens[i - 1][2].lower() in verbs and adjacent(tokens, text, i - 1, i) and (
            lang == "en" or _subject_before(tokens, text, i - 1))
        if lang == "da" and not after_verb and _inverted_subject_object(tokens, text, lex, verbs, i, th):
            out[i] = True
            _veto_run(tokens, text, out, i, th)
            continue
        if (after_verb and not _known_name(word, lex)) or is_camel_case(word):
            out[i] = True
            j = _veto_run(tokens, text, out, i, th)
            if after_verb and j + 1 < len(tokens) and tokens[j][2].lower() in _AND \
                    and tokens[j + 1][2][:1].isupper() and not _known_name(tokens[j + 1][2], lex):
                out[j + 1] = True
                _veto_run(tokens, text, out, j + 1, th)
    return out


_AND = frozenset({"og", "and", "eller", "or", ","})


def _veto_run(tokens: list[tuple[int, int, str]], text: str, out: list[bool], i: int, th: Thresholds) -> int:
    """Veto the capitalised words right after token i, up to a listed first name no list has as a word
    ("Before Tu BiShvat Shira and her dad"); the index after the run."""
    j = i + 1
    while j < len(tokens) and tokens[j][2][:1].isupper() and adjacent(tokens, text, j - 1, j) \
            and not (listed_name(tokens[j][2], th, first_only=True) and tokens[j][2].lower() not in first_name_words()):
        out[j] = True
        j += 1
    return j
