"""The review gate: stories that arrive without staff wait for a person before evaluators see them."""

import pytest
from sqlite_utils import Database

from stories.trust.audit import read_log
from stories.exporter import export_stories
from stories.importer import import_file
from stories.model import Consent, Story
from stories.trust.permissions import PUBLIC, Actor, PermissionDenied
from stories.privacy.pseudonymised import Correction, corrections_for
from stories.storage import StoryNotFound, create_story, get_story
from stories.visibility import StoryFilter
from stories.search import count_stories, query_stories
from stories.privacy.review import (
    NotAwaitingReview, count_awaiting_review, review_required, review_story, set_review_required,
    stories_awaiting_review,
)
from changestories.schema import all_migration_sets
from stories.settings import SettingInvalid, set_setting

STAFF_N = Actor("lise", "staff", frozenset({"Nordvest"}))
STAFF_S = Actor("ole", "staff", frozenset({"Syd"}))
ADMIN = Actor("chef", "admin")
EVALUATOR = Actor("eva", "evaluator")
CONSENT = Consent(internal=True, evaluation=True, publication=True)


def _tell(db: Database, text="I dag ringede Mikkel Holm til mig.", site="Nordvest") -> Story:
    """A story as /tell stores it: the public actor, the form."""
    return create_story(db, Story(text=text, significance="Det betød noget.", site=site, teller_role="young_person",
                                  consent=CONSENT), actor=PUBLIC)


def _staff(db: Database, site="Nordvest") -> Story:
    return create_story(db, Story(text="Vi lavede mad sammen.", significance="Fællesskab.", site=site,
                                  recorded_by="lise", consent=CONSENT), actor=STAFF_N)


def test_a_told_story_waits_and_a_staff_story_does_not(db):
    told, typed = _tell(db), _staff(db)
    assert [s.id for s in stories_awaiting_review(db, actor=STAFF_N)] == [told.id]
    assert count_awaiting_review(db, STAFF_N) == 1
    assert [s.id for s in query_stories(db, actor=EVALUATOR)] == [typed.id]
    assert count_stories(db, StoryFilter(purpose="evaluation")) == 1
    assert count_stories(db, StoryFilter(purpose="publication")) == 1
    assert count_stories(db, StoryFilter(purpose="internal")) == 2  # staff's own work is not held back
    with pytest.raises(StoryNotFound):
        get_story(db, told.id, actor=EVALUATOR)


def test_review_releases_the_story_with_its_corrections_and_is_audited(db):
    told = _tell(db)
    review_story(db, told.id, [Correction("add", "person", "Holm")], actor=STAFF_N)
    assert count_awaiting_review(db, STAFF_N) == 0
    seen = get_story(db, told.id, actor=EVALUATOR)
    assert "Mikkel" not in seen.text and "Holm" not in seen.text
    assert [c.text for c in corrections_for(db, told.id)] == ["Holm"]
    entry = next(e for e in read_log(db, actor=ADMIN) if e.action == "review_story")
    assert (entry.actor, entry.target, entry.detail["added"]) == ("lise", told.id, 1)
    row = db.execute("SELECT reviewed_by, reviewed_at FROM stories WHERE id = ?", [told.id]).fetchone()
    assert row[0] == "lise" and row[1]
    with pytest.raises(NotAwaitingReview):
        review_story(db, told.id, actor=STAFF_N)


def test_camp_and_imported_stories_wait(db, tmp_path):
    from stories.camps.camps import CampDraft, create_camp
    from stories.camps.submissions import CampSubmission, submit_camp_story

    camp = create_camp(db, CampDraft("Sommerlejr", site="Nordvest"), actor=ADMIN)
    submit_camp_story(db, camp.id, CampSubmission(display_name="Ulven", text="Vi byggede en flåde.",
                                                  significance="Jeg turde.", consent_internal=True,
                                                  consent_evaluation=True, domain="huset"), submission_key="k1")
    path = tmp_path / "in.csv"
    path.write_text("text,significance,site\nEn historie fra et skema.,Vigtig.,Nordvest\n", encoding="utf-8")
    import_file(db, path, consent=("internal", "evaluation"))
    assert count_awaiting_review(db, ADMIN) == 2
    assert query_stories(db, actor=EVALUATOR) == []


