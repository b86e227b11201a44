"""Sign-in throttling counts per address too without locking the real user out for long; settings
that cannot be used are refused at start, by `changestories serve` and by the app."""

import subprocess
import sys

import pytest

from stories.environment import SettingInvalid, check_environment, session_minutes
from stories.trust.accounts import (
    ADDRESS_FREE_FAILURES, MAX_DELAY, NAME_MAX_DELAY, LoginFailed, LoginThrottled, add_user, authenticate,
    session_timeout_seconds, throttle_wait,
)
from tests.conftest import ROOT

T0 = 1_800_000_000.0
PASSWORD = "en lang og god adgangskode"


@pytest.fixture
def users(db):
    for name in ("anna", "bo", "carl"):
        add_user(db, name, "staff", PASSWORD)
    return db


def fail(db, name, address, at):
    with pytest.raises((LoginFailed, LoginThrottled)):
        authenticate(db, name, "forkert gæt", address=address, now=at)


def test_one_address_trying_many_names_is_slowed_down(users):
    db = users
    for i in range(ADDRESS_FREE_FAILURES):  # a different (made-up) name each time: no name counter fills up
        fail(db, f"gaet{i}", "203.0.113.9", T0 + i)
    at = T0 + ADDRESS_FREE_FAILURES
    assert throttle_wait(db, "bo", at, address="203.0.113.9") > 0
    with pytest.raises(LoginThrottled):
        authenticate(db, "bo", PASSWORD, address="203.0.113.9", now=at)
    # the same name from another address is not held up by that machine
    assert throttle_wait(db, "bo", at, address="198.51.100.4") == 0
    assert authenticate(db, "bo", PASSWORD, address="198.51.100.4", now=at).name == "bo"


def test_guesses_at_one_name_from_many_addresses_never_lock_the_real_user_out_for_long(users):
    db = users
    at = T0
    for i in range(40):  # a botnet: each address guesses twice, under the per-address limits
        for _ in range(2):
            at += 1
            fail(db, "anna", f"192.0.2.{i}", at)
    real = "10.0.0.5"  # the real user, at her own address
    wait = throttle_wait(db, "anna", at, address=real)
    assert 0 < wait <= NAME_MAX_DELAY < MAX_DELAY  # slowed, never for long
    assert authenticate(db, "anna", PASSWORD, address=real, now=at + wait).name == "anna"


def test_one_address_guessing_one_name_is_held_off_as_before(users):
    db = users
    for i in range(3):
        fail(db, "carl", "203.0.113.7", T0 + i)
    assert throttle_wait(db, "carl", T0 + 3, address="203.0.113.7") > 0
    with pytest.raises(LoginThrottled):
        authenticate(db, "carl", PASSWORD, address="203.0.113.7", now=T0 + 3)
    assert throttle_wait(db, "carl", T0 + 3, address="10.0.0.6") == 0  # his own machine is free


@pytest.mark.parametrize("value", ["nan", "NaN", "-5", "0", "soon", "inf", "1e9", "30 minutter"])
def test_unusable_session_minutes_are_refused(monkeypatch, value):
    monkeypatch.setenv("CHANGESTORIES_SESSION_MINUTES", value)
    with pytest.raises(SettingInvalid, match="CHANGESTORIES_SESSION_MINUTES"):
        session_minutes()
    with pytest.raises(SettingInvalid):
        session_timeout_seconds()
    with pytest.raises(SettingInvalid):
        check_environment()


@pytest.mark.parametrize("name,value", [
    ("CHANGESTORIES_SESSION_MINUTES", "nan"),
    ("CHANGESTORIES_SESSION_MINUTES", "-1"),
    ("CHANGESTORIES_AUTH", "maybe"),
    ("CHANGESTORIES_DB", "{folder}"),
])
def test_serve_refuses_an_unusable_setting_in_one_line(tmp_path, name, value):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CHANGESTORIES_DB": str(tmp_path / "x.db")}
    env[name] = value.format(folder=tmp_path)
    result = subprocess.run([sys.executable, "-m", "cli.main", "serve", "--port", "8799"], capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("changestories: error:") and result.stderr.count("\n") == 1
    assert name in result.stderr and "Traceback" not in result.stderr
    assert "serving" not in result.stdout


def test_the_app_refuses_an_unusable_setting_with_a_message(db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CHANGESTORIES_SESSION_MINUTES", "nan")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("CHANGESTORIES_SESSION_MINUTES" in e.value.replace("\\", "") and "nan" in e.value for e in at.error)
    monkeypatch.setenv("CHANGESTORIES_SESSION_MINUTES", "45")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and not at.error
