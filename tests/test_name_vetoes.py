"""Words surely not names (stories.privacy.name_vetoes): games after a verb of playing, camelCase
brands, shops and places after a preposition of place; names in the same places are kept. Every
sentence is fictional."""

from __future__ import annotations

import pytest

from stories.privacy import detection
from stories.privacy.detection import find_person_spans, score_tokens
from stories.privacy.holidays import is_holiday_name
from stories.privacy.name_vetoes import is_camel_case, vetoed


def vetoed_words(text: str, lang: str = "da") -> list[str]:
    tokens = score_tokens(text).tokens
    return [w for (_, _, w), v in zip(tokens, vetoed(tokens, text, detection._detector().lexicon, lang)) if v]


@pytest.mark.parametrize("text,lang,expected", [
    ("Han spillede Valorant med sin fætter.", "da", ["Valorant"]),
    ("Drengene spillede Brawl Stars på telefonen.", "da", ["Brawl", "Stars"]),  # the run of capitals
    ("We played Roblox and Fortnite all evening.", "en", ["Roblox", "Fortnite"]),  # the next item of a list
    ("Hun sidder på TikTok og YouTube hele dagen.", "da", ["TikTok", "YouTube"]),
    # Danish word order: after an opening adverbial the subject follows the verb, a person
    ("Efter skole spillede Dawit og Rayan kort.", "da", []),
    ("I går spillede Mikkel fodbold.", "da", []),
    ("Han spillede Valorant og Mads var med.", "da", ["Valorant"]),  # a listed name is no game
    ("Vi spillede med Ahmed.", "da", []),
])
def test_words_after_a_verb_of_playing_and_camel_case_words(text, lang, expected):
    assert vetoed_words(text, lang) == expected


@pytest.mark.parametrize("word,expected", [
    ("TikTok", True), ("PlayStation", True), ("YouTube", True),
    ("McDonald", False), ("MacArthur", False), ("DeLuca", False), ("O'Brien", False),  # surnames
    ("Hans-Christian", False), ("SSP", False), ("Mikkel", False),
])
def test_camel_case(word, expected):
    assert is_camel_case(word) is expected


@pytest.mark.parametrize("text,lang", [("Han spiller Valorant med Ahmed.", "da"), ("He plays Roblox with Ahmed.", "en")])
def test_a_vetoed_word_is_no_name_in_either_language(text, lang):
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == ["Ahmed"]


@pytest.mark.parametrize("text,lang,expected", [
    ("Vi var i Imerco og købte gryder.", "da", ["Imerco"]),
    ("Hun bestilte tøj på Zalando.", "da", ["Zalando"]),
    ("Han har fået job hos Synoptik.", "da", ["Synoptik"]),  # "hos" after a word of work
    ("We bought paint at Bauhaus.", "en", ["Bauhaus"]),
    ("vi var i matas med min mor", "da", ["matas"]),  # lower case: a first name only Faker's lists have
    # people in the same places: a listed name, "hos" without work, a verb that takes a person,
    # a possessive before a noun
    ("Vi var i byen med Mette og hos Linh bagefter.", "da", []),
    ("Jeg sov hos Oleksandr i weekenden.", "da", []),
    ("Vi ventede på Aryan i en time.", "da", []),
    ("I looked at Aryan and laughed.", "en", []),
    ("Vi sad i Dawits værelse hele aftenen.", "da", []),
    ("Hun har været på Mettes kontor.", "da", []),
])
def test_shops_and_places_after_a_preposition_of_place(text, lang, expected):
    assert vetoed_words(text, lang) == expected


@pytest.mark.parametrize("text,lang,names", [
    ("Jeg har været i Imerco med Viktoria.", "da", ["Viktoria"]),
    ("She got a job at Synoptik and Dawit helped her.", "en", ["Dawit"]),
])
def test_a_shop_after_a_preposition_is_no_name_and_the_person_is(text, lang, names):
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == names


