"""Places in a sentence that only a person fills, so that an everyday word or a lower-case surname
there is a name (stories.privacy.person_slots), and the other cues of this round: a subordinate
clause's subject, who is told, a name before its kin, "St Patrick's Day". Every sentence is
fictional; the names are chosen to be words, so that only the place decides."""

from __future__ import annotations

import pytest

from stories.privacy.detection import find_person_spans


def persons(text: str, lang: str = "da") -> list[str]:
    return [text[s:e] for s, e in find_person_spans(text, lang)]


@pytest.mark.parametrize("text,lang,expected", [
    # a possessive, a friend or a person of the case, the word, then a verb or "fra"
    ("min veninde sunshine fra klassen har lært mig at strikke", "da", ["sunshine"]),
    ("min sagsbehandler mortensen har lovet at ringe", "da", ["mortensen"]),
    ("my friend happy is always late lol", "en", ["happy"]),
    ("my caseworker lund got me a trial at the club", "en", ["lund"]),
    # "hedder" after a person
    ("min nye kontaktperson hedder sol og hun er sød", "da", ["sol"]),
    # two people and what they are to each other
    ("faith og hope er søskende men de ligner ikke hinanden", "da", ["faith", "hope"]),
    ("harmony and river are cousins and they live together", "en", ["harmony", "river"]),
    # the teller and the word, then a verb
    ("me and clover went to the cinema after school", "en", ["clover"]),
    # "with" the word and a name
    ("i played chess with brave and Yusuf all evening", "en", ["brave", "Yusuf"]),
    # the one told, at the end of the clause
    ("kan ikke komme i morgen sig det lige til frost", "da", ["frost"]),
    # at a family's home, a surname many carry
    ("jeg sov hos jensens i weekenden", "da", ["jensens"]),
])
def test_a_word_in_a_place_only_a_person_fills_is_a_name(text, lang, expected):
    assert persons(text, lang) == expected


@pytest.mark.parametrize("text,lang", [
    ("min veninde siger at jeg skal komme", "da"),       # a verb, not a name
    ("min veninde også sagde det", "da"),                # a stop word
    ("my friend literally is the worst", "en"),          # an adverb in -ly
    ("me and my mum went to the shop", "en"),            # a possessive
    ("me and dad went fishing", "en"),                   # kin
    ("sig det lige til læreren", "da"),                  # a role, definite
    ("sig det lige til mor", "da"),                      # kin
    ("i went with bread and butter to the picnic", "en"),  # no name beside
    ("jeg var hos frisøren i går", "da"),                # no surname
    ("de hedder noget andet nu", "da"),                  # no person before "hedder"
    ("bordet og stolen er nye", "da"),                   # no pair noun
])
def test_the_same_places_with_words_that_are_no_names(text, lang):
    assert persons(text, lang) == []


@pytest.mark.parametrize("text,lang,expected", [
    # a word no list has, the subject of a subordinate clause before "ikke" and a verb
    ("Hans mor siger at tymofii ikke må komme med til stranden", "da", ["tymofii"]),
    # told or shown, then who or how
    ("i told zerihun she should apply for the course", "en", ["zerihun"]),
    ("jeg har lovet wanjiru at vi tager i biffen", "da", ["wanjiru"]),
    # "fylder" with an age
    ("chidinma fylder 17 på lørdag", "da", ["chidinma"]),
])
def test_unlisted_lowercase_names_as_subject_or_told(text, lang, expected):
    assert persons(text, lang) == expected


def test_a_name_before_a_comma_and_kin_is_kept():
    text = "Til mødet kom Ngozika, hendes moster Adaeze Okonkwo og en tolk."
    assert persons(text) == ["Ngozika", "Adaeze Okonkwo"]


def test_a_first_name_that_is_a_word_inside_a_sentence_before_a_person_verb():
    text = "Bussen var forsinket, men Storm grinede bare af det."
    assert persons(text) == ["Storm"]


@pytest.mark.parametrize("text,expected", [
    ("After the match Patience and Kwabena waited outside for ages.", ["Patience", "Kwabena"]),
    ("Apparently Blessing from the youth club won a prize.", ["Blessing"]),
    ("We read Pride and Prejudice in class.", []),  # no name beside
])
def test_english_names_that_are_words_capitalised(text, expected):
    assert persons(text, "en") == expected


@pytest.mark.parametrize("text", [
    "On St Patrick's Day we wore green jumpers.",
    "On St. David's Day the unit baked cakes.",
    "We made cards for Mother's Day.",
])
def test_a_day_named_for_someone_is_no_name(text):
    assert persons(text, "en") == []


@pytest.mark.parametrize("text,expected", [
    # a feast no list has, in an opening adverbial of time, then the verb and its subject
    ("Til Vaisakhi lavede Harjit og hans mor mad til hele gaden.", ["Harjit"]),
    ("Under Hıdrellez tændte vi bål i haven.", []),
    ("Aftenen før Nowruz kom Darya forbi med kager.", ["Darya"]),
    ("Op til Tsagaan Sar øvede Batbayar sangen hver dag.", ["Batbayar"]),
    ("Op til Tsagaan Sar øvede han sangen hver dag.", []),
    ("Vi fejrede Inti Raymi med musik i fælleshuset.", []),
    # not a feast: "til" and a verb of speaking, a conjunction, no subject after the verb
    ("Til Amani sagde hun, at hun var stolt.", ["Amani"]),
    ("Efter Yonatan kom, gik vi i gang.", ["Yonatan"]),
])
def test_a_feast_in_an_opening_adverbial_of_time_is_no_name(text, expected):
    assert persons(text) == expected


@pytest.mark.parametrize("text", ["On Bonfire Night we had sparklers.", "For Burns Night the unit read poems."])
def test_a_night_of_the_year_is_no_name(text):
    assert persons(text, "en") == []


def test_a_preposition_is_no_role_before_a_name():
    from stories.privacy.name_context import is_role_word
    from stories.privacy.name_rules import current_thresholds
    assert not is_role_word("Under", current_thresholds()) and not is_role_word("Efter", current_thresholds())
    assert is_role_word("Sagsbehandler", current_thresholds())
