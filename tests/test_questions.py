"""The question library: every kind, forms, versions, retiring, answers and their refusals,
presets, form files, and the answers stored before the library moved into it."""

import json

import pytest
from sqlite_utils import Database

from changestories.database import connect, memory_db
from changestories.schema import all_migration_sets
from stories.camps.signifiers import DEFAULT_POLES, Signifiers, save_signifiers
from stories.db import configure
from stories.i18n import error_message
from stories.model import Consent, Story
from stories.questions.answers import NOT_APPLICABLE, answers_by_story, save_answers, story_answers
from stories.questions.errors import QuestionInvalid
from stories.questions.library import (
    KINDS, add_question, edit_question, export_form, form_questions, get_question, import_form, list_questions,
    make_question, remove_question, set_form,
)
from stories.questions.presets import add_preset, presets
from stories.storage import create_story, story_seq
from stories.trust.permissions import Actor, PermissionDenied

STAMP = "2026-01-01T10:00:00+00:00"


def every_kind(db):
    made = [
        make_question("triad_q", "triad", "Hvad gjorde mest?", "What did most?",
                      options=[{"key": "a", "da": "A"}, {"key": "b", "da": "B"}, {"key": "c", "da": "C"}]),
        make_question("dyad_q", "dyad", "Hvordan havde du det?", options=["Bekymret", "Håbefuld"]),
        make_question("single_q", "single", "Hvor skete det?", options=["Skolen", "Hjemme", "Huset"], allow_na=True),
        make_question("multi_q", "multiple", "Hvem var med?", options=["Venner", "Voksne", "Familie"]),
        make_question("scale_q", "scale", "Hvor stor var forandringen?", required=True),
        make_question("text_q", "text", "Et ord for forandringen"),
        make_question("age_band", "single", "Hvor gammel er du?", options=["13-15", "16-18", "19-25"],
                      about="teller"),
    ]
    return [add_question(db, q) for q in made]


def story(db, text="Jeg fik en praktikplads."):
    return story_seq(db, create_story(db, Story(text=text, significance="Det betyder meget.",
                                                consent=Consent(internal=True))).id)


def test_every_kind_is_stored_asked_and_answered(db):
    qs = every_kind(db)
    assert {q.kind for q in qs} == set(KINDS)
    set_form(db, "tell", [q.id for q in qs])
    form = form_questions(db, "tell")
    assert [q.key for q in form] == [q.key for q in qs]
    seq = story(db)
    by = {q.key: q.id for q in form}
    n = save_answers(db, seq, form, {by["triad_q"]: [0.2, 0.3, 0.5], by["dyad_q"]: 70, by["single_q"]: NOT_APPLICABLE,
                                     by["multi_q"]: ["venner", "familie"], by["scale_q"]: 85, by["text_q"]: "Mod",
                                     by["age_band"]: "16_18"})
    assert n == 7
    texts = {a.question.key: a.text("da") for a in story_answers(db, seq)}
    assert texts == {"triad_q": "A 20 % · B 30 % · C 50 %", "dyad_q": "Bekymret 30 % · Håbefuld 70 %",
                     "single_q": "Passer ikke", "multi_q": "Venner, Familie", "scale_q": "85", "text_q": "Mod",
                     "age_band": "16-18"}
    assert answers_by_story(db, by["scale_q"]) == {seq: 85}


@pytest.mark.parametrize("key, value, message", [
    ("triad_q", [0.5, 0.5, 0.5], "Trekantens tre vægte skal være mellem 0 og 1 og give 1 tilsammen."),
    ("triad_q", [0.5, "x", 0.5], "Trekantens tre vægte skal være mellem 0 og 1 og give 1 tilsammen."),
    ("dyad_q", 101, "Et svar mellem to poler er et tal fra 0 til 100."),
    ("scale_q", 101, "Svaret skal være et tal fra 0 til 100."),
    ("scale_q", -1, "Svaret skal være et tal fra 0 til 100."),
    ("single_q", "månen", "'månen' er ikke en af svarmulighederne."),
    ("multi_q", ["venner", "naboer"], "'naboer' er ikke en af svarmulighederne."),
    ("multi_q", NOT_APPLICABLE, "'Passer ikke' er ikke et svar på 'Hvem var med?'."),
    ("scale_q", None, "Svar på 'Hvor stor var forandringen?' - det er påkrævet."),
    ("text_q", "x" * 501, "Et skrevet svar må højst være 500 tegn."),
])
def test_bad_answers_are_refused_with_a_message_and_nothing_is_written(db, key, value, message):
    form = every_kind(db)
    by = {q.key: q.id for q in form}
    seq = story(db)
    values = {by["scale_q"]: 40, by["text_q"]: "Fint", key and by[key]: value}
    with pytest.raises(QuestionInvalid) as err:
        save_answers(db, seq, form, values)
    assert error_message(err.value, "da") == message
    assert error_message(err.value, "en") != message
    assert story_answers(db, seq) == []


