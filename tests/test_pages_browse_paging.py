"""AppTest: the browse page pages through a search without running it again."""

import stories.search
from changestories.database import connect
from stories.model import Consent, Story
from stories.bulk_create import create_stories
from tests.apptest import click, open_app


def seed(db_path, n=45):
    db = connect(db_path)
    create_stories(db, [(Story(text=f"Efter skole kom nummer {i} " + "skole " * (i % 5) + "igen.",
                               title=f"Fortælling {i}", significance="Det betyder noget.",
                               happened_on=f"2025-01-{i % 28 + 1:02d}", consent=Consent(internal=True)), None)
                        for i in range(n)])
    create_stories(db, [(Story(text="Vi lavede mad.", significance="Godt.", consent=Consent(internal=True)), None)])
    db.conn.close()


def shown(at) -> int:
    return sum(1 for b in at.button if b.label == "Åbn")


def test_show_more_pages_through_the_kept_search(db_path, monkeypatch):
    seed(db_path)
    calls = []
    original = stories.search.ranked_seqs
    monkeypatch.setattr(stories.search, "ranked_seqs", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = open_app("app_pages/browse.py")
    calls.clear()
    at.text_input(key="browse_search").input("skole").run()
    assert not at.exception
    assert any(c.value == "Fortællinger fundet: 45" for c in at.caption)
    assert shown(at) == 20
    first_page = [t.value for t in at.text if t.value.startswith("Fortælling ")]
    click(at, "Vis flere")
    assert shown(at) == 40
    assert [t.value for t in at.text if t.value.startswith("Fortælling ")][:20] == first_page
    click(at, "Vis flere")
    assert shown(at) == 45
    assert not any(b.label == "Vis flere" for b in at.button)
    assert len(calls) == 1, "paging used the kept ranking"


def test_a_new_search_or_a_changed_story_runs_the_search_again(db_path, monkeypatch):
    seed(db_path, n=30)
    at = open_app("app_pages/browse.py")
    at.text_input(key="browse_search").input("skole").run()
    click(at, "Vis flere")
    assert shown(at) == 30
    at.text_input(key="browse_search").input("mad").run()
    assert not at.exception
    assert shown(at) == 1 and any(c.value == "Fortællinger fundet: 1" for c in at.caption)
    db = connect(db_path)
    create_stories(db, [(Story(text="Vi lavede mad igen.", significance="Godt.", consent=Consent(internal=True)), None)])
    db.conn.close()
    at.run()
    assert not at.exception
    assert shown(at) == 2 and any(c.value == "Fortællinger fundet: 2" for c in at.caption)
    at.text_input(key="browse_search").input("skole").run()
    assert shown(at) == 20, "a new search starts on its first page"
