"""In a real browser: what a screen reader says of Streamlit's own parts follows the session's language
(`ui.aria_labels`), and a widget's Markdown label is said as plain text (issue 15).

The walks (`test_browser_danish*.py`) check that no English aria-label is left on any Danish page; this
checks the words said, the switch to English and back, and a coloured code label on the coding page."""

from __future__ import annotations

import pytest

from tests.e2e import chromium, live_app, require_chromium, sized_page
from tests.test_browser_danish import SETTLED_JS
from tests.test_browser_question_builder import choose

pytestmark = pytest.mark.browser

NAV_LABEL_JS = """(said) => document.querySelector('[data-testid="stSidebarNav"]')?.getAttribute('aria-label') === said"""
LABELS_JS = """() => Array.from(document.querySelectorAll('[aria-label]')).map((el) => el.getAttribute('aria-label'))"""


def _open(page, url: str) -> list[str]:
    page.goto(url, timeout=90_000)
    page.locator('[data-testid="stMain"]').first.wait_for(timeout=90_000)
    page.wait_for_function(SETTLED_JS, timeout=120_000)
    return page.evaluate(LABELS_JS)


def test_streamlits_labels_are_said_in_the_sessions_language(demo):
    require_chromium()
    with live_app(demo) as url, chromium() as browser:
        page = sized_page(browser, "phone")
        try:
            labels = _open(page, f"{url}/browse")
            assert {"Sidepanel", "Appens sider", "Vis sidepanelet", "Åbn listen"} <= set(labels)
            assert not {"Sidebar", "App pages", "Expand sidebar", "Open"} & set(labels)
            page.locator('[data-testid="stExpandSidebarButton"]').click()
            choose(page, "Sprog / Language", "English")  # in the same document: no new page load
            page.get_by_role("heading", name="Stories", exact=True).wait_for(timeout=90_000)
            page.wait_for_function(SETTLED_JS, timeout=120_000)
            # the script gets the new words once the rerun has drawn it: wait for them (a wait, not a timing)
            page.wait_for_function(NAV_LABEL_JS, arg="App pages", timeout=90_000)
            labels = page.evaluate(LABELS_JS)  # the same elements, said again from the English kept on them
            assert {"Sidebar", "App pages", "Open"} <= set(labels)
            assert not {"Sidepanel", "Appens sider", "Åbn listen"} & set(labels)

            code = _open(page, f"{url}/code?lang=da")
            assert not [label for label in code if ":blue[" in label or "\\" in label]  # no Markdown said aloud
        finally:
            page.context.close()
