"""In a real browser, signed in: stories holding script and link payloads are shown as text, and no dialog opens."""

import re

import pytest

from stories.trust.accounts import add_user
from changestories.database import connect
from stories.model import Consent, Story
from stories.storage import create_story
from tests.e2e import chromium, live_app, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.auth]

PAYLOADS = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]
PASSWORD = "en lang og god adgangskode"


def test_payloads_are_shown_as_text_and_never_run(db_path):
    require_chromium()
    db = connect(db_path)
    add_user(db, "chef", "admin", PASSWORD)
    for payload in PAYLOADS:
        create_story(db, Story(text=payload, title=payload, significance=payload, teller_pseudonym="UNG-0001",
                               consent=Consent(internal=True)))
    db.conn.close()
    dialogs = []
    with live_app(db_path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/")
        page.get_by_label("Brugernavn").fill("chef")
        page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.get_by_text("Logget ind som chef (administrator)").wait_for()

        # The admin page's preview of a teller's stories (client-side navigation keeps the session).
        more = page.get_by_text(re.compile(r"^View \d+ more$"))
        if more.count():
            more.click()
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Brugere og sikkerhed").click()
        page.get_by_role("tab", name="Sletning og indsigt").click()
        page.get_by_label("Fortællerens kode").fill("UNG-0001")
        page.keyboard.press("Enter")
        found = page.get_by_text("Vi har 2 fortællinger af eller om UNG-0001.")
        found.wait_for(state="attached")
        # This test is about how payloads are shown, not about tabs: on a loaded CI machine the
        # answer once arrived in the tab while another tab was showing (hidden for 30 s), so the
        # tab is chosen again before reading it (noted in the closing note as a suspected tab reset).
        page.get_by_role("tab", name="Sletning og indsigt").click()
        found.wait_for()
        page.get_by_text("Fortællingerne", exact=True).click()
        for payload in PAYLOADS:
            page.get_by_text(payload, exact=True).first.wait_for()

        # The story list of the browse page.
        page.get_by_role("link", name="Se fortællinger").click()
        for payload in PAYLOADS:
            page.get_by_text(payload).first.wait_for()

        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        page.screenshot(path=str(db_path.parent / "xss-browse.png"), full_page=True)
    assert dialogs == []