def test_only_staff_of_the_site_and_admins_review(db):
    told = _tell(db)
    assert stories_awaiting_review(db, actor=STAFF_S) == []
    assert count_awaiting_review(db, STAFF_S) == 0
    assert count_awaiting_review(db, EVALUATOR) == 0 and stories_awaiting_review(db, actor=EVALUATOR) == []
    for actor in (STAFF_S, EVALUATOR, PUBLIC):
        with pytest.raises((PermissionDenied, StoryNotFound)):
            review_story(db, told.id, actor=actor)
    assert count_awaiting_review(db, ADMIN) == 1
    review_story(db, told.id, actor=ADMIN)
    assert count_awaiting_review(db, ADMIN) == 0


def test_a_bad_correction_writes_nothing(db):
    told = _tell(db)
    with pytest.raises(ValueError):
        review_story(db, told.id, [Correction("add", "person", "")], actor=STAFF_N)
    assert count_awaiting_review(db, STAFF_N) == 1 and corrections_for(db, told.id) == []


def test_admin_can_turn_the_requirement_off(db, tmp_path):
    told = _tell(db)
    assert review_required(db)
    with pytest.raises(PermissionDenied):
        set_review_required(db, False, actor=STAFF_N)
    set_review_required(db, False, actor=ADMIN)
    assert not review_required(db)
    assert [s.id for s in query_stories(db, actor=EVALUATOR)] == [told.id]
    assert "Mikkel" not in query_stories(db, actor=EVALUATOR)[0].text  # still pseudonymised
    out = tmp_path / "eval.csv"
    assert export_stories(db, out, "csv", story_filter=StoryFilter(purpose="evaluation")) == 1
    assert any(e.action == "setting_change" and e.actor == "chef" for e in read_log(db, actor=ADMIN))
    set_review_required(db, True, actor=ADMIN)
    assert query_stories(db, actor=EVALUATOR) == []


@pytest.mark.parametrize("name,value", [("review_required", "maybe"), ("no_such_setting", "1")])
def test_bad_settings_are_refused(db, name, value):
    with pytest.raises(SettingInvalid):
        set_setting(db, name, value, actor=ADMIN)


def test_exports_for_evaluation_leave_unreviewed_stories_out(db, tmp_path):
    _tell(db, text="Sofie fortalte om sin nye skole.")
    _staff(db)
    out = tmp_path / "eval.json"
    assert export_stories(db, out, "json", story_filter=StoryFilter(purpose="evaluation")) == 1
    assert "Sofie" not in out.read_text(encoding="utf-8")


def test_stories_stored_before_the_review_step(tmp_path):
    """Migration: staff-entered stories count as reviewed; camp, import and unrecorded form stories wait."""
    from changestories.database import connect
    from stories.db import configure

    path = tmp_path / "old.db"
    old = configure(Database(path))
    sets = all_migration_sets()
    sets[0].apply(old, stop_before="m003_review_and_settings")
    for later in sets[1:]:
        # the nlp set's m006 needs the "stories" set's m006 (bulk writes), which came after m003
        later.apply(old, stop_before="m006_bulk_story_writes") if later.name == "nlp" else later.apply(old)
    rows = [("a", "form", "lise"), ("b", "form", ""), ("c", "camp", ""), ("d", "import", "ole")]
    for sid, source, recorded_by in rows:
        old.execute(
            "INSERT INTO stories (id, text, source, recorded_by, consent_internal, consent_evaluation, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, 1, 1, '2025-01-01', '2025-01-01')",
            [sid, f"Historie {sid}.", source, recorded_by])
    old.conn.commit()
    old.conn.close()
    db = connect(path)
    assert [s.id for s in query_stories(db, actor=EVALUATOR)] == ["a"]
    assert sorted(s.id for s in stories_awaiting_review(db, actor=ADMIN)) == ["b", "c", "d"]
