"""/tell asks the form's own questions: every kind answered, read back, saved with the story; a
required question left out is refused with a message and nothing is stored."""

import pytest

from changestories.database import connect
from stories.questions.answers import story_answers
from stories.questions.library import set_form
from tests.apptest import open_app
from tests.questions_library import six_kinds

PAGE = "app_pages/tell.py"
STORY = "Jeg turde sige min mening på holdet, og de andre lyttede til mig."


def library(db):
    qs = six_kinds(db)
    set_form(db, "tell", [q.id for q in qs.values()])
    return qs


@pytest.fixture
def tell(db_path, monkeypatch):
    monkeypatch.setenv("CHANGESTORIES_DB", str(db_path))
    qs = library(connect(db_path))
    at = open_app(PAGE)
    return at, qs


def fill_story(at):
    at.text_area(key="short_form_w_text").input(STORY)
    at.text_area(key="short_form_w_significance").input("Nu tør jeg mere.")
    for box in at.checkbox:
        if box.key == "short_form_w_internal":
            box.check()
    return at


def cont(at):
    next(b for b in at.button if b.label == "Videre").click().run()
    assert not at.exception
    return at


def test_a_young_person_answers_every_kind_reads_it_back_and_saves(tell, db_path):
    at, qs = tell
    fill_story(at)
    p = "short_form_qa_"
    at.slider(key=f"{p}{qs['hvad_hjalp'].id}_0").set_value(50)
    at.slider(key=f"{p}{qs['hvad_hjalp'].id}_2").set_value(50)
    at.select_slider(key=f"{p}{qs['humoer'].id}").set_value(80)
    at.checkbox(key=f"{p}{qs['sted'].id}_na").check()
    at.button_group(key=f"{p}{qs['hvem'].id}").set_value(["venner"])
    at.select_slider(key=f"{p}{qs['stoerrelse'].id}").set_value(70)
    at.text_input(key=f"{p}{qs['et_ord'].id}").input("Mod")
    cont(at)
    assert [e.value for e in at.error] == []
    shown = "\n".join(t.value for t in at.text)
    assert "Hvad hjalp mest?: Huset 50 % · Vennerne 0 % · De voksne 50 %" in shown
    assert "Hvordan havde du det?: Bekymret 20 % · Håbefuld 80 %" in shown
    assert "Hvem var med?: Venner" in shown
    assert "Hvor skete det?: Passer ikke" in shown and "Hvor stor var forandringen?: 70" in shown
    next(b for b in at.button if b.label == "Ja, gem historien").click().run()
    assert not at.exception
    db = connect(db_path)
    seq = db.execute("SELECT seq FROM stories").fetchone()[0]
    assert {a.question.key: a.value for a in story_answers(db, seq)} == {
        "hvad_hjalp": [0.5, 0.0, 0.5], "humoer": 80, "sted": None, "hvem": ["venner"], "stoerrelse": 70, "et_ord": "Mod"}


def test_a_required_question_left_out_is_refused_and_nothing_is_stored(tell, db_path):
    at, qs = tell
    fill_story(at)
    cont(at)
    assert [e.value for e in at.error] == ["Svar på 'Hvor stor var forandringen?' \\- det er påkrævet\\."]
    assert connect(db_path).execute("SELECT count(*) FROM stories").fetchone()[0] == 0
