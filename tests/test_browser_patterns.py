"""End to end in a real browser (Chromium, desktop): an evaluator signs in, opens "Mønstre i
svarene" on the demo data, finds the strongest pattern with its test, and reads a story behind
the picture (issue 14's "an evaluator finds and reads a pattern with its statistics")."""

from __future__ import annotations

import pytest

from stories.trust.sessions import COOKIE_NAME
from tests.e2e import chromium, demo_with_accounts, live_app, require_chromium, session_cookie, sign_in, sized_page

pytestmark = [pytest.mark.browser, pytest.mark.auth]

PASSWORD = "en lang og god adgangskode"


def test_an_evaluator_finds_and_reads_a_pattern_in_the_browser(tmp_path):
    require_chromium()
    path = tmp_path / "patterns.db"
    demo_with_accounts(path, PASSWORD, ("admin", "evaluator"))
    with live_app(path, env={"CHANGESTORIES_AUTH": "on"}) as url, chromium() as browser:
        page = sized_page(browser, "desktop")
        page.goto(url + "/")
        sign_in(page, "evaluator", PASSWORD)
        session_cookie(page, COOKIE_NAME)  # the session outlives the next page load only once it is set
        page.goto(url + "/patterns")
        page.get_by_text("De stærkeste mønstre", exact=True).wait_for()
        main = page.get_by_test_id("stMain")
        # the ranked list names the test, and the chosen pair's figure states it with its value
        main.get_by_text("Spearmans rho", exact=True).first.wait_for()
        main.get_by_text("Spearmans rho = ").first.wait_for()
        # a story behind the picture: open the list of stories and read the first one
        box = page.get_by_role("combobox", name="Læs en historie")
        options = page.get_by_role("option")
        for _ in range(3):  # a click on a box that kept the focus may close its list
            box.click()
            try:
                options.nth(1).wait_for(timeout=3000)
                break
            except Exception:  # noqa: BLE001 - clicked again below
                continue
        title = options.nth(1).inner_text().strip()
        assert title and title != "(vælg en historie)"
        options.nth(1).click()
        # the story opens in its own box (the innermost block holding its title): its title, then
        # its text (shown as text, st.text, never as Markdown). Wait for both: Streamlit draws
        # them one by one, and CI once read the box before the text was there.
        card = main.get_by_test_id("stVerticalBlock").filter(
            has=page.get_by_test_id("stText").filter(has_text=title)).last
        texts = card.get_by_test_id("stText")
        texts.nth(1).wait_for()
        shown = [t.strip() for t in texts.all_inner_texts()]
        assert shown[0] == title
        assert len(shown[1]) > len(title)  # the story's text follows its title
        assert not page.get_by_test_id("stException").count()
