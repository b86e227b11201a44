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

from stories.privacy.name_context import _KIN, POSSESSIVES, is_role_word
from stories.privacy.name_rules import (
    HOLIDAYS, NameLexicon, _feast_compound, _is_initial, _zipf, adjacent, current_thresholds, is_common_word,
    is_function_word, lexicon_verdict, listed_name, name_forms, stop_words,
)
from stories.privacy.name_lowercase import spoken_to
from stories.privacy.names import DA_NAME_WORDS, EN_NAME_WORDS, FOREIGN_COUNT, name_list
from stories.privacy.word_list import is_known_word
from stories.privacy.places import is_place_name

_PLAY_VERBS = {
    "da": frozenset("spiller spillede spille spillet streamer streamede".split()),
    "en": frozenset("play plays played playing watch watches watched watching stream streamed streaming".split()),
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
                             i: int) -> bool:
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
    last_listed = listed_name(tokens[j][2], current_thresholds(), first_only=True)
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


def _his_role(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int) -> int:
    """2 for "Hans" opening a Danish sentence before a capitalised everyday word no list has as a
    name ("Hans Kontaktperson", "Hans Pædagog"), else 0."""
    if lang != "da" or tokens[i][2] != "Hans" or i + 1 >= len(tokens) or not adjacent(tokens, text, i, i + 1):
        return 0
    nxt = tokens[i + 1][2]
    th = current_thresholds()
    if not nxt[:1].isupper() or not _is_initial(tokens, text, i) or listed_name(nxt, th) \
            or not (is_common_word(nxt, lang, th) or is_role_word(nxt)):
        return 0
    return 2  # "Hans Kontaktperson", "Hans Bisidder"


# Shops, banks and places named for a person: "Meyers Bageri", "Hansens Is", "Jyske Bank"
_BUSINESS_HEADS = frozenset(
    "Bageri Bageriet Bakery Bank Banken Is Ismejeri Sushi Pizza Pizzeria Burgers Burger Kiosk Kiosken Café Cafe "
    "Bar Grill Shop Butik Butikken Kommune Kommunen Hospital Hospitalet Bibliotek Biblioteket Centret Center "
    "Centrum Station Stationen Kollegium Kollegiet Hotel Hotellet Restaurant".split())
# The last word of an organisation's or an institution's name: "Velux Fonden", "Rockwool Foundation",
# "SIND Ungdom", "Dansk Kano og Kajak Forbund" (a person's name before one names the place, not a person:
# "Mary Fonden")
_ORGANISATION_HEADS = frozenset(
    "Fonden Fond Foundation Fund Trust Forbund Forbundet Federation Ungdom Forening Foreningen Association "
    "Society Klub Klubben Club Kirke Kirken Church Moské Moskéen Mosque Efterskole Efterskolen Højskole "
    "Højskolen Friskole Friskolen Gymnasium Gymnasiet Instituttet Institute Museum Museet Akademi Akademiet "
    "Academy".split()) | _BUSINESS_HEADS
# The last word of a place's or a school's name: "Husum Torv", "Stevns Klint", "Utterslev Mose", "Kold
# College", "Djurs Sommerland"; some are surnames too ("Mette Skov", "Anne Strand"), so a listed first
# name before one keeps a person
_PLACE_HEADS = frozenset(
    "Torv Torvet Plads Pladsen Klint Klinten Mose Mosen Sø Søen Søbad Bad Badet Havn Havnen Bro Broen Strand "
    "Stranden Skov Skoven Park Parken Have Haven Knude Mile Bakke Bakken Bakker Ø Øen Fjord Fjorden Sommerland "
    "Galleri Galleriet Zoo Stadion Arena Hal Hallen Storcenter Gade Gaden Vej Vejen Allé Boulevard Kanal "
    "Kanalen Slot Slottet Kirkegård Kirkegården Skole Skolen College Universitet Universitetet Seminarium "
    "Sygehus Sygehuset Klinik Klinikken Beach Bridge Street Road Square Lake Hill Hills Cliffs Castle School "
    "University Centre Mall Market Stadium Garden Gardens Bay Island Forest Lane Avenue Harbour".split())


def _role_before_name(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int) -> int:
    """1 for a capitalised word for a person's work right before a capitalised word in a Danish
    sentence, when no list has it as a name: a role before a surname ("Ungevejleder Thygesen",
    "skriver Myndighedsrådgiver Præst", "og Ungementor Rosendahl"); else 0. Opening a sentence, the
    word must also be an everyday one (a name opens sentences too); inside one, a Danish word that is
    no place ("Amager Fælled")."""
    if lang != "da" or i + 1 >= len(tokens) or not adjacent(tokens, text, i, i + 1):
        return 0
    word, nxt = tokens[i][2], tokens[i + 1][2]
    th = current_thresholds()
    if not word[:1].isupper() or not nxt[:1].isupper() or nxt.isupper() or word.isupper() or listed_name(word, th):
        return 0
    if _is_initial(tokens, text, i):
        return int(is_common_word(word, lang, th) and is_role_word(word))
    # inside a sentence, a Danish word and no place ("Manchester City", "Amager Fælled", "Major Hewitt")
    w = word.lower()
    return int(is_role_word(word) and not is_place_name(word) and _zipf(w, "da") >= _zipf(w, "en"))


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


