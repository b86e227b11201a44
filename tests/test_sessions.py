"""Sessions: a random token stored only hashed, an idle expiry that slides, revocation, bad tokens;
the admin overview's numbers."""

import datetime as dt

import pytest
from argon2 import PasswordHasher

from stories.camps.camps import CampDraft, close_camp, create_camp
from stories.overview import overview
from stories.storage import create_story
from stories.model import Consent, Story
from stories.trust import accounts
from stories.trust.accounts import add_user, set_disabled, set_password, set_role, set_sites
from stories.trust.permissions import Actor
from stories.trust.sessions import (
    MAX_AGE_HOURS, SessionEnded, SessionExpired, confirm_cookie, end_session, resume_session, start_session,
    token_hash,
)

PASSWORD = "en lang og god adgangskode"
ADMIN = Actor("chef", "admin")
T0 = 1_800_000_000.0


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def anna(db):
    return add_user(db, "anna", "staff", PASSWORD)


def test_the_token_is_random_and_stored_only_hashed(db, anna):
    one = start_session(db, anna.id, idle_seconds=600, now=T0)
    two = start_session(db, anna.id, idle_seconds=600, now=T0)
    assert one != two and len(one) == 43
    stored = [r[0] for r in db.execute("SELECT token_hash FROM sessions")]
    assert sorted(stored) == sorted([token_hash(one), token_hash(two)])
    assert one not in stored and two not in stored
    assert resume_session(db, one, now=T0 + 1).user_id == anna.id


def test_the_idle_expiry_slides_with_use(db, anna):
    token = start_session(db, anna.id, idle_seconds=600, now=T0)
    assert resume_session(db, token, now=T0 + 500).expires_at == T0 + 1100
    assert resume_session(db, token, now=T0 + 1000).expires_at == T0 + 1600
    with pytest.raises(SessionExpired) as ended:
        resume_session(db, token, now=T0 + 1601)
    assert ended.value.user_id == anna.id
    with pytest.raises(SessionEnded):  # and it stays ended
        resume_session(db, token, now=T0 + 1000)


def test_a_session_ends_after_the_maximum_age_however_active(db, anna):
    token = start_session(db, anna.id, idle_seconds=3600, now=T0)
    moment = T0
    while moment < T0 + MAX_AGE_HOURS * 3600 - 1800:
        moment += 1800
        resume_session(db, token, now=moment)
    with pytest.raises(SessionExpired):
        resume_session(db, token, now=T0 + MAX_AGE_HOURS * 3600)


@pytest.mark.parametrize("change", [
    lambda db: set_disabled(db, "anna", True, actor=ADMIN),
    lambda db: set_role(db, "anna", "evaluator", actor=ADMIN),
    lambda db: set_password(db, "anna", "en helt ny adgangskode", actor=ADMIN),
])
def test_disabling_a_new_role_or_password_revoke_every_session(db, anna, change):
    tokens = [start_session(db, anna.id, idle_seconds=600) for _ in range(2)]
    other = start_session(db, add_user(db, "bo", "staff", PASSWORD).id, idle_seconds=600)
    change(db)
    for token in tokens:
        with pytest.raises(SessionEnded):
            resume_session(db, token)
    assert resume_session(db, other)  # someone else's session goes on


def test_other_account_changes_keep_the_session(db, anna):
    token = start_session(db, anna.id, idle_seconds=600)
    set_sites(db, "anna", [], actor=ADMIN)
    assert resume_session(db, token).user_id == anna.id


def test_sign_out_revokes_and_is_audited(db, anna):
    token = start_session(db, anna.id, idle_seconds=600)
    end_session(db, token, anna.actor())
    with pytest.raises(SessionEnded):
        resume_session(db, token)
    assert db.execute("SELECT actor FROM audit_log WHERE action = 'sign_out'").fetchall() == [("anna",)]


@pytest.mark.parametrize("token", [None, "", "x", "a" * 43, "ä" * 43, "a" * 10_000, "' OR 1=1 --", 42])
def test_forged_tokens_sign_nobody_in(db, anna, token):
    start_session(db, anna.id, idle_seconds=600)
    with pytest.raises(SessionEnded):
        resume_session(db, token)
    assert confirm_cookie(db, token) is False


def test_the_cookie_is_confirmed_only_for_a_live_session(db, anna):
    token = start_session(db, anna.id, idle_seconds=600, now=T0)
    assert resume_session(db, token, now=T0).cookie_set is False
    assert confirm_cookie(db, token, now=T0 + 1)
    assert resume_session(db, token, now=T0 + 2).cookie_set is True
    end_session(db, token, anna.actor())
    assert confirm_cookie(db, token) is False


def test_ended_sessions_are_deleted_a_day_later(db, anna):
    old = start_session(db, anna.id, idle_seconds=600, now=T0)
    start_session(db, anna.id, idle_seconds=600, now=T0 + 2 * 86400)
    assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
    with pytest.raises(SessionEnded):
        resume_session(db, old, now=T0 + 2 * 86400)


def test_the_overview_counts_this_months_stories_and_open_camps(db):
    story = Story(text="Vi lavede mad sammen i køkkenet.", significance="Han blev hele aftenen.",
                  consent=Consent(internal=True))
    create_story(db, story)
    create_story(db, story)
    create_story(db, story, actor=Actor("ung", "public"))  # from /tell: waits for review
    db.execute("UPDATE stories SET created_at = '2020-01-05T10:00:00+00:00' WHERE seq = 1")
    open_camp = create_camp(db, CampDraft(name="Forårscamp"))
    closed = create_camp(db, CampDraft(name="Vintercamp"))
    close_camp(db, closed.id)
    numbers = overview(db, actor=ADMIN, today=dt.date.today())
    assert (numbers.stories_total, numbers.stories_this_month, numbers.open_camps) == (3, 2, 1)
    assert open_camp.is_open()
    assert numbers.awaiting_review == 1
    assert overview(db, actor=Actor("ung", "public")).stories_total == 0