@pytest.mark.parametrize("text,expected", [
    # his contact person; and "dag" after "i", a listed first name in lower case after a preposition of place
    ("Hans Kontaktperson har fri i dag.", ["Hans", "Kontaktperson", "dag"]),
    ("Hans Jørgen kom forbi i går.", []),  # a name
    ("I går mødte vi Hans Kontaktperson.", []),  # inside a sentence, "Hans" is a name
])
def test_his_role_written_with_a_capital(text, expected):
    assert vetoed_words(text) == expected


@pytest.mark.parametrize("text,names", [
    ("Vi søgte Aase Fonden om penge til turen.", []),  # a person's name before "Fonden" names a fund
    ("Hun er frivillig i Dansk Skak og Bridge Forbund hver uge.", []),
    ("Kevin har fået en plads på Lindebjerg Efterskole.", ["Kevin"]),
    ("Vi søgte Aase om penge til turen.", ["Aase"]),
])
def test_an_organisation_named_with_its_last_word_is_no_person(text, names):
    assert [text[s:e] for s, e in find_person_spans(text, "da")] == names


@pytest.mark.parametrize("text,names", [
    ("Tirsdag spillede vi Kalaha i fællesrummet.", []),  # adverbial, verb, subject, object
    ("Hver torsdag spiller Lasse, Stine og Ece Rummikub i kantinen.", ["Lasse", "Stine", "Ece"]),
    ("Efter skole spillede Ebba og Rayan Yatzy ved bordet.", ["Ebba", "Rayan"]),
    ("Aisha og hendes søster spillede Minecraft med de mindre børn.", ["Aisha"]),
    ("Hun lærte mig at spille Mahjong i går.", []),
    ("Efter kampen spillede Mads og Ida Jensen hele aftenen.", ["Mads", "Ida Jensen"]),  # a surname people carry
])
def test_a_game_after_an_inverted_subject_is_no_person(text, names):
    assert [text[s:e] for s, e in find_person_spans(text)] == names


@pytest.mark.parametrize("text,lang,names", [
    ("Hun har fået studiejob hos Ole & Steen på hovedgaden.", "da", []),  # a firm joined by "&"
    ("Efter skolen gik Ole og Steen hjem sammen.", "da", ["Ole", "Steen"]),  # people joined by "og"
    ("Hun har fritidsjob hos Meyers Bageri i byen.", "da", []),  # a shop named for a person
    ("Vi købte is hos Hansens Is bagefter.", "da", []),
    ("Jesper Bank kom forbi klubben i går.", "da", ["Jesper Bank"]),  # a person whose surname is "Bank"
    ("We drove her little sister home after the Homowo party.", "en", []),  # no article before a person
    ("At the Klubhuset Rania painted a big picture.", "en", ["Rania"]),
    ("Ungevejleder Thygesen har holdt møde med Meklit.", "da", ["Thygesen", "Meklit"]),  # a role before a surname
    ("Jobkonsulenten Frost har lovet at ringe tilbage.", "da", ["Frost"]),
])
def test_firms_roles_and_the_article_are_not_names(text, lang, names):
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == names


@pytest.mark.parametrize("text,lang,names", [
    ("Sidste år fløj Drita til Tirana for at se sin mormor.", "da", ["Drita"]),  # a city, not a person
    ("Last December Yevhen flew to Lviv to see his grandmother.", "en", ["Yevhen"]),
    ("Vi kørte fra Korsør til Odder i én dag.", "da", []),  # Danish towns
    ("Hun ringede til Clinton om lejligheden.", "da", ["Clinton"]),  # spoken to: a person
])
def test_a_town_after_til_fra_to_from_is_no_person(text, lang, names):
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == names


def test_a_game_after_a_weekday_and_a_list_of_three_names():
    text = "Hver Tirsdag spiller Bohdan, Kofi og Sediqa Qwirkle i hobbyrummet."
    assert [text[s:e] for s, e in find_person_spans(text)] == ["Bohdan", "Kofi", "Sediqa"]


