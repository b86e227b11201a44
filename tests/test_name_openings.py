"""Names opening a sentence or a clause, double first names, surnames after a role or a name, and
names no word table has (stories.privacy: name_verdicts, name_lowercase, name_spans, detection's
overrides). Every sentence is fictional."""

from __future__ import annotations

import pytest

from stories.privacy import detection
from stories.privacy.detection import find_person_spans, kin_or_title, score_tokens
from stories.privacy.name_rules import current_thresholds
from stories.privacy.name_verdicts import _person_follows, double_first_name


def persons(text: str, lang: str = "da") -> list[str]:
    return [text[s:e] for s, e in find_person_spans(text, lang)]


@pytest.mark.parametrize("word,expected", [
    ("Karl-Emil", True), ("Anne-Sofie", True), ("Maj-Britt", True),
    ("Coca-Cola", False), ("Nord-Syd", False), ("Karl-emil", False), ("Karl-", False), ("Karl", False),
])
def test_a_double_first_name_each_part_listed(word, expected):
    assert double_first_name(word, current_thresholds()) is expected


@pytest.mark.parametrize("text,lang,expected", [
    # a name no list has opening a sentence before "og", a name and a verb
    ("Tewodros og Selam kom for sent til morgenmøde.", "da", ["Tewodros", "Selam"]),
    # a surname in letters no Danish or English word has, after a first name that is also a word
    ("Lederen har bedt Medina Kovačević om at komme til mødet.", "da", ["Medina Kovačević"]),
])
def test_names_pairs_and_foreign_surnames(text, lang, expected):
    assert persons(text, lang) == expected


@pytest.mark.parametrize("text,expected", [
    ("Det sagde butikschef Krog ja til.", ["Krog"]),  # a listed surname after a role in lower case
    ("Rektor Bjerre lovede en sygeeksamen.", ["Bjerre"]),
    ("Det sagde butikschef Netto ja til.", []),  # no listed name
    ("Butikschef Krog sagde ja.", ["Krog"]),  # a capitalised role opening the sentence, as before
])
def test_a_listed_surname_after_a_role_word_in_lower_case_is_kept(text, expected):
    tokens = score_tokens(text).tokens
    kept = kin_or_title(tokens, text, detection._detector().lexicon, "da", current_thresholds())
    assert [w for (_, _, w), k in zip(tokens, kept) if k] == expected


def test_a_word_no_list_has_before_og_and_kin_opens_on_a_person():
    for text, expected in (("Qillaq og hans storesøster kom.", True), ("Qillaq og hans bamse kom.", False)):
        assert _person_follows(score_tokens(text).tokens, text, 0, "da") is expected

@pytest.mark.parametrize("text,lang", [
    ("Vi fik mad fra Pizza Hut i går.", "da"),  # an everyday run of words is still a firm's
    ("Vi spiste på Sushi Bar i går.", "da"),
])
def test_everyday_runs_stay_no_names(text, lang):
    assert persons(text, lang) == []


@pytest.mark.parametrize("text,expected", [
    ("Zewditu er startet på værkstedet.", ["Zewditu"]),  # a word no list or table has, then a verb
    ("Tirana er en stor by.", []),  # a town
    ("Bordtennis er sjovt.", []),  # an everyday word
])
def test_a_word_no_table_has_opening_a_sentence_before_a_verb(text, expected):
    assert persons(text, "da") == expected


@pytest.mark.parametrize("word,expected", [
    ("Zdravka", True), ("Nwachi", True),
    ("Netflix", False), ("Ungdomskriminalitetsnævnet", False), ("Tirana", False), ("NATO", False), ("Jobcentret", False), ("Zdravka2", False),
])
def test_a_word_no_word_table_has(word, expected):
    assert detection.no_word(word) is expected


def test_a_name_the_rules_found_that_no_word_table_has_is_kept_whatever_the_stage_says():
    text = "Vi hentede Zdravka ved Netflix i går."
    tokens = score_tokens(text).tokens
    flags = [True] * len(tokens)
    kept = detection.stage_overrides(tokens, text, flags, [False] * len(tokens), "da", current_thresholds())
    assert [w for (_, _, w), k in zip(tokens, kept) if k] == ["Zdravka"]


@pytest.mark.parametrize("text,expected", [
    ("zorvik glemte sin jakke i klubben", ["zorvik"]),  # a word no list has, opening on a past tense
    ("qiaolin slog alle i skak i aftes", ["qiaolin"]),  # an irregular one
    ("i går var det sjovt og tulvani scannede ikke sin billet", ["tulvani"]),  # a clause after "og"
    ("naqitsoq fra nuuk har lært mig at spille kort", ["naqitsoq"]),  # "fra" opening a sentence
    ("vi sov hos ketrinas bedstemor i weekenden", ["ketrinas"]),  # a possessive before kin
    ("amaruq og hans storebror kommer i aften", ["amaruq"]),  # "og" and a person's kin
    ("kagen smagte godt og vi spiste den hele", []),  # a word
    ("i dag regnede det hele dagen", []),
])
def test_lower_case_names_no_list_has_opening_a_clause_or_before_kin(text, expected):
    assert persons(text) == expected


def test_a_surname_after_a_name_is_judged_as_written_not_by_its_danish_base_form():
    # "Kravets" is no genitive of the Danish "kravet" in an English story
    assert persons("On Monday Dmytro Kravets came to the meeting with his aunt.", "en") == ["Dmytro Kravets"]
