"""Runs of capitalised words that name a thing, not a person (``name_vetoes`` takes them out):
a firm joined by "&" ("Ole & Steen"), a run ending in an organisation's, a business's or a place's
last word ("Velux Fonden", "Meyers Bageri", "Husum Torv"), a run opening on an everyday word
("Pizza Hut"), a holiday's name ("Eid al-Fitr"), and the words after "the" or a possessive ("the
Homowo party", "min Kontaktpædagog"). Each function gives the run's length from token i, or 0.
"""

from __future__ import annotations

from stories.privacy.holidays import MAX_WORDS, is_holiday_name
from stories.privacy.name_context import POSSESSIVES
from stories.privacy.name_rules import (
    HOLIDAYS, Thresholds, _feast_compound, _is_initial, adjacent, is_common_word, is_function_word, listed_name,
)
from stories.privacy.names import DA_NAME_WORDS, EN_NAME_WORDS, name_list
from stories.privacy.word_list import is_known_word


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


def joined_by_ampersand(tokens: list[tuple[int, int, str]], text: str, i: int) -> int:
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


def after_possessive(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int, th: Thresholds) -> int:
    """The run of capitalised words right after a lower-case possessive ("his Aftercare Worker", "min
    Kontaktpædagog"): a role or a thing, not a person's name; the run stops before a listed name
    ("min Kontaktpædagog Bøgh")."""
    if i == 0 or not adjacent(tokens, text, i - 1, i) or tokens[i - 1][2] not in POSSESSIVES.get(lang, ()):
        return 0
    j = i
    while j < len(tokens) and (j == i or adjacent(tokens, text, j - 1, j)) and tokens[j][2][:1].isupper() \
            and not listed_name(tokens[j][2], th) and not tokens[j][2].isupper() \
            and not (j > i and is_common_word(tokens[j - 1][2], lang, th) and not is_common_word(tokens[j][2], lang, th)):
        j += 1  # "My Career Adviser Bodholdt": a rarer word after the role begins a name
    return j - i


def everyday_run(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int, th: Thresholds) -> int:
    """A run of two or more capitalised words inside a sentence, none a listed name, that begins
    with an everyday word ("Pizza Hut", "Google Maps", "Jobcenter Høje-Taastrup"): a firm's or a
    place's name, not a person's (a person's full name begins with a first name)."""
    if _is_initial(tokens, text, i) or (i > 0 and adjacent(tokens, text, i - 1, i) and tokens[i - 1][2][:1].isupper()):
        return 0
    j = i
    while j < len(tokens) and (j == i or adjacent(tokens, text, j - 1, j)) and tokens[j][2][:1].isupper() \
            and tokens[j][2].replace("-", "").isalpha():
        if listed_name(tokens[j][2], th) or tokens[j][2].isupper() or "-" in tokens[j][2] and j > i \
                or j > i and _NAME_LETTERS.intersection(tokens[j][2]):
            return 0  # a listed name, an acronym, a hyphenated second part, a surname in letters Danish and
            # English words lack: maybe a person ("Jean-Michel Saive", "Medina Hadžić")
        j += 1
    if j - i < 2:
        return 0
    first = tokens[i][2]
    if "-" in first or first.lower() in DA_NAME_WORDS | EN_NAME_WORDS or is_function_word(first, lang):
        return 0  # "Klaus-Peter Klaiber", "Major Hewitt"
    return j - i if is_common_word(first, lang, th) and (is_known_word(first) or is_known_word(first.lower())) else 0


# Letters of the Slavic, Baltic, Turkish, Romanian and Hungarian alphabets that no Danish or English
# word has: a surname written in them is a person's ("Hadžić", "Kazlauskienė", "Yılmaz")
_NAME_LETTERS = frozenset("ćčžšđłńśźżőűğışățșėąęųūįļķņřěůťďňľĺŕ")


def after_the(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int, th: Thresholds) -> int:
    """The run of capitalised words right after "the" in an English story ("the Homowo party", "the
    Mellemfolkeligt Samvirke charity shop"): English puts no article before a person's name. The run
    stops before a listed first name ("At the Klubhuset Rania painted")."""
    if lang != "en" or i == 0 or tokens[i - 1][2].lower() != "the" or not adjacent(tokens, text, i - 1, i):
        return 0
    j = i + 1
    while j < len(tokens) and adjacent(tokens, text, j - 1, j) and tokens[j][2][:1].isupper() \
            and not listed_name(tokens[j][2], th, first_only=True) \
            and not (is_common_word(tokens[j - 1][2], lang, th) and not is_common_word(tokens[j][2], lang, th)):
        j += 1  # a rarer word after a common one begins a name: "the Mid-Autumn Festival Trang"
    return j - i


def organisation_run(tokens: list[tuple[int, int, str]], text: str, i: int, th: Thresholds) -> int:
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
            if j == i + 1 and listed_name(tokens[i][2], th, first_only=True):
                return 0  # a first name and a surname that is also a place's word: "Mette Skov"
            return j + 1 - i
        j += 1
    return 0


_NAME_JOINERS = frozenset({"og", "for", "af", "of", "the", "and", "&"})


def holiday_run(tokens: list[tuple[int, int, str]], text: str, i: int) -> int:
    """A holiday ("Eid", "Diwali", "Hanukkah") and the words of its name right after it ("Eid
    al-Fitr", "Christmas Eve", "Kurban Bayramı"; not "After Christmas Yasmin came"): the length of
    that run, or 0; or a public holiday's name somewhere, as written ("Chuseok", "Fiestas Patrias":
    ``holidays``)."""
    for j in range(min(len(tokens), i + 2 * MAX_WORDS), i, -1):  # punctuation is tokens too: "Mi'raj"
        if is_holiday_name(" ".join(text[tokens[i][0]:tokens[j - 1][1]].split())):
            return j - i
    saint = _saints_day(tokens, text, i)
    if saint:
        return saint
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


def _saints_day(tokens: list[tuple[int, int, str]], text: str, i: int) -> int:
    """A day named for someone, "St Patrick's Day", "St. David's Day", "Valentine's Day", "Mother's Day"
    (a possessive before a capitalised "Day"), or a night of the year ("Bonfire Night", "Burns Night"):
    the length of that run, or 0."""
    j = i
    if tokens[j][2] in _SAINTS:
        j += 1
        if j < len(tokens) and tokens[j][2] == ".":
            j += 1
    if j + 1 >= len(tokens) or not adjacent(tokens, text, j, j + 1):
        return 0
    word, tail = tokens[j][2], tokens[j + 1][2]
    if tail == "Night" and word[:1].isupper() and word.isalpha() and not word.isupper():
        return j + 2 - i  # "Bonfire Night", "Burns Night"
    return j + 2 - i if tail == "Day" and word[:1].isupper() and word.endswith(("'s", "’s")) and len(word) > 3 else 0


_SAINTS = frozenset("St Saint Sankt Skt".split())
_HOLIDAY_TAILS = frozenset("eve day dag dagen aften aftenen mubarak fitr adha al-fitr al-adha el-fitr el-adha "
                           "ul-fitr ul-adha sameach".split())
