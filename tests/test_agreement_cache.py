"""The agreement report is kept per process under the data's version: a kept report equals a
fresh one, and every change to what it counts gives a new one."""

import pytest
from sqlite_utils import Database

from changestories.database import connect
from changestories.schema import all_migration_sets
from coding import agreement
from coding.agreement import agreement_report, compute_report
from coding.codebook.codes import create_codebook, list_codes
from coding.codings import WHOLE, codings_version, mark_done, save_coding
from stories.db import configure
from stories.model import Consent, Story
from stories.storage import create_story
from stories.trust.permissions import Actor

TEXTS = ["Vi malede huset sammen. Det var godt.", "Han kom hver dag. Vi lavede mad.",
         "Hun sagde nej. Så sagde hun ja.", "De spillede fodbold. Alle var med."]


@pytest.fixture
def coded(db):
    agreement.clear_cache()
    codebook = create_codebook(db, "", "kbh_plus")
    huset, skabe, tillid = [c.id for c in list_codes(db, codebook)]
    ids = [create_story(db, Story(text=t, significance="Vigtigt.", consent=Consent(evaluation=True))).id
           for t in TEXTS]
    for story_id, (a, b) in zip(ids, [({huset}, {huset}), ({skabe}, {skabe, tillid}), ({tillid}, {huset}),
                                      ({huset}, {huset})]):
        save_coding(db, story_id, {WHOLE: a}, coder="a")
        save_coding(db, story_id, {WHOLE: b}, coder="b")
    return db, codebook, ids, (huset, skabe, tillid)


def fresh(db, codebook, level="story", actor=None):
    code_ids = [c.id for c in list_codes(db, codebook, include_retired=True) if not c.is_group]
    return compute_report(db, codebook, level, code_ids, **({"actor": actor} if actor else {}))


@pytest.mark.parametrize("level", ["story", "sentence"])
def test_a_kept_report_is_the_same_as_a_fresh_one(coded, level):
    db, codebook, _, _ = coded
    first = agreement_report(db, codebook, level)
    assert agreement_report(db, codebook, level) is first  # kept
    assert first == fresh(db, codebook, level)


@pytest.mark.parametrize("change", ["coding", "unfinished", "consent", "raw_sql", "review_setting"])
def test_every_change_gives_a_new_report(coded, change):
    db, codebook, ids, (huset, skabe, tillid) = coded
    if change == "review_setting":  # a story awaiting review counts while review is not required
        db.execute("UPDATE stories SET awaiting_review = 1 WHERE id = ?", [ids[1]])
        db.execute("INSERT OR REPLACE INTO settings(key, value, updated_at) VALUES ('review_required', '0', '')")
    before = agreement_report(db, codebook, "story")
    if change == "coding":
        save_coding(db, ids[2], {WHOLE: {tillid}}, coder="b")
    elif change == "unfinished":
        mark_done(db, ids[1], False, coder="b")
    elif change == "consent":
        db.execute("UPDATE stories SET consent_evaluation = 0 WHERE id = ?", [ids[1]])
    elif change == "raw_sql":  # another tool writing the table directly
        db.execute("DELETE FROM codings WHERE coder = 'b' AND story_seq = (SELECT seq FROM stories WHERE id = ?)",
                   [ids[0]])
    else:  # only the setting changes: the story awaiting review drops out
        db.execute("UPDATE settings SET value = '1' WHERE key = 'review_required'")
    after = agreement_report(db, codebook, "story")
    assert after is not before
    assert after == fresh(db, codebook, "story") != before


def test_reports_are_kept_per_scope(coded):
    db, codebook, ids, _ = coded
    db.execute("UPDATE stories SET site = 'Valby' WHERE id = ?", [ids[0]])
    db.execute("UPDATE stories SET site = 'Amager' WHERE id != ?", [ids[0]])
    valby = Actor("v", "staff", frozenset({"Valby"}))
    everyone = agreement_report(db, codebook, "story")
    mine = agreement_report(db, codebook, "story", actor=valby)
    assert mine is not everyone and mine == fresh(db, codebook, "story", actor=valby)
    assert everyone.units_by_coder == {"a": 4, "b": 4} and mine.units_by_coder == {"a": 1, "b": 1}


def test_codings_version_moves_with_codings_and_story_coders(coded):
    db, codebook, ids, (huset, _, _) = coded
    versions = [codings_version(db)]
    save_coding(db, ids[0], {WHOLE: {huset}}, coder="c", done=False)
    versions.append(codings_version(db))
    mark_done(db, ids[0], True, coder="c")
    versions.append(codings_version(db))
    assert versions == sorted(set(versions))


def test_the_version_migration_upgrades_a_database_with_codings(tmp_path):
    """A database made before the version table: codings stay, the version starts and moves."""
    path = tmp_path / "old.db"
    old = configure(Database(path))
    sets = all_migration_sets()
    index = next(i for i, s in enumerate(sets) if s.name == "coding")
    for earlier in sets[:index]:
        earlier.apply(old)
    sets[index].apply(old, stop_before="m003_codings_version")
    old.conn.commit()
    old.conn.close()
    db = connect(path)
    codebook = create_codebook(db, "", "kbh_plus")
    code = list_codes(db, codebook)[0].id
    story = create_story(db, Story(text="Vi malede huset.", significance="Vigtigt.", consent=Consent(evaluation=True)))
    start = codings_version(db)
    save_coding(db, story.id, {WHOLE: {code}}, coder="a")
    assert codings_version(db) > start
    assert agreement_report(db, codebook, "story").units_by_coder == {"a": 1}
