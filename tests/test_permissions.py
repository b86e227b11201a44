"""Every role against every action, through the data functions (not the pages).

Staff and facilitators work at site "Nord"; a second story is at "Syd". Each action is
tried once per role on a fresh database: it must succeed exactly for the roles listed in
EXPECTED, and be refused (PermissionDenied, or "not found" for a story one may not see)
for every other role.
"""

import pytest
from argon2 import PasswordHasher

from coding import codings
from stories import exporter, sites, storage
from stories.trust import accounts
from stories.trust import audit
from changestories import backup
from stories.trust import erasure
from stories.model import Consent, Story
from stories.trust.permissions import PUBLIC, SYSTEM, Actor, PermissionDenied
from stories.storage import StoryNotFound, create_story
from stories.visibility import StoryFilter
from stories.search import query_stories

ACTORS = {
    "admin": Actor("chef", "admin"),
    "facilitator": Actor("fie", "facilitator", frozenset({"Nord"})),
    "staff": Actor("sofie", "staff", frozenset({"Nord"})),
    "evaluator": Actor("eva", "evaluator"),
    "public": PUBLIC,
    "system": SYSTEM,
}
ALL = set(ACTORS)
TRUSTED = {"admin", "system"}
EXPECTED = {
    "submit_story": ALL,  # young people submit without an account
    "read_own_site_story": TRUSTED | {"facilitator", "staff", "evaluator"},
    "read_other_site_story": TRUSTED | {"evaluator"},
    "read_story_without_evaluation_consent": TRUSTED | {"facilitator", "staff"},
    "read_unpseudonymised_text": TRUSTED | {"facilitator", "staff"},
    "list_other_site_stories": TRUSTED | {"evaluator"},
    "edit_own_site_story": TRUSTED | {"facilitator", "staff"},
    "edit_other_site_story": TRUSTED,
    "delete_own_site_story": TRUSTED | {"facilitator", "staff"},
    "withdraw_consent": TRUSTED | {"facilitator", "staff"},
    "correct_personal_data": TRUSTED | {"facilitator", "staff"},
    "export": TRUSTED | {"staff", "evaluator"},
    "import": TRUSTED | {"staff"},
    "code_story": TRUSTED | {"staff", "evaluator"},
    "manage_codebook": TRUSTED | {"evaluator"},
    "run_camp": TRUSTED | {"facilitator"},
    "manage_users": TRUSTED,
    "change_roles": TRUSTED,
    "set_another_users_password": TRUSTED,
    "manage_sites": TRUSTED,
    "read_audit_log": TRUSTED,
    "erase_teller": TRUSTED,
    "export_teller_data": TRUSTED,
    "backup": TRUSTED,
}
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # fast, for tests only
CPR = "010203-1234"  # fictional; found by the CPR rule, so the check does not depend on the name model


def coding_function(name: str):
    """A codebook function of the coding area, wherever it lives."""
    import importlib

    for module in ("coding.codebook.edit", "coding.codebook.codes"):
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found:
            return found
    raise LookupError(name)


class Refused(Exception):
    """The action returned, but without what was asked for (e.g. hidden from a listing)."""


def story(site: str, evaluation: bool = True, pseudonym: str = "UNG-0001") -> Story:
    return Story(text=f"Jeg fik hjælp i huset. Mit cpr er {CPR}.", significance="Det betød meget.",
                 site=site, teller_pseudonym=pseudonym, teller_role="young_person",
                 consent=Consent(internal=True, evaluation=evaluation))


@pytest.fixture(scope="module")
def template():
    """The world every case starts from, built once: three stories, a codebook, a user."""
    import stories.textindex.language
    from stories.trust.accounts import add_user
    from changestories.database import memory_db
    from tests.conftest import TINY_LEMMAS

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stories.textindex.language, "load_lemma_table", lambda lang: TINY_LEMMAS.get(lang, {}))
        patch.setattr(accounts, "_hasher", lambda: CHEAP_HASHER)
        db = memory_db()
        ids = {
            "nord": create_story(db, story("Nord")).id,
            "syd": create_story(db, story("Syd", pseudonym="UNG-0002")).id,
            "internal": create_story(db, story("Nord", evaluation=False, pseudonym="UNG-0003")).id,
        }
        ids["codebook"] = coding_function("create_codebook")(db, "Testbog")
        ids["code"] = coding_function("add_code")(db, ids["codebook"], "Tillid").id
        add_user(db, "bo", "staff", "en lang og god adgangskode")
    return db, ids


@pytest.fixture
def db(template):
    """A fresh copy of the template world."""
    from sqlite_utils import Database

    from stories.db import configure

    copy = Database(memory=True)
    template[0].conn.backup(copy.conn)
    return configure(copy)


