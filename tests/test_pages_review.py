"""AppTest: the "Til gennemsyn" page, where staff release stories that arrived without staff."""

from stories.trust.audit import read_log
from changestories.database import connect
from stories.model import Consent, Story
from stories.trust.permissions import PUBLIC, Actor
from stories.privacy.pseudonymised import corrections_for
from stories.storage import create_story
from stories.search import query_stories
from stories.privacy.review import count_awaiting_review, review_required
from tests.apptest import click, open_app

PAGE = "app_pages/review.py"
STAFF = Actor("lise", "staff", frozenset({"Nordvest"}))
ADMIN = Actor("chef", "admin")
EVALUATOR = Actor("eva", "evaluator")


def _told(db_path, text="I dag var Mikkel Holm med i køkkenet.", site="Nordvest"):
    return create_story(connect(db_path), Story(
        text=text, significance="Han turde.", site=site, teller_role="young_person",
        consent=Consent(internal=True, evaluation=True)), actor=PUBLIC)


def test_staff_review_a_told_story_and_only_then_the_evaluator_sees_it(db_path):
    story = _told(db_path, "I dag var Mikkel Holm med i køkkenet. Flugten var sjov.")
    assert query_stories(connect(db_path), actor=EVALUATOR) == []
    at = open_app(PAGE, actor=STAFF)
    assert at.header[0].value == "Til gennemsyn"
    assert "I dag var Mikkel Holm med i køkkenet. Flugten var sjov." in [t.value for t in at.text]
    assert any("Mikkel Holm" in t.value and "⟦" in t.value for t in at.text)  # the findings, marked
    hide = [c for c in at.checkbox if c.label.startswith("Skjul")]
    assert hide and all(c.value for c in hide)
    at.text_input[0].input("køkkenet").run()  # staff add something the detector missed
    assert not at.exception
    click(at, "Gennemset – frigiv til evaluering")
    assert at.success[0].value.startswith("Historien er gennemset")
    assert any(i.value == "Der er ingen historier, der venter på gennemsyn." for i in at.info)
    db = connect(db_path)
    assert count_awaiting_review(db, STAFF) == 0
    [seen] = query_stories(db, actor=EVALUATOR)
    assert seen.id == story.id and "Mikkel" not in seen.text and "køkkenet" not in seen.text
    assert [c.text for c in corrections_for(db, story.id)] == ["køkkenet"]
    assert any(e.action == "review_story" and e.actor == "lise" for e in read_log(db, actor=ADMIN))


def test_unticking_a_finding_keeps_that_word_visible(db_path):
    story = _told(db_path, "Sofie sagde at Netflix var kedeligt.")
    at = open_app(PAGE, actor=STAFF)
    for box in [c for c in at.checkbox if c.label.startswith("Skjul") and "Sofie" not in c.label]:
        box.uncheck()
    at.run()
    click(at, "Gennemset – frigiv til evaluering")
    [seen] = query_stories(connect(db_path), actor=EVALUATOR)
    assert seen.id == story.id and "Sofie" not in seen.text and "Netflix" in seen.text


def test_staff_of_another_site_see_nothing_to_review(db_path):
    _told(db_path, site="Syd")
    at = open_app(PAGE, actor=STAFF)
    assert any(i.value == "Der er ingen historier, der venter på gennemsyn." for i in at.info)
    assert not any(b.label.startswith("Gennemset") for b in at.button)
    assert not at.toggle  # only admins change the setting


def test_english_page_lists_the_waiting_story(db_path):
    _told(db_path)
    at = open_app(PAGE, actor=STAFF, lang="en")
    assert at.header[0].value == "To review"
    assert at.caption[0].value.startswith("1 stories arrived without a member of staff")
    assert any(b.label == "Reviewed – release for evaluation" for b in at.button)


def test_admin_turns_review_off_with_a_warning_and_on_again(db_path):
    _told(db_path)
    at = open_app(PAGE, actor=ADMIN)
    assert not any("slået fra" in w.value for w in at.warning)
    at.toggle[0].set_value(False).run()
    assert not at.exception
    assert not review_required(connect(db_path))
    assert any("Gennemsyn er slået fra" in w.value for w in at.warning)
    assert len(query_stories(connect(db_path), actor=EVALUATOR)) == 1
    at.toggle[0].set_value(True).run()
    assert not at.exception and review_required(connect(db_path))
    assert query_stories(connect(db_path), actor=EVALUATOR) == []


def test_a_story_told_on_the_tell_page_shows_up_for_review(db_path):
    at = open_app("app_pages/tell.py")
    at.text_area[0].input("Jeg var bange, men Emma hjalp mig med lektierne.")
    at.text_area[1].input("Nu tør jeg spørge.")
    next(c for c in at.checkbox if c.label.startswith("Det er okay")).check()
    click(at, "Videre")
    click(at, "Ja, gem historien")
    review = open_app(PAGE, actor=ADMIN)
    assert "Jeg var bange, men Emma hjalp mig med lektierne." in [t.value for t in review.text]
