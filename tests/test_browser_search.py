"""In a real browser: searching a word that most stories of a few thousand hold shows its first
page, best match first, and "Vis flere" adds the next page (behaviour only, nothing timed)."""

import re

import pytest

from changestories.database import connect
from stories.model import Consent, Story
from stories.bulk_create import create_stories
from tests.e2e import chromium, live_app, require_chromium

pytestmark = pytest.mark.browser

N = 3000
BEST = 1234  # the one story that says the word most often


def generated_corpus(db_path) -> int:
    """N fictional stories, four in five mentioning "skolen"; returns how many do."""
    stories, holding = [], 0
    for i in range(N):
        if i == BEST:
            text = "Skolen, skolen og skolen igen: hun talte kun om skolen og om at komme tilbage til skolen."
        elif i % 5:
            text = f"Efter skolen kom hun i klubben. Dag {i} spillede vi bordtennis og snakkede om ugen."
        else:
            text = f"Han hjalp til i køkkenet hele eftermiddagen. Dag {i} bagte vi boller sammen."
        holding += "skolen" in text.lower()
        stories.append((Story(text=text, title=f"Fortælling {i}", significance="Det betød noget.",
                              happened_on=f"2025-{i % 12 + 1:02d}-01", consent=Consent(internal=True)), None))
    db = connect(db_path)
    create_stories(db, stories)
    db.conn.close()
    return holding


def test_a_word_in_most_stories_shows_its_first_page_best_match_first(db_path):
    require_chromium()
    holding = generated_corpus(db_path)
    with live_app(db_path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/browse")
        page.get_by_label("Søg i titel, historie og betydning").fill("skolen")
        page.keyboard.press("Enter")
        page.get_by_text(f"Fortællinger fundet: {holding}").wait_for()
        opens = page.get_by_role("button", name="Åbn", exact=True)
        opens.nth(19).wait_for()
        assert opens.count() == 20
        titles = page.get_by_text(re.compile(r"^Fortælling \d+$"))
        assert titles.first.inner_text() == f"Fortælling {BEST}"
        assert titles.count() == 20
        page.get_by_role("button", name="Vis flere").click()
        opens.nth(39).wait_for()
        assert opens.count() == 40 and titles.first.inner_text() == f"Fortælling {BEST}"
