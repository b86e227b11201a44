"""The audit log: append-only in the database, and written by every action it must record."""

import sqlite3

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from stories.trust import accounts

from stories.trust import audit
from stories.trust.accounts import LoginFailed, add_user, authenticate, set_role
from stories.trust.erasure import erase_teller
from stories.exporter import export_stories
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.storage import create_story, get_story
from stories.visibility import StoryFilter
from stories.search import query_stories
from tests.conftest import ROOT
from tests.apptest import tables

ADMIN = Actor("chef", "admin")
EVALUATOR = Actor("eva", "evaluator")
PASSWORD = "en lang og god adgangskode"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def entries(db, action=None):
    return audit.read_log(db, actor=ADMIN, action=action)


def a_story(db, pseudonym="UNG-0042", text="Jeg begyndte at komme i huset hver uge."):
    return create_story(db, Story(text=text, significance="Det gav mig ro.", teller_pseudonym=pseudonym,
                                  consent=Consent(internal=True, evaluation=True)))


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 1",
])
def test_the_log_refuses_changes_and_deletions(db, statement):
    audit.log(db, ADMIN, "backup", "copy.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(statement)
    assert [(e.actor, e.action) for e in entries(db)] == [("chef", "backup")]


def test_unknown_actions_are_refused(db):
    with pytest.raises(ValueError):
        audit.log(db, ADMIN, "anything_goes")


def test_sign_ins_and_failed_sign_ins_are_logged_with_who(db):
    add_user(db, "anna", "staff", PASSWORD)
    authenticate(db, "anna", PASSWORD)
    with pytest.raises(LoginFailed):
        authenticate(db, "Anna", "forkert adgangskode")
    failed, ok = entries(db, "sign_in_failed")[0], entries(db, "sign_in")[0]
    assert (ok.actor, ok.role) == ("anna", "staff")
    assert (failed.actor, failed.role) == ("anna", "public")
    assert "forkert" not in str(failed)  # never the password tried
    assert failed.at and ok.at


def test_role_changes_are_logged(db):
    add_user(db, "anna", "staff", PASSWORD, actor=ADMIN)
    set_role(db, "anna", "evaluator", actor=ADMIN)
    change = entries(db, "role_change")[0]
    assert (change.actor, change.target, change.detail) == ("chef", "anna", {"old": "staff", "new": "evaluator"})
    assert entries(db, "user_add")[0].detail == {"role": "staff"}


def test_exports_are_logged(db, tmp_path):
    a_story(db)
    export_stories(db, tmp_path / "out.csv", "csv", actor=ADMIN, story_filter=StoryFilter(purpose="internal"))
    entry = entries(db, "export")[0]
    assert entry.actor == "chef"
    assert entry.detail == {"fmt": "csv", "n": 1, "purpose": "internal", "pseudonymised": False}


def test_evaluators_reads_are_logged_and_staffs_are_not(db):
    story = a_story(db)
    get_story(db, story.id, actor=Actor("sofie", "staff"))
    assert entries(db, "read_story") == []
    get_story(db, story.id, actor=EVALUATOR)
    query_stories(db, StoryFilter(), actor=EVALUATOR)
    read = entries(db, "read_story")[0]
    assert (read.actor, read.role, read.target) == ("eva", "evaluator", story.id)
    listing = entries(db, "read_stories")[0]
    assert listing.detail == {"n": 1, "ids": [story.id]}


def test_an_erasure_records_that_it_happened_not_what(db):
    marker = "Pseudonymmarkør Zebrafink"
    story = a_story(db, pseudonym="UNG-0007", text=f"{marker} kom i huset.")
    get_story(db, story.id, actor=EVALUATOR)
    before = audit.count_log(db)
    assert erase_teller(db, "UNG-0007", actor=ADMIN) == 1
    erase = entries(db, "erase")[0]
    assert (erase.actor, erase.detail) == ("chef", {"stories": 1})
    everything = " ".join(f"{e.target} {e.detail}" for e in entries(db))
    assert "UNG-0007" not in everything and marker not in everything
    assert audit.count_log(db) == before + 1  # earlier entries stay


def test_newest_first_and_filters(db):
    audit.log(db, ADMIN, "backup", "a.db")
    audit.log(db, Actor("anna", "staff"), "export")
    audit.log(db, ADMIN, "restore", "a.db")
    assert [e.action for e in entries(db)] == ["restore", "export", "backup"]
    assert [e.action for e in audit.read_log(db, actor=ADMIN, who="CHEF")] == ["restore", "backup"]
    assert audit.count_log(db, actor=ADMIN, action="export") == 1


def test_admins_see_the_log_in_the_app(db_path):
    from changestories.database import connect

    db = connect(db_path)
    add_user(db, "anna", "staff", PASSWORD)
    with pytest.raises(LoginFailed):
        authenticate(db, "anna", "<img src=x onerror=alert(1)>")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    frames = tables(at)
    log = frames[1]
    assert list(log["Hvad skete der"]) == ["Et forsøg på at logge ind som anna mislykkedes (med adgangskode).",
                                           "system oprettede brugeren anna (som medarbejder)."]
    assert not any("T" in when or "+00:00" in when for when in log["Hvornår"])  # local time in words, not ISO
    assert not any("{" in what for what in log["Hvad skete der"])  # details as words, never JSON
    at.selectbox(key="trust_audit_action").set_value("sign_in_failed").run()
    assert not at.exception
    assert list(tables(at)[1]["Hvem"]) == ["anna (ikke logget ind)"]
