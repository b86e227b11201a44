"""End to end in a real browser: a story told on /tell waits in the review list, staff review it,
and only then does it reach the evaluator's coding queue, with the names hidden."""

import re

import pytest

from coding.codebook.codes import create_codebook
from stories.trust.accounts import add_user
from changestories.database import connect
from tests.e2e import chromium, live_app, phone_page, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.auth]

PASSWORD = "en lang og god adgangskode"
STORY = "I dag spillede jeg Flugten med Mikkel Rasmussen, og bagefter lavede vi mad."
WHY = "Jeg turde være med for første gang."


def go(page, link: str) -> None:
    """Client-side navigation through the sidebar (a reload would start a new, signed-out session)."""
    more = page.get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.click()
    page.get_by_role("link", name=link).click()


def sign_in(browser, url: str, name: str, link: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(30_000)
    page.goto(f"{url}/")
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text(f"Logget ind som {name}").first.wait_for()
    go(page, link)
    return page


def test_told_story_is_reviewed_before_the_evaluator_sees_it(db_path):
    require_chromium()
    db = connect(db_path)
    add_user(db, "chef", "admin", PASSWORD)
    add_user(db, "lise", "staff", PASSWORD, sites=["Nordvest"])
    add_user(db, "eva", "evaluator", PASSWORD)
    create_codebook(db, "", preset="msc_domains")
    db.conn.close()
    with live_app(db_path) as url, chromium() as browser:
        phone = phone_page(browser)
        phone.goto(f"{url}/tell?site=Nordvest")
        phone.get_by_text("Hvad er den største forandring for dig i den seneste tid?").wait_for()
        areas = phone.locator("textarea")
        areas.nth(0).fill(STORY)
        areas.nth(1).fill(WHY)
        phone.get_by_text("Det er okay, at de voksne her bruger min historie").click()
        phone.get_by_text("Det er også okay, at en forsker udefra læser den").click()
        phone.get_by_role("button", name="Videre").click()
        phone.get_by_role("button", name="Ja, gem historien").click()
        phone.get_by_text("Tak, fordi du delte din historie!").wait_for()

        evaluator = sign_in(browser, url, "eva", "Kod fortællinger")
        evaluator.get_by_text("Der er ingen fortællinger at kode lige nu.").wait_for()

        staff = sign_in(browser, url, "lise", "Til gennemsyn")
        staff.get_by_role("heading", name="Til gennemsyn").wait_for()
        staff.get_by_text(STORY, exact=True).wait_for()
        staff.get_by_text("⟦Mikkel Rasmussen⟧", exact=False).wait_for()  # the finding, marked
        staff.get_by_role("button", name="Gennemset – frigiv til evaluering").click()
        staff.get_by_text("Historien er gennemset").wait_for()
        staff.get_by_text("Der er ingen historier, der venter på gennemsyn.").wait_for()

        go(evaluator, "Temaer")
        go(evaluator, "Kod fortællinger")
        shown = evaluator.get_by_text("og bagefter lavede vi mad", exact=False).first
        shown.wait_for()
        assert "[Person 1]" in shown.inner_text()
        assert "Mikkel" not in evaluator.content() and "Rasmussen" not in evaluator.content()
