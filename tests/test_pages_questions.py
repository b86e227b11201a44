"""The questions admin page: an admin adds a question of every kind, a preset, refused input gets
a one-line message, the tell form is assembled from them, and a question with answers is retired."""

import pytest

from changestories.database import connect
from stories.questions.library import form_questions, list_questions
from stories.trust.permissions import Actor
from tests.apptest import open_app

PAGE = "app_pages/questions.py"
ADMIN = Actor("admin", "admin")

KINDS = [  # kind, key, Danish wording, options text
    ("triad", "hvad_hjalp", "Hvad hjalp mest?", "Huset | The house\nVennerne | Friends\nDe voksne | The adults"),
    ("dyad", "humoer", "Hvordan havde du det?", "Bekymret | Worried\nHåbefuld | Hopeful"),
    ("single", "sted", "Hvor skete det?", "Skolen | School\nHjemme | Home"),
    ("multiple", "hvem", "Hvem var med?", "Venner | Friends\nFamilie | Family\nVoksne | Adults"),
    ("scale", "stoerrelse", "Hvor stor var forandringen?", ""),
    ("text", "et_ord", "Ét ord for forandringen", ""),
]


@pytest.fixture
def page(db_path, monkeypatch):
    monkeypatch.setenv("CHANGESTORIES_DB", str(db_path))
    return open_app(PAGE, actor=ADMIN)


def add(at, kind, key, wording, options):
    at.selectbox(key="qnew_kind").set_value(kind)
    at.text_input(key="qnew_key").input(key)
    at.text_input(key="qnew_da").input(wording)
    at.text_area(key="qnew_options").input(options)
    next(b for b in at.button if b.label == "Gem spørgsmålet").click().run()
    assert not at.exception
    return at


def test_an_admin_builds_a_form_with_every_kind(page, db_path):
    at = page
    for kind, key, wording, options in KINDS:
        add(at, kind, key, wording, options)
        assert any(s.value == f"Spørgsmålet '{key}' er gemt." for s in at.success), [e.value for e in at.error]
    db = connect(db_path)
    assert {q.key: q.kind for q in list_questions(db)} == {k: kind for kind, k, _, _ in KINDS}
    at.selectbox(key="qform_key").set_value("tell").run()
    ids = [q.id for q in list_questions(db)]
    for question_id in ids:  # added one at a time, in this order
        at.selectbox(key="qform_tell_add").set_value(question_id).run()
        assert not at.exception
    assert any(c.value == "Alt er valgt." for c in at.caption)  # the add-one select gave way: nothing opens empty
    next(b for b in at.button if b.label == "Gem formularen").click().run()
    assert not at.exception
    assert [q.key for q in form_questions(connect(db_path), "tell")] == [k for _, k, _, _ in KINDS]


def test_a_triad_with_two_poles_is_refused_with_a_message(page, db_path):
    at = add(page, "triad", "halv", "Hvad?", "Huset\nVennerne")
    assert [e.value for e in at.error] == ["En trekant har præcis tre poler\\."]
    assert list_questions(connect(db_path)) == []


def test_a_preset_is_added(page, db_path):
    at = page
    next(b for b in at.button if b.label.startswith("Tilføj: KBH+")).click().run()
    assert not at.exception
    assert [q.key for q in list_questions(connect(db_path))] == ["kbh_mechanisms"]
