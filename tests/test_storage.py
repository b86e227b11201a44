import datetime as dt
import sqlite3
import threading

import pytest

from changestories.database import connect
from stories.db import DatabaseBusy, write_transaction
from stories.model import Consent, Story
from stories.trust.permissions import Actor, PermissionDenied
from stories.bulk_create import create_stories
from stories.storage import (
    StoryNotFound, create_story, delete_story, deleted_stories, get_story, purge_deleted,
    restore_story, update_story, withdraw_consent,
)
from stories.visibility import StoryFilter
from stories.search import count_stories, query_stories
from stories.validation import StoryInvalid

OK = Consent(internal=True, evaluation=True)


def make(text="Hun kom i huset igen efter sommerferien.", **kw):
    kw.setdefault("significance", "Det viser, at hun hører til her.")
    kw.setdefault("consent", Consent(internal=True, evaluation=True))
    return Story(text=text, **kw)


def test_create_and_read_back_exactly(db):
    text = "Æbler 🍎 og שלום – <script>alert(1)</script> **fed** [x](javascript:alert(1))\nNy linje"
    story = create_story(db, make(text, title="Første <b>titel</b>", extra={"alder": "16"}))
    again = get_story(db, story.id)
    assert again.text == text
    assert again.title == "Første <b>titel</b>"
    assert again.extra == {"alder": "16"}
    assert again.consent.internal and again.consent.evaluation and not again.consent.publication
    assert again.created_at == again.updated_at


def test_full_text_search_follows_insert_edit_and_delete(db):
    story = create_story(db, make("Vi lavede mad i køkkenet sammen."))
    create_story(db, make("Han spillede trommer i musikrummet."))
    assert [s.id for s in query_stories(db, StoryFilter(search="køkken"))] == [story.id]
    update_story(db, story.id, {"text": "Vi malede en væg sammen."})
    assert query_stories(db, StoryFilter(search="køkken")) == []
    assert [s.id for s in query_stories(db, StoryFilter(search="malede"))] == [story.id]
    delete_story(db, story.id)
    assert query_stories(db, StoryFilter(search="malede")) == []
    restore_story(db, story.id)
    assert [s.id for s in query_stories(db, StoryFilter(search="malede"))] == [story.id]
    db.execute("DELETE FROM stories WHERE id = ?", [story.id])
    assert db.execute("SELECT count(*) FROM stories_fts WHERE stories_fts MATCH 'malede'").fetchone()[0] == 0


@pytest.mark.parametrize("query", ['"', "AND", "køkken OR", "*", "(", "NEAR(", "'; DROP TABLE stories; --"])
def test_search_input_never_breaks(db, query):
    create_story(db, make("Vi lavede mad i køkkenet."))
    assert isinstance(query_stories(db, StoryFilter(search=query)), list)
    assert count_stories(db) == 1


def test_search_matches_significance_and_title(db):
    a = create_story(db, make("Tekst.", significance="Tillid er alt.", title="Om cykler"))
    assert [s.id for s in query_stories(db, StoryFilter(search="tillid"))] == [a.id]
    assert [s.id for s in query_stories(db, StoryFilter(search="cykler"))] == [a.id]


def test_filters(db):
    create_story(db, make(site="Nordvest", teller_role="staff", polarity="positive", happened_on="2026-01-10",
                          teller_mechanism="huset"))
    create_story(db, make(site="Valby", teller_role="young_person", polarity="negative", happened_on="2026-03-01",
                          teller_mechanism="tillidsfulde_relationer"))
    create_stories(db, [(make(site="Valby", source="import", happened_on="2025-12-24"), "k1")])
    assert count_stories(db, StoryFilter(sites=["Valby"])) == 2
    assert count_stories(db, StoryFilter(teller_roles=["staff"])) == 1
    assert count_stories(db, StoryFilter(polarities=["negative"])) == 1
    assert count_stories(db, StoryFilter(mechanisms=["huset"])) == 1
    assert count_stories(db, StoryFilter(sources=["import"])) == 1
    assert count_stories(db, StoryFilter(date_from="2026-01-01")) == 2
    assert count_stories(db, StoryFilter(date_from="2026-01-01", date_to="2026-02-01")) == 1
    assert count_stories(db, StoryFilter(sites=["Valby"], polarities=["negative"])) == 1


def test_listing_is_newest_first(db):
    old = create_story(db, make(happened_on="2025-01-01"))
    new = create_story(db, make(happened_on="2026-01-01"))
    assert [s.id for s in query_stories(db)] == [new.id, old.id]


def test_double_tap_stores_once(db):
    a = create_story(db, make(), submission_key="tap-1")
    b = create_story(db, make(), submission_key="tap-1")
    assert a.id == b.id
    assert count_stories(db) == 1


def test_delete_restore_and_purge_after_30_days(db):
    story = create_story(db, make())
    delete_story(db, story.id)
    assert count_stories(db) == 0
    with pytest.raises(StoryNotFound):
        get_story(db, story.id)
    assert [s.id for s in deleted_stories(db)] == [story.id]
    assert purge_deleted(db) == 0  # still within 30 days
    restore_story(db, story.id)
    assert count_stories(db) == 1
    delete_story(db, story.id)
    assert purge_deleted(db, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31)) == 1
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM story_lemmas").fetchone()[0] == 0