@pytest.mark.parametrize("text,lang,names", [
    ("Min søster Sacdiya hjalp mig med at skrive til Pizza Hut.", "da", ["Sacdiya"]),  # a firm opening on a word
    ("Vi cyklede ud til fælleden med Google Maps åben hele tiden.", "da", []),
    ("Det store skub i karrieren fik Joe Cocker først i 1982.", "da", ["Joe Cocker"]),  # a person
    ("Bonns særlige udsending, Klaus-Peter Klaiber, udvekslede håndtryk.", "da", ["Klaus-Peter Klaiber"]),
    ("Hans Bisidder er på kursus det meste af juni.", "da", []),  # his assessor
])
def test_runs_opening_on_an_everyday_word_are_firms_not_people(text, lang, names):
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == names


@pytest.mark.parametrize("text,lang,names", [
    # a role word before a surname inside a sentence, also a compound of three words
    ("Mødet blev flyttet, skriver Familierådgiver Holmgaard fra kommunen.", "da", ["Holmgaard"]),
    ("Bagefter talte vi med Bostøttemedarbejder Lund om budgettet.", "da", ["Lund"]),
    ("Vi tog toget, og Ungementor Abildgaard ventede på perronen.", "da", ["Abildgaard"]),
    # an English surname that is also a word for work is no role: "Walker", "Porter"
    ("Efter skolen gik Tobias Walker hjem med Sara.", "da", ["Tobias Walker", "Sara"]),
])
def test_a_role_before_a_surname_inside_a_sentence_is_no_name(text, lang, names):
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == names


@pytest.mark.parametrize("text,lang,names,place", [
    ("Om lørdagen mødes Hodan og hendes veninde på Vesterbro Torv.", "da", ["Hodan"], ["Vesterbro", "Torv"]),
    ("Klassen tog på tur til Hvidbjerg Klint med Emil.", "da", ["Emil"], ["Hvidbjerg", "Klint"]),  # a cliff
    ("Næste år vil Amira gerne starte på Nordvest College.", "da", ["Amira"], ["Nordvest", "College"]),
    ("We walked along Marsden Beach with Kwame.", "en", ["Kwame"], ["Marsden", "Beach"]),
    ("Hun flyttede ind hos Mette Skov i sommer.", "da", ["Mette Skov"], []),  # a surname that is a place's word
])
def test_a_run_ending_in_a_place_or_a_school_is_no_person(text, lang, names, place):
    assert [w for w in vetoed_words(text, lang) if w[:1].isupper()] == place
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == names


@pytest.mark.parametrize("text,lang,names", [
    # towns of Greenland and the Faroe Islands, and places abroad in letters Danish lacks
    ("Nivi er flyttet fra Narsaq til Aarhus.", "da", ["Nivi"]),
    ("I sommerferien sejlede Rúni til Tvøroyri.", "da", ["Rúni"]),
    ("Last spring Gintarė moved from Panevėžys to Odense.", "en", ["Gintarė"]),
])
def test_towns_of_the_danish_realm_and_in_other_latin_letters_are_no_people(text, lang, names):
    assert [text[s:e] for s, e in find_person_spans(text, lang)] == names


@pytest.mark.parametrize("text,lang,vetoed_run", [
    ("Vi fejrede Juhannuspäivä hos Femke.", "da", ["Juhannuspäivä"]),  # public holidays somewhere
    ("Til Hari Raya Puasa kom hele familien.", "da", ["Hari", "Raya", "Puasa"]),
    ("We went to the beach on Jamhuri Day with Wanjiru.", "en", ["Jamhuri", "Day"]),
    ("Hari kom i dag.", "da", []),  # the first word of a holiday alone is judged as a word
])
def test_public_holidays_from_the_holidays_package_are_no_names(text, lang, vetoed_run):
    assert [w for w in vetoed_words(text, lang) if w[:1].isupper()] == vetoed_run


@pytest.mark.parametrize("words,expected", [
    ("Chuseok", True), ("fiestas patrias", True), ("Koningsdag", True),
    ("Noel", False),  # a one-word holiday a names list has
    ("Hari", False), ("Kim", False),
])
def test_holiday_names(words, expected):
    assert is_holiday_name(words) is expected


def test_the_veto_on_a_camel_case_word_stops_before_a_listed_first_name():
    assert "Nadia" not in vetoed_words("I går viste TikTok Nadia en ny dans.")
    assert vetoed_words("Hun ser YouTube Kids hver dag.")[:2] == ["YouTube", "Kids"]
