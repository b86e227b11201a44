"""End to end on a phone (390 px): a young person answers /tell's own questions by touch and
keyboard (a triad's sliders, a dyad, a choice, a required scale), reads them back and saves."""

import pytest

from changestories.database import connect
from stories.questions.answers import story_answers
from stories.questions.library import add_question, make_question, set_form
from tests.e2e import chromium, live_app, phone_page, require_chromium

pytestmark = pytest.mark.browser


def test_a_phone_answers_the_form_and_saves(db_path):
    require_chromium()
    db = connect(db_path)
    qs = [add_question(db, make_question("hvad_hjalp", "triad", "Hvad hjalp mest?",
                                         options=["Huset", "Vennerne", "De voksne"])),
          add_question(db, make_question("humoer", "dyad", "Hvordan havde du det?", options=["Bekymret", "Håbefuld"])),
          add_question(db, make_question("sted", "single", "Hvor skete det?", options=["Skolen", "Hjemme"])),
          add_question(db, make_question("stoerrelse", "scale", "Hvor stor var forandringen?", required=True))]
    set_form(db, "tell", [q.id for q in qs])
    db.conn.close()
    with live_app(db_path) as url, chromium() as browser:
        page = phone_page(browser)
        page.goto(f"{url}/tell")
        page.get_by_text("Hvad hjalp mest?").wait_for()
        areas = page.locator("textarea")
        areas.nth(0).fill("Jeg turde sige min mening på holdet, og de andre lyttede.")
        areas.nth(1).fill("Nu tør jeg mere.")
        sliders = page.get_by_role("slider")
        sliders.nth(0).focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")  # Huset 20
        sliders.nth(3).focus()  # the dyad: from "–" to 0, 5, 10
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.get_by_text("Hjemme", exact=True).click()
        sliders.nth(4).focus()  # the required scale
        for _ in range(11):
            page.keyboard.press("ArrowRight")
        page.get_by_text("Det er okay, at de voksne her bruger min historie", exact=False).click()
        page.get_by_role("button", name="Videre").click()
        page.get_by_text("Hvor stor var forandringen?: 50").wait_for()
        assert "Hvad hjalp mest?: Huset 100 % · Vennerne 0 % · De voksne 0 %" in page.locator("body").inner_text()
        page.screenshot(path=str(db_path.parent / "tell-questions-phone.png"), full_page=True)
        page.get_by_role("button", name="Ja, gem historien").click()
        page.get_by_text("Tak", exact=False).first.wait_for()
    db = connect(db_path)
    seq = db.execute("SELECT seq FROM stories").fetchone()[0]
    answers = {a.question.key: a.value for a in story_answers(db, seq)}
    assert answers == {"hvad_hjalp": [1.0, 0.0, 0.0], "humoer": 10, "sted": "hjemme", "stoerrelse": 50}
