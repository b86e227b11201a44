"""Each camp chooses its questions from the library; the camp's phone form asks them and the
answers are stored with the story, like every other form's (AppTest and the domain functions)."""

import pytest

from changestories.database import connect
from stories.camps.camps import CampDraft, camp_stories, create_camp
from stories.camps.submissions import CampSubmission, submit_camp_story
from stories.camps.questions import camp_questions, set_camp_questions
from stories.i18n import error_message
from stories.questions.answers import story_answers
from stories.questions.errors import QuestionInvalid
from stories.trust.permissions import Actor, PermissionDenied
from tests.apptest import open_app
from tests.questions_library import six_kinds

STORY = "Vi byggede en hule i skoven, og jeg fik lov at bestemme."
WHY = "Jeg blev hørt."
FACILITATOR = Actor("fie", "facilitator")


def test_a_facilitator_chooses_the_camps_questions_and_staff_may_not(db):
    qs = six_kinds(db)
    camp = create_camp(db, CampDraft(name="Skovcamp", domains=["huset"]))
    set_camp_questions(db, camp.id, [qs["stoerrelse"].id, qs["sted"].id], actor=FACILITATOR)
    assert [q.key for q in camp_questions(db, camp.id)] == ["stoerrelse", "sted"]
    with pytest.raises(PermissionDenied):
        set_camp_questions(db, camp.id, [qs["humoer"].id], actor=Actor("sam", "staff"))
    with pytest.raises(PermissionDenied):  # a facilitator chooses a camp's questions, not the staff form's
        from stories.questions.library import set_form
        set_form(db, "staff", [qs["humoer"].id], actor=FACILITATOR)
    assert [q.key for q in camp_questions(db, camp.id)] == ["stoerrelse", "sted"]
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'form_edit'").fetchone()[0] == 1


def test_camp_answers_are_stored_with_the_story_in_one_transaction(db):
    qs = six_kinds(db)
    camp = create_camp(db, CampDraft(name="Skovcamp", domains=["huset"]))
    set_camp_questions(db, camp.id, [q.id for q in qs.values()])
    story = submit_camp_story(db, camp.id, CampSubmission(
        text=STORY, significance=WHY, display_name="Bygmester", consent_internal=True, domain="huset",
        answers={qs["stoerrelse"].id: 60, qs["hvem"].id: ["venner", "familie"], qs["sted"].id: "n/a"}),
        submission_key="k1")
    [told] = camp_stories(db, camp.id)
    assert told.id == story.id
    assert {a.question.key: (a.value, a.not_applicable) for a in story_answers(db, told.seq)} == {
        "stoerrelse": (60, False), "hvem": (["venner", "familie"], False), "sted": (None, True)}


@pytest.mark.parametrize("answers, words", [
    ({}, "påkrævet"),  # the required scale left out
    ({"stoerrelse": 140}, "fra 0 til 100"),
    ({"stoerrelse": 50, "sted": "månen"}, "månen"),
    ({"stoerrelse": 50, "hvad_hjalp": [0.5, 0.5, 0.5]}, "Trekantens"),
])
def test_a_bad_camp_answer_is_refused_with_one_line_and_nothing_is_stored(db, answers, words):
    qs = six_kinds(db)
    camp = create_camp(db, CampDraft(name="Skovcamp", domains=["huset"]))
    set_camp_questions(db, camp.id, [q.id for q in qs.values()])
    with pytest.raises(QuestionInvalid) as caught:
        submit_camp_story(db, camp.id, CampSubmission(
            text=STORY, significance=WHY, display_name="Bygmester", consent_internal=True, domain="huset",
            answers={qs[k].id: v for k, v in answers.items()}), submission_key="k1")
    message = error_message(caught.value, "da")
    assert words in message and "\n" not in message and message
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM story_answers").fetchone()[0] == 0


def click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def test_the_camp_page_sets_the_questions_and_a_participant_answers_them_on_the_phone_form(db_path):
    db = connect(db_path)
    qs = six_kinds(db)
    camp = create_camp(db, CampDraft(name="Skovcamp", domains=["huset"]))
    at = open_app("app_pages/camps.py", query={"camp": camp.code})
    for key in ("hvad_hjalp", "stoerrelse", "hvem", "sted"):  # added one at a time, in this order
        at.selectbox(key=f"camp_questions_{camp.id}_add").set_value(qs[key].id).run()
        assert not at.exception
    click(at, "Gem lejrens spørgsmål")
    assert any("stiller nu 4 spørgsmål" in s.value for s in at.success)
    assert [q.key for q in camp_questions(db, camp.id)] == ["hvad_hjalp", "stoerrelse", "hvem", "sted"]

    at = open_app("app_pages/camp_join.py", query={"camp": camp.code})
    at.text_input(key="camp_form_w_display_name").input("Bygmester")
    at.radio(key="camp_form_w_domain").set_value("huset")
    at.text_area(key="camp_form_w_text").input(STORY)
    at.text_area(key="camp_form_w_significance").input(WHY)
    at.checkbox(key="camp_form_w_internal").check()
    click(at, "Videre")
    p = "camp_form_qa_"
    assert not [s for s in at.slider if s.key and s.key.startswith("camp_form_w_pole")]  # the library replaces them
    click(at, "Videre")  # the required scale left out
    assert any("påkrævet" in e.value for e in at.error)
    at.slider(key=f"{p}{qs['hvad_hjalp'].id}_0").set_value(30)
    at.slider(key=f"{p}{qs['hvad_hjalp'].id}_1").set_value(70)
    at.select_slider(key=f"{p}{qs['stoerrelse'].id}").set_value(65)
    at.button_group(key=f"{p}{qs['hvem'].id}").set_value(["familie"])
    at.checkbox(key=f"{p}{qs['sted'].id}_na").check()
    click(at, "Videre")
    shown = "\n".join(t.value for t in at.text)
    assert "Hvad hjalp mest?: Huset 30 % · Vennerne 70 % · De voksne 0 %" in shown
    assert "Hvor stor var forandringen?: 65" in shown and "Hvor skete det?: Passer ikke" in shown
    click(at, "Send historien")
    assert at.success[0].value.startswith("Tak!")
    [told] = camp_stories(db, camp.id)
    assert {a.question.key: a.value for a in story_answers(db, told.seq)} == {
        "hvad_hjalp": [0.3, 0.7, 0.0], "stoerrelse": 65, "hvem": ["familie"], "sted": None}
