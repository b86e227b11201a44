"""Search ranked by bm25 computed once per query, pages of a ranked listing, the stories
version that keys kept results, and the per-rerun connection of the app."""

import pytest

from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.storage import (
    create_story, delete_story, stories_by_seq, stories_version, story_seq, update_story, withdraw_consent,
)
from stories.visibility import StoryFilter
from stories.search import count_stories, query_stories, ranked_seqs


def add(db, text, happened_on="2025-03-01", site="Nord"):
    return create_story(db, Story(text=text, significance="Det betyder noget.", happened_on=happened_on, site=site,
                                  consent=Consent(internal=True, evaluation=True)))


def test_best_match_first_then_newest(db):
    once = add(db, "Vi spillede fodbold i parken.", "2025-05-01")
    thrice = add(db, "Fodbold, fodbold og atter fodbold hele dagen.", "2025-01-01")
    once_older = add(db, "Der var fodbold i går.", "2024-01-01")
    add(db, "Vi lavede mad.")
    found = [s.id for s in query_stories(db, StoryFilter(search="fodbold"))]
    assert found[0] == thrice.id
    assert set(found) == {once.id, thrice.id, once_older.id}
    assert count_stories(db, StoryFilter(search="fodbold")) == 3


def test_pages_of_a_ranked_listing_are_slices_of_it(db):
    for i in range(9):
        add(db, "Skole " * (i % 4 + 1) + f"og noget andet nummer {i}.", f"2025-01-{i + 1:02d}")
    whole = ranked_seqs(db, StoryFilter(search="skole"))
    assert len(whole) == 9
    assert ranked_seqs(db, StoryFilter(search="skole"), limit=4, offset=4) == whole[4:8]
    assert [story_seq(db, s.id) for s in query_stories(db, StoryFilter(search="skole"), limit=3, offset=3)] == whole[3:6]
    assert ranked_seqs(db, StoryFilter(), offset=7) == ranked_seqs(db, StoryFilter())[7:]


def test_search_keeps_scope_and_filters(db):
    nord = add(db, "Huset var fyldt.", site="Nord")
    add(db, "Huset var tomt.", site="Syd")
    staff = Actor("s", "staff", frozenset({"Nord"}))
    assert [s.id for s in query_stories(db, StoryFilter(search="huset"), actor=staff)] == [nord.id]
    assert [s.id for s in query_stories(db, StoryFilter(search="huset", sites=["Nord"]))] == [nord.id]
    assert count_stories(db, StoryFilter(search="huset"), actor=staff) == 1


def test_a_kept_page_of_seqs_never_shows_withdrawn_or_deleted_stories(db):
    a, b, c = (add(db, f"Fortælling {i} om huset.") for i in range(3))
    seqs = ranked_seqs(db, StoryFilter(search="huset"))
    withdraw_consent(db, a.id)
    delete_story(db, b.id)
    assert [s.id for s in stories_by_seq(db, seqs)] == [c.id]
    assert stories_by_seq(db, []) == []


def test_the_stories_version_follows_every_change(db):
    token, first = stories_version(db)
    story = add(db, "Hun kom igen.")
    after_insert = stories_version(db)[1]
    update_story(db, story.id, {"title": "Ny titel"})
    after_update = stories_version(db)[1]
    withdraw_consent(db, story.id)
    after_withdraw = stories_version(db)[1]
    db.execute("DELETE FROM stories")
    assert first < after_insert < after_update < after_withdraw < stories_version(db)[1]
    assert token and stories_version(db)[0] == token


@pytest.mark.parametrize("blind", [True, False])
@pytest.mark.parametrize("strict", [True, False])
def test_others_visible_is_may_see_others_for_many_stories(db, blind, strict):
    from coding.codebook.codes import create_codebook
    from coding.codings import WHOLE, may_see_others, others_visible, save_coding, set_blind_coding

    create_codebook(db, "", "kbh_plus")
    ids = [add(db, f"Fortælling nummer {i}.").id for i in range(4)]
    save_coding(db, ids[0], {WHOLE: {1}}, coder="a")
    save_coding(db, ids[1], {WHOLE: {1}}, coder="a", done=False)
    save_coding(db, ids[1], {WHOLE: {2}}, coder="b")
    set_blind_coding(db, blind)
    seqs = [story_seq(db, i) for i in ids]
    for coder in ("a", "b", "lead"):
        expected = {s for s in seqs if may_see_others(db, s, coder, strict=strict)}
        assert others_visible(db, seqs, coder, strict=strict) == expected


def test_one_connection_per_rerun_closed_when_it_ends(db_path):
    import sqlite3

    from ui.page import get_db, rerun_scope

    with rerun_scope():
        first = get_db()
        with rerun_scope():  # a fragment inside a full run shares it
            assert get_db() is first
        assert get_db() is first
        first.execute("SELECT 1")
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")
    with rerun_scope():
        assert get_db() is not first


def test_visiting_pages_leaves_no_connection_open(db_path):
    """Each rerun's connection is closed when the rerun ends, not whenever the garbage collector runs."""
    import gc
    import sqlite3

    from changestories.demo import load_demo
    from changestories.database import connect
    from tests.apptest import open_app

    seed = connect(db_path)
    load_demo(seed)
    seed.conn.close()

    def open_connections() -> int:
        count = 0
        for obj in gc.get_objects():
            if isinstance(obj, sqlite3.Connection):
                try:
                    obj.total_changes
                except sqlite3.ProgrammingError:
                    continue
                count += 1
        return count

    gc.disable()  # the point: nothing may depend on the collector
    try:
        before = open_connections()
        at = open_app("app_pages/browse.py")
        for page in ("app_pages/browse.py", "app_pages/code.py", "app_pages/agreement.py", "app_pages/themes.py"):
            at.switch_page(page).run()
            assert not at.exception
            at.run()
            assert not at.exception
        assert open_connections() <= before
    finally:
        gc.enable()