def test_withdrawn_consent_disappears_everywhere(db):
    story = create_story(db, make("Hun fandt en ven i værkstedet."))
    withdraw_consent(db, story.id)
    assert count_stories(db) == 0
    assert query_stories(db, StoryFilter(search="værkstedet")) == []
    with pytest.raises(StoryNotFound):
        get_story(db, story.id)


@pytest.mark.parametrize("purpose,expected", [("internal", 3), ("evaluation", 1), ("publication", 0)])
def test_consent_purpose_filter(db, purpose, expected):
    create_story(db, make(consent=Consent(internal=True)))
    create_story(db, make(consent=Consent(internal=True, evaluation=True)))
    # Under 15 with guardian consent counts; the validator refuses it without.
    create_story(db, make(consent=Consent(internal=True, teller_under_15=True, guardian=True)))
    assert count_stories(db, StoryFilter(purpose=purpose)) == expected


def test_sentences_and_lemmas_are_indexed_and_follow_edits(db):
    story = create_story(db, make("Vi gik i huset. Vennerne lavede mad!"))
    seq = db.execute("SELECT seq FROM stories WHERE id = ?", [story.id]).fetchone()[0]
    sentences = db.execute("SELECT start, end FROM sentences WHERE story_seq = ? ORDER BY idx", [seq]).fetchall()
    assert [story.text[s:e] for s, e in sentences] == ["Vi gik i huset.", "Vennerne lavede mad!"]
    lemmas = dict(db.execute(
        "SELECT lemma, n FROM story_lemmas JOIN lemmas ON lemmas.id = lemma_id WHERE story_seq = ?", [seq]))
    assert lemmas["hus"] == 1 and lemmas["gå"] == 1 and lemmas["ven"] == 1
    update_story(db, story.id, {"text": "Huset. Husene."})
    lemmas = dict(db.execute(
        "SELECT lemma, n FROM story_lemmas JOIN lemmas ON lemmas.id = lemma_id WHERE story_seq = ?", [seq]))
    assert lemmas == {"hus": 2}


@pytest.mark.real_lemmas
def test_real_danish_lemmas(db):
    story = create_story(db, make("Husene var fulde af unge, og vennerne skabte noget sammen."))
    seq = db.execute("SELECT seq FROM stories WHERE id = ?", [story.id]).fetchone()[0]
    lemmas = {r[0] for r in db.execute(
        "SELECT lemma FROM story_lemmas JOIN lemmas ON lemmas.id = lemma_id WHERE story_seq = ?", [seq])}
    assert {"hus", "ven", "skabe"} <= lemmas


def test_invalid_story_writes_nothing(db):
    with pytest.raises(StoryInvalid):
        create_story(db, make("   "))
    with pytest.raises(StoryInvalid):
        create_story(db, make("x" * 100_000))
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM stories_fts").fetchone()[0] == 0


def test_bulk_write_is_all_or_nothing(db):
    good = make("God historie.")
    with pytest.raises(sqlite3.IntegrityError):
        create_stories(db, [(good, "a"), (make("Anden."), None), (Story(text=None), "c")])  # NOT NULL text
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 0


def test_edit_keeps_the_old_story_when_invalid(db):
    story = create_story(db, make("Original."))
    with pytest.raises(StoryInvalid):
        update_story(db, story.id, {"text": ""})
    assert get_story(db, story.id).text == "Original."
    with pytest.raises(ValueError):
        update_story(db, story.id, {"id": "other"})


def test_locked_database_gives_busy_and_loses_nothing(tmp_path, monkeypatch):
    import stories.db

    monkeypatch.setattr(stories.db, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "locked.db"
    first = connect(path)
    create_story(first, make("Gemt før låsen."))
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    second = connect(path)
    second.execute("PRAGMA busy_timeout = 200")
    try:
        with pytest.raises(DatabaseBusy):
            create_story(second, make("Skrevet under låsen."))
    finally:
        holder.rollback()
        holder.close()
    assert [s.text for s in query_stories(second)] == ["Gemt før låsen."]
    create_story(second, make("Efter låsen."))
    assert count_stories(first) == 2


def test_writers_in_threads_wait_for_each_other(tmp_path):
    path = tmp_path / "threads.db"
    connect(path).conn.close()
    errors = []

    def writer(n):
        try:
            db = connect(path)
            for i in range(10):
                create_story(db, make(f"Historie {n}-{i}."), submission_key=f"{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert count_stories(connect(path)) == 40


def test_nested_write_transaction_rolls_back_inner_only(db):
    with write_transaction(db):
        create_story(db, make("Ydre."))
        with pytest.raises(StoryInvalid):
            with write_transaction(db):
                create_story(db, make(""))
    assert count_stories(db) == 1


def test_staff_see_and_edit_their_own_sites_only(db):
    mine = create_story(db, make(site="Valby"))
    other = create_story(db, make(site="Amager"))
    staff = Actor("s1", "staff", frozenset({"Valby"}))
    assert [s.id for s in query_stories(db, actor=staff)] == [mine.id]
    with pytest.raises(StoryNotFound):
        get_story(db, other.id, actor=staff)
    with pytest.raises(PermissionDenied):
        update_story(db, other.id, {"title": "x"}, actor=staff)
    update_story(db, mine.id, {"title": "Ny titel"}, actor=staff)


def test_evaluator_sees_only_evaluation_consent(db):
    create_story(db, make(consent=Consent(internal=True)))
    yes = create_story(db, make(consent=Consent(internal=True, evaluation=True)))
    evaluator = Actor("e1", "evaluator")
    assert [s.id for s in query_stories(db, actor=evaluator)] == [yes.id]
