"""Printable story cards: PDF, A6 four to an A4 page, Danish letters, the answers on each card,
pseudonymised for evaluators by the one rule, refused with one line when there is nothing to print."""

import io

import pytest
from pypdf import PdfReader

from changestories.database import connect
from changestories.demo import load_demo
from stories.i18n import error_message
from stories.model import Consent, Story
from stories.questions.answers import save_answers
from stories.questions.cards import MAX_CARDS, story_cards_pdf
from stories.questions.errors import QuestionInvalid
from stories.questions.library import add_question, form_questions, make_question, set_form
from stories.storage import create_story, story_seq
from stories.trust.permissions import Actor, PermissionDenied
from tests.apptest import open_app

EVALUATOR = Actor("eva", "evaluator")
TEXT = ("Mads fra Valby spurgte, om jeg ville lave mad med ham i køkkenet. Vi lavede æblekage, og "
        "på søndag skal vi bage igen. Jeg blev så glad for at blive spurgt.")


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def told(db):
    q = add_question(db, make_question("humoer", "dyad", "Hvordan havde du det?", options=["Bekymret", "Håbefuld"]))
    w = add_question(db, make_question("et_ord", "text", "Ét ord for forandringen"))
    set_form(db, "staff", [q.id, w.id])
    form = form_questions(db, "staff")
    from stories.privacy.review import set_review_required

    set_review_required(db, False)
    ids = []
    for i in range(6):
        story = create_story(db, Story(text=TEXT if i == 0 else f"Historie {i}: jeg øvede mig på at sige nej.",
                                       title=f"Kort nummer {i}", significance="Jeg tør mere nu.",
                                       consent=Consent(internal=True, evaluation=True)))
        save_answers(db, story_seq(db, story.id), form, {q.id: 80, w.id: "Mads gav mig mod" if i == 0 else "Mod"})
        ids.append(story.id)
    return ids


def test_six_stories_make_two_a4_pages_of_a6_cards_with_their_answers(db, told):
    reader, text = pdf_text(story_cards_pdf(db, told))
    assert len(reader.pages) == 2  # four cards to a page
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points, cut into four A6
    assert "køkkenet" in text and "æblekage" in text and "søndag" in text  # Danish letters render
    assert "Hvordan havde du det?: Bekymret 20 % · Håbefuld 80 %" in text.replace("\n", " ")
    assert "Mads" in text and "Kort nummer 5" in text
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'export'").fetchone()[0] == 1


def test_evaluators_get_pseudonymised_cards_story_and_written_answers(db, told):
    _, text = pdf_text(story_cards_pdf(db, told[:1], actor=EVALUATOR, purpose="evaluation"))
    assert "Mads" not in text and "[Person 1]" in text
    assert "gav mig mod" in text  # the written answer, pseudonymised as a note of its story
    _, internal = pdf_text(story_cards_pdf(db, told[:1], actor=Actor("sam", "staff"), purpose="evaluation"))
    assert "Mads" not in internal  # for evaluation, staff's cards are pseudonymised too (the one rule)


def test_a_long_story_is_cut_at_a_word_on_its_card(db):
    from stories.privacy.review import set_review_required

    set_review_required(db, False)
    long = create_story(db, Story(text=" ".join(["Vi gik en lang tur langs åen og talte om alt."] * 60), significance="Ro.",
                                  consent=Consent(internal=True)))
    _, text = pdf_text(story_cards_pdf(db, [long.id]))
    assert "…" in text and text.count("langs åen") < 60


@pytest.mark.parametrize("ids, words", [
    ([], "ingen historier"),
    ([f"id{i}" for i in range(MAX_CARDS + 1)], f"Højst {MAX_CARDS}"),
    (["00000000-0000-4000-8000-000000000000"], "ingen historier"),  # unknown (or withdrawn) story
])
def test_nothing_to_print_is_refused_with_one_line(db, ids, words):
    with pytest.raises(QuestionInvalid) as caught:
        story_cards_pdf(db, ids)
    message = error_message(caught.value, "da")
    assert words in message and "\n" not in message


def test_the_public_may_not_make_cards(db, told):
    with pytest.raises(PermissionDenied):
        story_cards_pdf(db, told, actor=Actor("public", "public"))


def test_the_patterns_page_makes_cards_of_a_pictures_stories(tmp_path, monkeypatch):
    path = tmp_path / "demo.db"
    load_demo(connect(path))
    monkeypatch.setenv("CHANGESTORIES_DB", str(path))
    at = open_app("app_pages/patterns.py", actor=EVALUATOR)
    make = next(b for b in at.button if b.label.startswith("Lav historiekort"))
    make.click().run()
    assert not at.exception and not at.error
    [download] = [w for w in at.get("download_button") if w.proto.label == "Hent historiekortene"]
    assert download is not None
