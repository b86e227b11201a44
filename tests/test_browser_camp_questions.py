"""End to end on a phone (390 px): a camp asks questions from the library; a participant
answers them by touch and keyboard, reads them back and sends the story."""

import pytest

from changestories.database import connect
from stories.camps.camps import CampDraft, camp_stories, create_camp
from stories.camps.questions import set_camp_questions
from stories.questions.answers import story_answers
from stories.questions.library import add_question, make_question
from tests.e2e import chromium, live_app, phone_page, require_chromium

pytestmark = pytest.mark.browser


def test_a_phone_answers_the_camps_library_questions(db_path):
    require_chromium()
    db = connect(db_path)
    qs = [add_question(db, make_question("hvem", "multiple", "Hvem var med?", options=["Venner", "Familie"])),
          add_question(db, make_question("stoerrelse", "scale", "Hvor stor var forandringen?", required=True)),
          add_question(db, make_question("sted", "single", "Hvor skete det?", options=["Skolen", "Hjemme"],
                                         allow_na=True))]
    camp = create_camp(db, CampDraft(name="Camp med spørgsmål", domains=["huset"]))
    set_camp_questions(db, camp.id, [q.id for q in qs])
    db.conn.close()
    with live_app(db_path) as url, chromium() as browser:
        page = phone_page(browser)
        page.goto(f"{url}/camp_join?camp={camp.code}")
        page.get_by_text("Camp med spørgsmål").first.wait_for()
        page.get_by_role("textbox", name="Dit navn på væggen").fill("Maleren")
        page.get_by_text("Huset", exact=True).click()
        areas = page.locator("textarea")
        areas.nth(0).fill("Vi malede en væg sammen, og jeg valgte farverne.")
        areas.nth(1).fill("Jeg blev hørt.")
        page.get_by_text("Det er okay, at de voksne her bruger min historie").click()
        page.get_by_role("button", name="Videre").click()
        page.get_by_text("Hvem var med?").wait_for()
        page.get_by_role("button", name="Familie").click()
        page.get_by_role("slider").first.focus()  # the required scale: from "–" to 0, 5, ..., 40
        for _ in range(9):
            page.keyboard.press("ArrowRight")
        page.get_by_text("Passer ikke").click()
        page.get_by_role("button", name="Videre").click()
        page.get_by_text("Hvor stor var forandringen?: 40").wait_for()
        body = page.locator("body").inner_text()
        assert "Hvem var med?: Familie" in body and "Hvor skete det?: Passer ikke" in body
        page.screenshot(path=str(db_path.parent / "camp-questions-phone.png"), full_page=True)
        page.get_by_role("button", name="Send historien").click()
        page.get_by_text("Tak! Din historie er sendt").wait_for()
    db = connect(db_path)
    [told] = camp_stories(db, camp.id)
    assert {a.question.key: a.value for a in story_answers(db, told.seq)} == {
        "hvem": ["familie"], "stoerrelse": 40, "sted": None}
