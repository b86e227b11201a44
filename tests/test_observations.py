"""Observations on a pattern with competing interpretations (NarraFirma's catalysis): written by an
evaluator or facilitator, checked, audited, listed with the pattern; the demo has some."""

import pytest

from changestories.database import connect
from stories.i18n import error_message
from stories.questions.errors import QuestionInvalid
from stories.questions.library import add_question, make_question
from stories.questions.observations import (
    add_interpretation, add_observation, all_observations, observation_counts, observations_on,
)
from stories.trust.permissions import Actor, PermissionDenied
from tests.apptest import open_app, tables

EVALUATOR = Actor("eva", "evaluator")
FACILITATOR = Actor("fie", "facilitator")


@pytest.fixture
def library(db):
    add_question(db, make_question("humoer", "dyad", "Hvordan havde du det?", options=["Bekymret", "Håbefuld"]))
    add_question(db, make_question("stoerrelse", "scale", "Hvor stor var forandringen?"))
    add_question(db, make_question("hvad_hjalp", "triad", "Hvad hjalp?", options=["Huset", "Venner", "Voksne"]))
    return db


def test_an_evaluator_writes_an_observation_with_competing_interpretations(library):
    db = library
    obs = add_observation(db, "humoer", "stoerrelse", "  Jo gladere, jo større forandring.  ",
                          ["Stemningen farver svaret.", "", "Forandringen giver håb."], actor=EVALUATOR)
    assert obs.text == "Jo gladere, jo større forandring." and obs.author == "eva"
    assert [i.text for i in obs.interpretations] == ["Stemningen farver svaret.", "Forandringen giver håb."]
    more = add_interpretation(db, obs.id, "Personalet spørger de glade først.", actor=FACILITATOR)
    assert [i.author for i in more.interpretations] == ["eva", "eva", "fie"]
    assert [o.id for o in observations_on(db, "stoerrelse", "humoer")] == [obs.id]  # either order
    assert observations_on(db, "humoer", "hvad_hjalp#huset") == []
    add_observation(db, "hvad_hjalp#huset", "humoer", "Huset og humøret.", ["Huset giver ro."], actor=FACILITATOR)
    assert observation_counts(db) == {frozenset(("humoer", "stoerrelse")): 1,
                                      frozenset(("hvad_hjalp#huset", "humoer")): 1}
    assert len(all_observations(db)) == 2
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'pattern_observation'").fetchone()[0] == 3


@pytest.mark.parametrize("role", ["staff", "public"])
def test_others_may_not_write_observations(library, role):
    with pytest.raises(PermissionDenied):
        add_observation(library, "humoer", "stoerrelse", "Noget.", ["En grund."], actor=Actor("x", role))
    assert library.execute("SELECT count(*) FROM pattern_observations").fetchone()[0] == 0


@pytest.mark.parametrize("a, b, text, readings, words", [
    ("humoer", "stoerrelse", "   ", ["En grund."], "Skriv iagttagelsen"),
    ("humoer", "stoerrelse", "Noget.", ["", "  "], "mindst én fortolkning"),
    ("humoer", "stoerrelse", "x" * 2001, ["En grund."], "for lang"),
    ("humoer", "stoerrelse", "Noget.", ["En grund\x07."], "styretegn"),
    ("humoer", "findes_ikke", "Noget.", ["En grund."], "to forskellige spørgsmål"),
    ("humoer", "humoer", "Noget.", ["En grund."], "to forskellige spørgsmål"),
    ("humoer", "stoerrelse#del", "Noget.", ["En grund."], "to forskellige spørgsmål"),
    ("humoer", "stoerrelse", "Noget.", [f"Grund {i}" for i in range(11)], "Højst 10"),
])
def test_bad_observations_are_refused_with_one_line_and_nothing_is_written(library, a, b, text, readings, words):
    with pytest.raises(QuestionInvalid) as caught:
        add_observation(library, a, b, text, readings, actor=EVALUATOR)
    message = error_message(caught.value, "da")
    assert words in message and "\n" not in message
    assert library.execute("SELECT count(*) FROM pattern_observations").fetchone()[0] == 0
    assert library.execute("SELECT count(*) FROM pattern_interpretations").fetchone()[0] == 0