@pytest.mark.parametrize("kind, options, message", [
    ("triad", ["A", "B"], "En trekant har præcis tre poler."),
    ("dyad", ["A", "B", "C"], "En skala mellem to poler har præcis to poler."),
    ("single", ["A"], "Et valg har mellem 2 og 30 svarmuligheder."),
    ("single", ["A", "a"], "To poler eller svarmuligheder er ens."),
    ("bogus", [], "Ukendt spørgsmålstype."),
])
def test_bad_questions_are_refused(kind, options, message):
    with pytest.raises(QuestionInvalid) as err:
        make_question("q", kind, "Spørgsmål", options=options)
    assert error_message(err.value, "da") == message


def test_an_edit_after_answers_keeps_the_old_answers_readable_and_a_question_with_answers_is_retired(db):
    q = add_question(db, make_question("where", "single", "Hvor skete det?", options=["Skolen", "Hjemme"]))
    seq = story(db)
    save_answers(db, seq, [q], {q.id: "skolen"})
    changed = make_question("where", "single", "Hvor foregik det?", options=["Klubben", "Hjemme"])
    new = edit_question(db, q.id, changed)
    assert new.version == 2 and get_question(db, q.id, 1).wording_da == "Hvor skete det?"
    [answer] = story_answers(db, seq)
    assert (answer.question.version, answer.question.wording_da, answer.text("da")) == (1, "Hvor skete det?", "Skolen")
    with pytest.raises(QuestionInvalid):
        edit_question(db, q.id, make_question("where", "scale", "Hvor?"))
    set_form(db, "staff", [q.id])
    assert remove_question(db, q.id) == "retired"
    assert form_questions(db, "staff") == [] and list_questions(db) == []
    assert story_answers(db, seq)[0].text("da") == "Skolen"
    unused = add_question(db, make_question("unused", "text", "Noget?"))
    assert remove_question(db, unused.id) == "deleted"


def test_only_an_admin_edits_the_library(db):
    with pytest.raises(PermissionDenied):
        add_question(db, make_question("x", "text", "Noget?"), actor=Actor("eva", "evaluator"))
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'question_edit'").fetchone()[0] == 0


def test_presets_ship_the_four_question_sets(db):
    assert {p.key for p in presets()} == {"kbh_mechanisms", "developmental_relationships", "feelings", "change_size"}
    for p in presets():
        add_preset(db, p.key)
    assert {q.key: q.kind for q in list_questions(db)} == {
        "kbh_mechanisms": "triad", "dr_elements": "multiple", "feeling": "dyad", "change_size": "scale"}
    assert add_preset(db, "feelings") == []


def test_a_form_file_loads_in_another_install(db):
    qs = every_kind(db)
    set_form(db, "staff", [q.id for q in qs])
    text = export_form(db, "staff")
    other = memory_db()
    report = import_form(other, "camp:3", text)
    assert len(report.added) == 7
    assert [q.to_dict() for q in form_questions(other, "camp:3")] == [q.to_dict() for q in qs]
    before = other.execute("SELECT count(*) FROM questions").fetchone()[0]
    with pytest.raises(QuestionInvalid) as err:
        import_form(other, "tell", json.dumps({"format": "changestories-questions", "questions": [
            {"key": "fresh", "kind": "text", "wording": {"da": "Ny"}}, {"key": "bad", "kind": "triad",
                                                                       "wording": {"da": "x"}}]}))
    assert error_message(err.value, "da") == "En trekant har præcis tre poler."
    assert other.execute("SELECT count(*) FROM questions").fetchone()[0] == before
    with pytest.raises(QuestionInvalid):
        import_form(other, "tell", b"\xff\xfe not json")


