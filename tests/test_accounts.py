"""Accounts: argon2 hashes, validation, first admin, sign-in slow-down, and the sign-in flow in the app."""

import subprocess
import sys

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from stories.trust import accounts
from stories.trust.accounts import (
    AccountError, LoginFailed, LoginThrottled, add_user, authenticate, create_first_admin, find_user, has_admin,
    list_users, set_disabled, set_password, set_role, set_sites,
)
from changestories.database import connect
from stories.trust.permissions import Actor, PermissionDenied
from tests.conftest import ROOT

PASSWORD = "en lang og god adgangskode"
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ADMIN = Actor("chef", "admin")


@pytest.fixture(autouse=True)
def cheap_hashing(request, monkeypatch):
    """argon2 with tiny costs keeps the suite fast; one test checks the real parameters."""
    if "real_hashing" not in request.node.name:
        monkeypatch.setattr(accounts, "_hasher", lambda: CHEAP_HASHER)


def test_real_hashing_uses_argon2id_recommended_parameters(db):
    add_user(db, "anna", "staff", PASSWORD)
    stored = db.execute("SELECT password_hash FROM users WHERE name = 'anna'").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_password_is_stored_as_argon2id_hash_only(db):
    add_user(db, "anna", "staff", PASSWORD)
    stored = db.execute("SELECT password_hash FROM users WHERE name = 'anna'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert accounts.verify_password(stored, PASSWORD)
    assert not accounts.verify_password(stored, PASSWORD + "x")


@pytest.mark.parametrize("name", ["", "a", "x" * 65, "has space", "<script>", "mads\x00", "navn;DROP TABLE users"])
def test_bad_user_names_are_refused(db, name):
    with pytest.raises(AccountError) as caught:
        add_user(db, name, "staff", PASSWORD)
    assert caught.value.key == "trust.error.user_name"
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


@pytest.mark.parametrize("password,key", [
    ("kort", "trust.error.password_short"),
    ("", "trust.error.password_short"),
    ("x" * 2000, "trust.error.password_invalid"),
    ("null\x00tegn i koden", "trust.error.password_invalid"),
    ("Bente.Hansen", "trust.error.password_is_name"),
])
def test_bad_passwords_are_refused(db, password, key):
    with pytest.raises(AccountError) as caught:
        add_user(db, "bente.hansen", "staff", password)
    assert caught.value.key == key


@pytest.mark.parametrize("role", ["superuser", "system", "public", ""])
def test_unknown_roles_are_refused(db, role):
    with pytest.raises(AccountError) as caught:
        add_user(db, "anna", role, PASSWORD)
    assert caught.value.key == "trust.error.role"


def test_names_are_unique_ignoring_case(db):
    add_user(db, "Anna", "staff", PASSWORD)
    with pytest.raises(AccountError) as caught:
        add_user(db, "anna", "evaluator", PASSWORD)
    assert caught.value.key == "trust.error.user_exists"
    assert find_user(db, "ANNA").role == "staff"


def test_the_first_admin_is_created_once(db):
    assert not has_admin(db)
    admin = create_first_admin(db, "chef", PASSWORD)
    assert admin.role == "admin" and has_admin(db)
    with pytest.raises(AccountError) as caught:
        create_first_admin(db, "indtrænger", PASSWORD)
    assert caught.value.key == "trust.error.admin_exists"
    assert [u.name for u in list_users(db)] == ["chef"]


def test_sign_in_with_the_right_password_only(db):
    add_user(db, "anna", "staff", PASSWORD, sites=["Nordvest"])
    user = authenticate(db, "Anna", PASSWORD, now=1000.0)
    assert user.actor() == Actor("anna", "staff", frozenset({"Nordvest"}))
    with pytest.raises(LoginFailed) as wrong:
        authenticate(db, "anna", "forkert adgangskode", now=1001.0)
    with pytest.raises(LoginFailed) as unknown:
        authenticate(db, "ingen", PASSWORD, now=1002.0)
    assert str(wrong.value) == str(unknown.value)  # never tells which part was wrong


def test_a_disabled_user_cannot_sign_in(db):
    add_user(db, "anna", "staff", PASSWORD)
    set_disabled(db, "anna", True, actor=ADMIN)
    with pytest.raises(LoginFailed):
        authenticate(db, "anna", PASSWORD)
    set_disabled(db, "anna", False, actor=ADMIN)
    assert authenticate(db, "anna", PASSWORD).name == "anna"


def test_repeated_failures_slow_sign_in_down(db):
    add_user(db, "anna", "staff", PASSWORD)
    for i in range(accounts.FREE_FAILURES):
        with pytest.raises(LoginFailed):
            authenticate(db, "anna", "forkert", now=1000.0 + i)
    last = 1000.0 + accounts.FREE_FAILURES - 1
    # Now even the right password is not checked until the wait is over.
    with pytest.raises(LoginThrottled) as throttled:
        authenticate(db, "anna", PASSWORD, now=last + 1)
    assert throttled.value.wait_seconds == accounts.BASE_DELAY - 1
    # Another name is not held up.
    add_user(db, "bo", "staff", PASSWORD)
    assert authenticate(db, "bo", PASSWORD, now=last + 1).name == "bo"
    # One more failure after the wait doubles the next wait.
    with pytest.raises(LoginFailed):
        authenticate(db, "anna", "forkert", now=last + accounts.BASE_DELAY)
    with pytest.raises(LoginThrottled) as doubled:
        authenticate(db, "anna", PASSWORD, now=last + accounts.BASE_DELAY + 1)
    assert doubled.value.wait_seconds == 2 * accounts.BASE_DELAY - 1
    # After the wait the right password works, and clears the count.
    ok_at = last + 3 * accounts.BASE_DELAY + 1
    assert authenticate(db, "anna", PASSWORD, now=ok_at).name == "anna"
    assert accounts.throttle_wait(db, "anna", ok_at + 1) == 0


def test_the_wait_is_capped(db):
    for i in range(30):
        db.execute("INSERT INTO login_attempts(name, at, ok) VALUES ('anna', ?, 0)", [1000.0 + i])
    db.conn.commit()
    assert accounts.throttle_wait(db, "anna", 1029.0) == accounts.MAX_DELAY


def test_the_last_admin_keeps_the_role(db):
    add_user(db, "chef", "admin", PASSWORD)
    with pytest.raises(AccountError) as caught:
        set_role(db, "chef", "staff", actor=ADMIN)
    assert caught.value.key == "trust.error.last_admin"
    with pytest.raises(AccountError):
        set_disabled(db, "chef", True, actor=ADMIN)
    add_user(db, "chef2", "admin", PASSWORD)
    assert set_role(db, "chef", "staff", actor=ADMIN).role == "staff"


def test_sites_limit_what_a_user_acts_on(db):
    add_user(db, "anna", "staff", PASSWORD)
    user = set_sites(db, "anna", ["Vest", "Nord", "Vest"], actor=ADMIN)
    assert user.sites == ("Nord", "Vest")
    assert user.actor().sites == frozenset({"Nord", "Vest"})


def test_own_password_change_needs_the_old_one(db):
    add_user(db, "anna", "staff", PASSWORD)
    anna = Actor("anna", "staff")
    with pytest.raises(AccountError) as caught:
        set_password(db, "anna", "en helt ny adgangskode", actor=anna, old_password="forkert")
    assert caught.value.key == "trust.error.old_password"
    set_password(db, "anna", "en helt ny adgangskode", actor=anna, old_password=PASSWORD)
    assert authenticate(db, "anna", "en helt ny adgangskode").name == "anna"
    with pytest.raises(PermissionDenied):
        set_password(db, "chef", "en helt ny adgangskode", actor=anna)
    set_password(db, "anna", "admin har nulstillet", actor=ADMIN)  # an admin needs no old password
    assert authenticate(db, "anna", "admin har nulstillet").name == "anna"


# "0", "nonsense", "nan" and the like are refused at start: tests/test_settings_and_throttling.py
@pytest.mark.parametrize("value,seconds", [(None, 1800), ("5", 300), ("1", 60), (" 90 ", 5400), ("2.5", 150)])
def test_session_timeout_setting(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv(accounts.SESSION_ENV, raising=False)
    else:
        monkeypatch.setenv(accounts.SESSION_ENV, value)
    assert accounts.session_timeout_seconds() == seconds


def run_cli(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT)


def test_cli_users_add_list_set_role(db_path):
    added = run_cli("users", "add", "anna", "--role", "staff", "--site", "Nordvest", "--password-stdin",
                    "--db", str(db_path), stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "anna" in added.stdout and "staff" in added.stdout
    changed = run_cli("users", "set-role", "anna", "evaluator", "--db", str(db_path))
    assert changed.returncode == 0, changed.stderr
    listed = run_cli("users", "list", "--db", str(db_path))
    assert "anna\tevaluator\tNordvest" in listed.stdout
    assert authenticate(connect(db_path), "anna", PASSWORD).role == "evaluator"


@pytest.mark.parametrize("args,stdin,message", [
    (("users", "add", "x y", "--role", "staff", "--password-stdin"), PASSWORD, "user name"),
    (("users", "add", "anna", "--role", "staff", "--password-stdin"), "kort", "at least"),
    (("users", "set-role", "ingen", "admin"), "", "no user named"),
])
def test_cli_users_errors_are_one_line(db_path, args, stdin, message):
    result = run_cli(*args, "--db", str(db_path), stdin=stdin + "\n")
    assert result.returncode == 1
    assert result.stderr.startswith("changestories: error:") and message in result.stderr
    assert "Traceback" not in result.stderr


# --- the sign-in flow in the app (sign-in required) -----------------------------------

def app(db_path) -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def fill(at, values: dict[str, str]) -> None:
    for widget in at.text_input:
        if widget.label in values:
            widget.input(values[widget.label])


def hidden(at, page: str) -> bool:
    try:
        at.switch_page(page)
    except ValueError as exc:
        return "Could not find a navigation page" in str(exc)
    return False


def sign_in(at, name, password):
    fill(at, {"Brugernavn": name, "Adgangskode": password})
    at.button(key="FormSubmitter:trust_login-Log ind").click().run()
    assert not at.exception


@pytest.mark.auth
def test_a_new_install_asks_for_its_first_admin(db_path):
    at = app(db_path).run()
    assert not at.exception
    assert at.header[0].value == "Velkommen: opret den første administrator"
    assert hidden(at, "app_pages/browse.py") and hidden(at, "app_pages/tell.py")
    fill(at, {"Brugernavn": "chef", "Adgangskode": PASSWORD, "Gentag adgangskoden": PASSWORD + "!"})
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value == "De to adgangskoder er ikke ens."
    fill(at, {"Brugernavn": "chef", "Adgangskode": PASSWORD, "Gentag adgangskoden": PASSWORD})
    at.button[0].click().run()
    assert not at.exception
    assert "auth_user_id" in at.session_state  # signed in as the new admin, on the start page
    assert at.header[0].value != "Velkommen: opret den første administrator"
    assert has_admin(connect(db_path))
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    assert at.header[0].value == "Brugere og sikkerhed"


@pytest.mark.auth
def test_pages_need_sign_in_and_sign_out_hides_them(db_path):
    create_first_admin(connect(db_path), "chef", PASSWORD)
    at = app(db_path).run()
    assert not at.exception
    assert at.header[0].value == "Log ind"
    assert hidden(at, "app_pages/browse.py") and hidden(at, "app_pages/admin.py")
    at.switch_page("app_pages/tell.py").run()  # the public page needs no account
    assert not at.exception
    at.switch_page("app_pages/login.py").run()
    sign_in(at, "chef", PASSWORD)
    assert at.session_state["actor"] == Actor("chef", "admin")
    at.switch_page("app_pages/login.py").run()
    assert at.header[0].value == "Min konto"
    at.switch_page("app_pages/browse.py").run()
    assert not at.exception
    at.sidebar.button(key="trust_sign_out").click().run()
    assert not at.exception
    assert "auth_user_id" not in at.session_state
    assert hidden(at, "app_pages/browse.py") and hidden(at, "app_pages/admin.py")


@pytest.mark.auth
def test_wrong_passwords_are_refused_then_slowed_down(db_path):
    create_first_admin(connect(db_path), "chef", PASSWORD)
    at = app(db_path).run()
    for _ in range(accounts.FREE_FAILURES):
        sign_in(at, "chef", "forkert adgangskode")
        assert at.error[0].value == "Forkert brugernavn eller adgangskode."
    sign_in(at, "chef", PASSWORD)
    assert at.error[0].value.startswith("For mange forkerte forsøg. Vent")
    assert at.header[0].value == "Log ind"
    assert hidden(at, "app_pages/admin.py")


@pytest.mark.auth
def test_an_idle_session_times_out(db_path):
    create_first_admin(connect(db_path), "chef", PASSWORD)
    at = app(db_path).run()
    sign_in(at, "chef", PASSWORD)
    at.switch_page("app_pages/admin.py").run()
    assert at.header[0].value == "Brugere og sikkerhed"
    db = connect(db_path)
    with db.conn:
        db.execute("UPDATE sessions SET expires_at = 0")  # idle since long ago
    at.run()
    assert not at.exception
    assert at.header[0].value == "Log ind"  # the sign-in page, not the admin page
    assert at.info[0].value.startswith("Du var inaktiv for længe")
    assert hidden(at, "app_pages/admin.py")


@pytest.mark.auth
def test_a_role_change_ends_a_running_session(db_path):
    db = connect(db_path)
    create_first_admin(db, "chef", PASSWORD)
    add_user(db, "chef2", "admin", PASSWORD)
    at = app(db_path).run()
    sign_in(at, "chef2", PASSWORD)
    at.switch_page("app_pages/admin.py").run()
    assert at.header[0].value == "Brugere og sikkerhed"
    set_role(db, "chef2", "evaluator", actor=ADMIN)
    at.run()
    assert not at.exception
    assert "actor" not in at.session_state  # the session was revoked: sign in again
    assert at.header[0].value == "Log ind"
    assert hidden(at, "app_pages/admin.py")
    at.switch_page("app_pages/login.py").run()
    sign_in(at, "chef2", PASSWORD)
    assert at.session_state["actor"].role == "evaluator"
    assert hidden(at, "app_pages/admin.py")


def role_boxes(at):
    """The role pickers of the admin page: the new user's, then the edited user's."""
    return [box for box in at.selectbox if box.label == "Rolle"]


def test_an_admin_manages_users_and_sites_in_the_app(db_path):
    db = connect(db_path)
    create_first_admin(db, "chef", PASSWORD)
    at = app(db_path).run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    site_form = [t for t in at.text_input if t.label == "Nyt sted"][0]
    site_form.input("Nordvest")
    at.button(key="FormSubmitter:trust_add_site-Tilføj sted").click().run()
    assert not at.exception
    assert at.success[0].value == "Stedet er tilføjet."
    fill(at, {"Brugernavn": "anna", "Adgangskode": PASSWORD})
    at.pills[0].select("Nordvest")
    role_boxes(at)[0].set_value("facilitator")
    at.button(key="FormSubmitter:trust_add_user-Tilføj bruger").click().run()
    assert not at.exception
    assert at.success[0].value == "Brugeren anna er oprettet."
    anna = find_user(db, "anna")
    assert (anna.role, anna.sites) == ("facilitator", ("Nordvest",))
    at.selectbox(key="trust_pick_user").set_value("anna").run()
    edit = f"FormSubmitter:trust_edit_{anna.id}-Gem rolle og steder"
    role_boxes(at)[1].set_value("evaluator")
    at.button(key=edit).click().run()
    assert not at.exception
    assert find_user(db, "anna").role == "evaluator"
    at.button(key=f"trust_disable_{anna.id}").click().run()
    assert not at.exception
    assert find_user(db, "anna").disabled
    # The last admin cannot be demoted, and the page says so.
    at.selectbox(key="trust_pick_user").set_value("chef").run()
    chef = find_user(db, "chef")
    role_boxes(at)[1].set_value("staff")
    at.button(key=f"FormSubmitter:trust_edit_{chef.id}-Gem rolle og steder").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Den sidste aktive administrator")
    assert find_user(db, "chef").role == "admin"