def test_the_demo_has_observations_and_the_patterns_page_lists_and_takes_them(demo_path, monkeypatch):
    db = connect(demo_path)
    demo = observations_on(db, "feeling", "change_size")
    assert demo and len(demo[0].interpretations) >= 2
    monkeypatch.setenv("CHANGESTORIES_DB", str(demo_path))
    at = open_app("app_pages/patterns.py", actor=EVALUATOR)
    ranked = tables(at)[0]
    top = ranked.iloc[0]
    assert top["Iagttagelser"] == "1"  # the demo's observation on the strongest pair
    assert demo[0].text in [t.value for t in at.text]  # shown as text, with the pattern
    assert any(t.value == demo[0].interpretations[1].text for t in at.text)
    next(b for b in at.button if b.label == "Gem iagttagelsen").click().run()
    assert not at.exception and any("Skriv iagttagelsen" in e.value for e in at.error)
    at.text_area(key="obs_new_text").input("De unge fra skolen *svarer* <b>lavere</b>.")
    at.text_area(key="obs_new_i0").input("Skolen fylder meget for dem.")
    at.text_area(key="obs_new_i1").input("De har været med kortere tid.")
    next(b for b in at.button if b.label == "Gem iagttagelsen").click().run()
    assert not at.exception
    assert "De unge fra skolen *svarer* <b>lavere</b>." in [t.value for t in at.text]  # plain text, not markup
    mine = [o for o in observations_on(db, "feeling", "change_size") if o.author == "eva"]
    assert [i.text for i in mine[0].interpretations] == ["Skolen fylder meget for dem.", "De har været med kortere tid."]
    staff = open_app("app_pages/patterns.py", actor=Actor("sam", "staff"))
    assert not any(b.label == "Gem iagttagelsen" for b in staff.button)  # staff read them, do not write them


def test_m002_upgrades_a_database_made_before_it_keeping_questions_and_answers(tmp_path):
    from sqlite_utils import Database

    from changestories.schema import all_migration_sets
    from stories.db import configure
    from stories.questions.answers import save_answers, story_answers
    from stories.questions.library import form_questions, set_form
    from stories.storage import create_story, story_seq

    path = tmp_path / "before.db"
    old = configure(Database(path))
    sets = all_migration_sets()
    index = next(i for i, s in enumerate(sets) if s.name == "questions")
    for earlier in sets[:index]:
        earlier.apply(old)
    sets[index].apply(old, stop_before="m002_pattern_observations")
    for later in sets[index + 1:]:
        later.apply(old)
    assert "pattern_observations" not in old.table_names()
    q = add_question(old, make_question("humoer", "dyad", "Hvordan havde du det?", options=["Bekymret", "Håbefuld"]))
    set_form(old, "tell", [q.id])
    from stories.model import Consent, Story

    seq = story_seq(old, create_story(old, Story(text="Jeg fik en ven.", significance="Det betyder meget.",
                                                 consent=Consent(internal=True))).id)
    save_answers(old, seq, form_questions(old, "tell"), {q.id: 70})
    old.conn.close()

    db = connect(path)
    assert {"pattern_observations", "pattern_interpretations"} <= set(db.table_names())
    assert [(a.question.key, a.value) for a in story_answers(db, seq)] == [("humoer", 70)]
    add_question(db, make_question("stoerrelse", "scale", "Hvor stor var forandringen?"))
    obs = add_observation(db, "humoer", "stoerrelse", "Nyt efter opgraderingen.", ["En grund."], actor=EVALUATOR)
    assert observations_on(db, "stoerrelse", "humoer") == [obs]
