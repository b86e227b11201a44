"""End to end in a real browser: a phone submits a story through the read-back step, then finds it."""

import pytest

from tests.e2e import chromium, live_app, phone_page, require_chromium, submit_staff_story

pytestmark = pytest.mark.browser

STORY = "Vi bagte æblekage i køkkenet, og Åse-gruppen grinede. <b>fed</b> <script>alert(1)</script>"
WHY = "Første gang han blev hele eftermiddagen – det betød meget for os begge."


def test_phone_submits_story_and_finds_it_as_plain_text(db_path):
    require_chromium()
    dialogs = []
    with live_app(db_path) as url, chromium() as browser:
        page = phone_page(browser)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/submit")
        submit_staff_story(page, STORY, WHY)

        page.goto(f"{url}/browse")
        page.get_by_label("Søg i titel, historie og betydning").fill("æblekage")
        page.keyboard.press("Enter")
        page.get_by_text("Fortællinger fundet: 1").wait_for()
        shown = page.get_by_text(STORY[:60], exact=False).first
        shown.wait_for()
        assert "<b>fed</b>" in shown.inner_text()
        assert page.locator("b", has_text="fed").count() == 0
        assert page.locator("script", has_text="alert(1)").count() == 0
        page.screenshot(path=str(db_path.parent / "browse-phone.png"), full_page=True)
    assert dialogs == []