def _joined_by_ampersand(tokens: list[tuple[int, int, str]], text: str, i: int) -> int:
    """The length of a run of capitalised words joined by "&" ("Ole & Steen", "Andersen & Maillard",
    "Joe & The Juice"): a firm's name, not people (people are joined by "og" and "and")."""
    if i > 0 and adjacent(tokens, text, i - 1, i) and tokens[i - 1][2] in ("&",):
        return 0
    j = i + 1
    while j < len(tokens) and adjacent(tokens, text, j - 1, j) and tokens[j][2][:1].isupper():
        j += 1
    if j + 1 < len(tokens) and tokens[j][2] == "&" and adjacent(tokens, text, j - 1, j) \
            and adjacent(tokens, text, j, j + 1) and tokens[j + 1][2][:1].isupper():
        k = j + 2
        while k < len(tokens) and adjacent(tokens, text, k - 1, k) and tokens[k][2][:1].isupper():
            k += 1
        return k - i
    return 0


def _after_possessive(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int) -> int:
    """The run of capitalised words right after a lower-case possessive ("his Aftercare Worker", "min
    Kontaktpædagog"): a role or a thing, not a person's name; the run stops before a listed name
    ("min Kontaktpædagog Bøgh")."""
    if i == 0 or not adjacent(tokens, text, i - 1, i) or tokens[i - 1][2] not in POSSESSIVES.get(lang, ()):
        return 0
    th = current_thresholds()
    j = i
    while j < len(tokens) and (j == i or adjacent(tokens, text, j - 1, j)) and tokens[j][2][:1].isupper() \
            and not listed_name(tokens[j][2], th) and not tokens[j][2].isupper() \
            and not (j > i and is_common_word(tokens[j - 1][2], lang, th) and not is_common_word(tokens[j][2], lang, th)):
        j += 1  # "My Career Adviser Bodholdt": a rarer word after the role begins a name
    return j - i


def _everyday_run(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int) -> int:
    """A run of two or more capitalised words inside a sentence, none a listed name, that begins
    with an everyday word ("Pizza Hut", "Google Maps", "Jobcenter Høje-Taastrup"): a firm's or a
    place's name, not a person's (a person's full name begins with a first name)."""
    if _is_initial(tokens, text, i) or (i > 0 and adjacent(tokens, text, i - 1, i) and tokens[i - 1][2][:1].isupper()):
        return 0
    th = current_thresholds()
    j = i
    while j < len(tokens) and (j == i or adjacent(tokens, text, j - 1, j)) and tokens[j][2][:1].isupper() \
            and tokens[j][2].replace("-", "").isalpha():
        if listed_name(tokens[j][2], th) or tokens[j][2].isupper() or "-" in tokens[j][2] and j > i:
            return 0  # a listed name, an acronym, a hyphenated second part: maybe a person ("Jean-Michel Saive")
        j += 1
    if j - i < 2:
        return 0
    first = tokens[i][2]
    if "-" in first or first.lower() in DA_NAME_WORDS | EN_NAME_WORDS or is_function_word(first, lang):
        return 0  # "Klaus-Peter Klaiber", "Major Hewitt"
    return j - i if is_common_word(first, lang, th) and (is_known_word(first) or is_known_word(first.lower())) else 0


def _after_the(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int) -> int:
    """The run of capitalised words right after "the" in an English story ("the Homowo party", "the
    Mellemfolkeligt Samvirke charity shop"): English puts no article before a person's name. The run
    stops before a listed first name ("At the Klubhuset Rania painted")."""
    if lang != "en" or i == 0 or tokens[i - 1][2].lower() != "the" or not adjacent(tokens, text, i - 1, i):
        return 0
    th = current_thresholds()
    j = i + 1
    while j < len(tokens) and adjacent(tokens, text, j - 1, j) and tokens[j][2][:1].isupper() \
            and not listed_name(tokens[j][2], th, first_only=True) \
            and not (is_common_word(tokens[j - 1][2], lang, th) and not is_common_word(tokens[j][2], lang, th)):
        j += 1  # a rarer word after a common one begins a name: "the Mid-Autumn Festival Trang"
    return j - i