def test_answers_stored_before_the_library_move_into_it_with_nothing_lost(tmp_path):
    path = tmp_path / "old.db"
    old = configure(Database(path))
    for migration_set in all_migration_sets():
        if migration_set.name != "questions":
            migration_set.apply(old)
    assert not old["story_answers"].exists()
    for i in range(1, 5):
        old.execute("INSERT INTO stories (id, text, significance, created_at, updated_at, consent_internal)"
                    " VALUES (?, ?, 'Vigtigt', ?, ?, 1)", [f"id-{i}", f"Historie {i}", STAMP, STAMP])
    old.execute("INSERT INTO story_signifiers VALUES (1, 'huset', 'skabe_med_andre', 'tillidsfulde_relationer',"
                " 0.5, 0.25, 0.25), (2, 'mod', 'ro', 'tid', 0.1, 0.1, 0.8)")
    old.execute("INSERT INTO story_sliders VALUES (1, 'change_size', 7), (3, 'change_size', 10), (3, 'glæde', 2)")
    old.conn.commit()
    old.conn.close()

    db = connect(path)
    answers = {seq: {a.question.key: a.value for a in story_answers(db, seq)} for seq in range(1, 5)}
    assert answers == {1: {"kbh_mechanisms": [0.5, 0.25, 0.25], "slider:change_size": 7},
                       2: {"triad:mod|ro|tid": [0.1, 0.1, 0.8]},
                       3: {"slider:change_size": 10, "slider:glæde": 2}, 4: {}}
    kbh = get_question(db, "kbh_mechanisms")
    assert [o.label("en") for o in kbh.options] == ["The house", "Creating with others", "Trusting relations"]
    assert (get_question(db, "slider:change_size").scale_min, get_question(db, "slider:change_size").scale_max) == (1, 10)
    assert db.execute("SELECT count(*) FROM story_signifiers").fetchone()[0] == 2  # the old tables keep theirs

    seq = story(db)  # the camp and submit forms still write signifiers: they arrive as answers too
    save_signifiers(db, seq, Signifiers(DEFAULT_POLES, (0.2, 0.2, 0.6), {"change_size": 3}))
    assert {a.question.key: a.value for a in story_answers(db, seq)} == {
        "kbh_mechanisms": [0.2, 0.2, 0.6], "slider:change_size": 3}


def test_a_replaced_signifier_replaces_its_answer_and_keeps_the_question(db):
    seq = story(db)
    save_signifiers(db, seq, Signifiers(DEFAULT_POLES, (1, 0, 0), {"change_size": 3}))
    ids = {q.key: q.id for q in list_questions(db)}
    save_signifiers(db, seq, Signifiers(DEFAULT_POLES, (0, 1, 0), {"change_size": 9}))  # a repeat keeps
    assert {a.question.key: a.value for a in story_answers(db, seq)} == {
        "kbh_mechanisms": [1.0, 0.0, 0.0], "slider:change_size": 3}
    save_signifiers(db, seq, Signifiers(DEFAULT_POLES, (0, 1, 0), {"change_size": 9}), replace=True)
    assert {a.question.key: a.value for a in story_answers(db, seq)} == {
        "kbh_mechanisms": [0.0, 1.0, 0.0], "slider:change_size": 9}
    assert {q.key: q.id for q in list_questions(db)} == ids


def test_answers_travel_in_json_and_csv_exports_and_write_ins_never_reach_evaluators(db, tmp_path):
    import csv

    from stories.exporter import export_stories

    qs = every_kind(db)
    by = {q.key: q.id for q in qs}
    seq = story(db)
    save_answers(db, seq, qs, {by["scale_q"]: 85, by["text_q"]: "Mod", by["multi_q"]: ["venner"]})
    export_stories(db, tmp_path / "s.json", "json")
    [record] = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert record["answers"] == {"multi_q": ["venner"], "scale_q": 85, "text_q": "Mod"}
    export_stories(db, tmp_path / "s.csv", "csv")
    [row] = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8-sig")))
    assert (row["q:scale_q"], row["q:text_q"], row["q:multi_q"]) == ("85", "Mod", '["venner"]')
    db.execute("UPDATE stories SET consent_evaluation = 1")
    export_stories(db, tmp_path / "e.json", "json", actor=Actor("eva", "evaluator"),
                   story_filter=__import__("stories.storage", fromlist=["StoryFilter"]).StoryFilter(purpose="evaluation"))
    records = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert [r["answers"] for r in records] == [{"multi_q": ["venner"], "scale_q": 85}]