@pytest.fixture
def world(template, tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", lambda: CHEAP_HASHER)
    return {**template[1], "tmp": tmp_path}


def _read(db, w, actor, key):
    from stories.storage import get_story

    return get_story(db, w[key], actor=actor)


def _unpseudonymised(db, w, actor):
    if CPR not in _read(db, w, actor, "nord").text:
        raise Refused("pseudonymised")


def _list_other_site(db, w, actor):
    if w["syd"] not in {s.id for s in query_stories(db, StoryFilter(), actor=actor)}:
        raise Refused("not listed")


def _import(db, w, actor):
    from stories.importer import import_file

    path = w["tmp"] / "in.csv"
    path.write_text("text,site\nEn ny historie fra huset,Nord\n", encoding="utf-8")
    import_file(db, path, actor=actor)


def _camp(db, w, actor):
    from stories.camps.camps import CampDraft, create_camp

    create_camp(db, CampDraft(name="Forårscamp", site="Nord"), actor=actor)


def _correct(db, w, actor):
    from stories.privacy.pseudonymised import Correction
    from stories.privacy.corrections import save_corrections

    save_corrections(db, w["nord"], [Correction("add", "person", "huset")], actor=actor)


ACTIONS = {
    "submit_story": lambda db, w, a: create_story(db, story("Nord"), actor=a),
    "read_own_site_story": lambda db, w, a: _read(db, w, a, "nord"),
    "read_other_site_story": lambda db, w, a: _read(db, w, a, "syd"),
    "read_story_without_evaluation_consent": lambda db, w, a: _read(db, w, a, "internal"),
    "read_unpseudonymised_text": _unpseudonymised,
    "list_other_site_stories": _list_other_site,
    "edit_own_site_story": lambda db, w, a: storage.update_story(
        db, w["nord"], {"title": "Ny titel"}, actor=a),
    "edit_other_site_story": lambda db, w, a: storage.update_story(
        db, w["syd"], {"title": "Ny titel"}, actor=a),
    "delete_own_site_story": lambda db, w, a: storage.delete_story(
        db, w["nord"], actor=a),
    "withdraw_consent": lambda db, w, a: storage.withdraw_consent(
        db, w["nord"], actor=a),
    "correct_personal_data": _correct,
    "export": lambda db, w, a: exporter.export_stories(
        db, w["tmp"] / "out.json", "json", actor=a),
    "import": _import,
    "code_story": lambda db, w, a: codings.add_coding(
        db, w["nord"], w["code"], actor=a),
    "manage_codebook": lambda db, w, a: coding_function("add_code")(
        db, w["codebook"], "Ny kode", actor=a),
    "run_camp": _camp,
    "manage_users": lambda db, w, a: accounts.add_user(
        db, "ny", "staff", "en lang og god adgangskode", actor=a),
    "change_roles": lambda db, w, a: accounts.set_role(db, "bo", "evaluator", actor=a),
    "set_another_users_password": lambda db, w, a: accounts.set_password(
        db, "bo", "en helt anden adgangskode", actor=a),
    "manage_sites": lambda db, w, a: sites.add_site(db, "Øst", actor=a),
    "read_audit_log": lambda db, w, a: audit.read_log(db, actor=a),
    "erase_teller": lambda db, w, a: erasure.erase_teller(db, "UNG-0001", actor=a),
    "export_teller_data": lambda db, w, a: erasure.teller_report(
        db, "UNG-0001", actor=a),
    "backup": lambda db, w, a: backup.backup(db, w["tmp"] / "copy.db", actor=a),
}


def test_every_action_has_an_expectation():
    assert set(ACTIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", sorted(ACTORS))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_role_against_action(world, db, role, action):
    run = ACTIONS[action]
    if role in EXPECTED[action]:
        run(db, world, ACTORS[role])
    else:
        with pytest.raises((PermissionDenied, StoryNotFound, Refused)):
            run(db, world, ACTORS[role])


def test_evaluators_see_the_cpr_number_replaced(db, world):
    from stories.storage import get_story

    seen = get_story(db, world["nord"], actor=ACTORS["evaluator"])
    assert CPR not in seen.text and "[CPR]" in seen.text


@pytest.mark.parametrize("purpose", ["internal", "evaluation", "publication"])
def test_a_withdrawal_removes_the_story_from_every_purpose_at_once(db, purpose):
    everything = Consent(internal=True, evaluation=True, publication=True)
    stored = create_story(db, Story(text="Jeg fik en ven.", significance="Det betød meget.", consent=everything))
    story_filter = StoryFilter(purpose=purpose, story_ids=[stored.id])
    assert [s.id for s in query_stories(db, story_filter)] == [stored.id]
    storage.withdraw_consent(db, stored.id)
    assert query_stories(db, story_filter) == []
    with pytest.raises(StoryNotFound):
        storage.get_story(db, stored.id, actor=ACTORS["evaluator"])


@pytest.mark.parametrize("language, expected", [("da", "Det har din rolle ikke adgang til."),
                                                ("en", "Your role does not allow this.")])
def test_a_refusal_reads_in_the_users_language_not_the_actions_name(language, expected):
    from stories.i18n import error_message

    refusal = PermissionDenied("erase_teller")
    assert error_message(refusal, language) == expected
    assert str(refusal) == "erase_teller"  # the action stays named for logs and tests