def _organisation_run(tokens: list[tuple[int, int, str]], text: str, i: int) -> int:
    """The length of a run of capitalised words from token i that ends in an organisation's or a
    place's last word ("Velux Fonden", "SIND Ungdom", "Husum Torv"); 0 when it does not. Small words inside the name ("og", "for",
    "of", "the", "&") are taken along."""
    if i > 0 and adjacent(tokens, text, i - 1, i) and tokens[i - 1][2][:1].isupper():
        return 0  # not the start of the run
    j = i + 1
    while j < len(tokens) and adjacent(tokens, text, j - 1, j) and (
            tokens[j][2][:1].isupper() or (tokens[j][2] in _NAME_JOINERS and j + 1 < len(tokens)
                                           and tokens[j + 1][2][:1].isupper())):
        if tokens[j][2] in _ORGANISATION_HEADS:
            if j == i + 1 and tokens[j][2] in _BUSINESS_HEADS and tokens[j][2] in name_list().last \
                    and tokens[i][2] in name_list().first:
                return 0  # a first name and a surname that is also a shop's word: "Jesper Bank"
            return j + 1 - i
        if tokens[j][2] in _PLACE_HEADS:
            if j == i + 1 and listed_name(tokens[i][2], current_thresholds(), first_only=True):
                return 0  # a first name and a surname that is also a place's word: "Mette Skov"
            return j + 1 - i
        j += 1
    return 0


_NAME_JOINERS = frozenset({"og", "for", "af", "of", "the", "and", "&"})


def _holiday_run(tokens: list[tuple[int, int, str]], text: str, i: int) -> int:
    """A holiday ("Eid", "Diwali", "Hanukkah") and the words of its name right after it ("Eid
    al-Fitr", "Christmas Eve", "Kurban Bayramı"; not "After Christmas Yasmin came"): the length of
    that run, or 0."""
    word = tokens[i][2].lower()
    if word not in HOLIDAYS and word.removesuffix("s") not in HOLIDAYS and not _feast_compound(word):
        # a word right before a holiday opens its name: "Kristi Himmelfartsdag", "Rosh Hashanah"
        nxt = tokens[i + 1][2] if i + 1 < len(tokens) and adjacent(tokens, text, i, i + 1) else ""
        if not tokens[i][2][:1].isupper() or not nxt[:1].isupper() or tokens[i][2].endswith(("s", "'", "’")) \
                or not (nxt.lower() in HOLIDAYS or _feast_compound(nxt.lower())):
            return 0  # not a possessive before a day: "Sarons fødselsdag"
    j = i + 1
    while j < len(tokens) and adjacent(tokens, text, j - 1, j) and tokens[j][2][:1].isupper() and (
            tokens[j][2].lower() in HOLIDAYS or tokens[j][2].lower() in _HOLIDAY_TAILS):
        j += 1
    return j - i


_HOLIDAY_TAILS = frozenset("eve day dag dagen aften aftenen mubarak fitr adha al-fitr al-adha el-fitr el-adha "
                           "ul-fitr ul-adha sameach".split())


def vetoed(tokens: list[tuple[int, int, str]], text: str, lex: NameLexicon, lang: str = "da") -> list[bool]:
    """Per token: surely not (part of) a person's name."""
    verbs = _PLAY_VERBS.get(lang, _PLAY_VERBS["da"])
    out = [False] * len(tokens)
    for i, (_, _, word) in enumerate(tokens):
        if word.isalpha() and word.islower() and not out[i]:
            # lower case ("vi var i zara"): a rare first name only Faker's lists have is a shop here
            out[i] = _place_object(tokens, text, lex, lang, i, word.capitalize()) == 1
            continue
        if not word[:1].isupper() or out[i]:
            continue
        run = _place_object(tokens, text, lex, lang, i) or _his_role(tokens, text, lang, i) or \
            _organisation_run(tokens, text, i) or _holiday_run(tokens, text, i) or \
            _joined_by_ampersand(tokens, text, i) or _after_the(tokens, text, lang, i) or \
            _town_after_towards(tokens, text, lex, lang, i) or _after_possessive(tokens, text, lang, i) or \
            _everyday_run(tokens, text, lang, i) or _role_before_name(tokens, text, lang, i)
        if run:
            out[i:i + run] = [True] * run
            continue
        after_verb = i > 0 and tokens[i - 1][2].lower() in verbs and adjacent(tokens, text, i - 1, i) and (
            lang == "en" or _subject_before(tokens, text, i - 1))
        if lang == "da" and not after_verb and _inverted_subject_object(tokens, text, lex, verbs, i):
            out[i] = True
            _veto_run(tokens, text, out, i)
            continue
        if (after_verb and not _known_name(word, lex)) or is_camel_case(word):
            out[i] = True
            j = _veto_run(tokens, text, out, i)
            if after_verb and j + 1 < len(tokens) and tokens[j][2].lower() in _AND \
                    and tokens[j + 1][2][:1].isupper() and not _known_name(tokens[j + 1][2], lex):
                out[j + 1] = True
                _veto_run(tokens, text, out, j + 1)
    return out


_AND = frozenset({"og", "and", "eller", "or", ","})


def _veto_run(tokens: list[tuple[int, int, str]], text: str, out: list[bool], i: int) -> int:
    """Veto the capitalised words right after token i; the index after the run."""
    j = i + 1
    while j < len(tokens) and tokens[j][2][:1].isupper() and adjacent(tokens, text, j - 1, j):
        out[j] = True
        j += 1
    return j
