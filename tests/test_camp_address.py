"""The address phones reach a camp at: validated, kept per install, detected by `serve --lan`;
a newly created camp is the selected camp on every camp page; the wall of a closed or unknown camp."""

import pytest

from changestories.database import connect
from changestories.demo import load_demo
from stories.camps.address import (
    LAN_ENV, CampAddressInvalid, detect_lan_ip, normalise_address, phone_address, save_address, saved_address,
)
from stories.camps.camps import list_camps
from stories.trust.permissions import Actor, PermissionDenied
from tests.apptest import click, open_app, pictures

FACILITATOR = Actor("frida", "facilitator")


@pytest.mark.parametrize("typed,kept", [
    ("192.168.1.20:8501", "http://192.168.1.20:8501"),
    ("  http://192.168.1.20:8501/ ", "http://192.168.1.20:8501"),
    ("HTTPS://fortaellinger.example.org/lejr/", "https://fortaellinger.example.org/lejr"),
    ("http://[fd00::20]:8501", "http://[fd00::20]:8501"),
    ("", ""),
])
def test_good_addresses_are_kept_in_one_form(typed, kept):
    assert normalise_address(typed) == kept


@pytest.mark.parametrize("typed,key", [
    ("javascript:alert(1)", "camps.address.invalid"),
    ("ftp://192.168.1.20", "camps.address.invalid"),
    ("http://192.168.1.20:99999", "camps.address.invalid"),
    ("http://min computer:8501", "camps.address.invalid"),
    ("http://chef:hemmelig@192.168.1.20", "camps.address.invalid"),
    ("http://192.168.1.20:8501/?camp=X", "camps.address.invalid"),
    ("http://-huset-.dk", "camps.address.invalid"),
    ("http://" + "a" * 300 + ".dk", "camps.address.invalid"),
    ("http://localhost:8501", "camps.address.loopback"),
    ("127.0.0.1:8501", "camps.address.loopback"),
    ("http://[::1]:8501", "camps.address.loopback"),
])
def test_bad_addresses_are_refused_with_a_reason(typed, key):
    with pytest.raises(CampAddressInvalid) as refused:
        normalise_address(typed)
    assert refused.value.key == key


def test_the_address_is_kept_per_install_and_audited(db):
    assert saved_address(db) == ""
    save_address(db, "192.168.1.20:8501", actor=FACILITATOR)
    assert saved_address(db) == "http://192.168.1.20:8501"
    assert phone_address(db, "http://localhost:8501/camps", env={}) == ("http://192.168.1.20:8501", "saved")
    with pytest.raises(CampAddressInvalid):
        save_address(db, "http://localhost", actor=FACILITATOR)
    assert saved_address(db) == "http://192.168.1.20:8501"  # a refused address changes nothing
    with pytest.raises(PermissionDenied):
        save_address(db, "http://10.0.0.2:8501", actor=Actor("anna", "staff"))
    save_address(db, "", actor=FACILITATOR)
    assert saved_address(db) == ""
    entries = db.execute("SELECT actor, target FROM audit_log WHERE action = 'setting_change'").fetchall()
    assert entries == [("frida", "camp_address"), ("frida", "camp_address")]


def test_where_the_address_comes_from(db):
    lan = {LAN_ENV: "http://10.42.0.1:8501"}
    assert phone_address(db, "http://localhost:8501/camps", env=lan) == ("http://10.42.0.1:8501", "detected")
    assert phone_address(db, "http://localhost:8501/camps", env={}) == ("http://localhost:8501", "local")
    behind_caddy = "https://fortaellinger.example.org/camps?camp=ABC234"
    assert phone_address(db, behind_caddy, env=lan) == ("https://fortaellinger.example.org", "browser")


def test_the_detected_address_is_not_loopback():
    found = detect_lan_ip()
    assert found is None or not found.startswith("127.")


def test_the_camp_page_keeps_the_address_for_every_tab(db_path, monkeypatch):
    monkeypatch.setenv(LAN_ENV, "http://10.42.0.1:8501")
    load_demo(connect(db_path))
    at = open_app("app_pages/camps.py", actor=FACILITATOR)
    assert any(c.value == "Fundet automatisk: computerens adresse på netværket." for c in at.caption)
    assert any("http://10.42.0.1:8501/camp_join?camp=" in t.value for t in at.text)
    at.text_input(key="camp_address_input").input("http://localhost:8501")
    click(at, "Gem adressen")
    assert at.error[0].value.startswith("»http\\://localhost\\:8501« er denne computers egen adresse")  # escaped
    at.text_input(key="camp_address_input").input("192.168.1.20:8501")
    click(at, "Gem adressen")
    assert at.success[0].value == "Adressen er gemt: http\\://192\\.168\\.1\\.20\\:8501"
    other_tab = open_app("app_pages/camps.py", actor=FACILITATOR)  # a new session: the same link
    assert any("http://192.168.1.20:8501/camp_join?camp=" in t.value for t in other_tab.text)
    assert any(c.value == "Gemt for denne installation." for c in other_tab.caption)


def test_a_new_camp_is_the_selected_camp_everywhere(db_path):
    load_demo(connect(db_path))
    at = open_app("app_pages/camps.py", actor=FACILITATOR)
    [demo] = list_camps(connect(db_path))
    assert at.selectbox(key="camps_camp").value == demo.code
    next(w for w in at.text_input if w.label.startswith("Navn på campen")).input("Vintercamp i Nordvest")
    click(at, "Opret camp")
    new = next(c for c in list_camps(connect(db_path)) if c.code != demo.code)
    assert at.selectbox(key="camps_camp").value == new.code
    assert new.code in [t.value for t in at.text]  # its join code, not the demo camp's
    at.query_params.clear()  # the sidebar leads to another page without ?camp=
    at.switch_page("app_pages/wall.py").run()
    assert not at.exception
    assert at.title[0].value == "Vintercamp i Nordvest"
    assert new.code in [t.value for t in at.text]


def test_the_wall_says_when_a_camp_is_closed_or_unknown(db_path):
    load_demo(connect(db_path))  # the demo camp is closed
    [demo] = list_camps(connect(db_path))
    at = open_app("app_pages/wall.py", actor=FACILITATOR, query={"camp": demo.code})
    assert at.warning[0].value == "Campen er lukket for nye historier."
    assert not pictures(at)  # no QR code for a camp one cannot join
    assert at.get("metric")[0].value != "0"  # its stories are still shown
    at = open_app("app_pages/wall.py", actor=FACILITATOR, lang="en", query={"camp": "ZZZ999"})
    assert at.error[0].value.startswith("There is no camp with the code ZZZ999")
    assert not at.text


def test_the_wall_of_an_open_camp_shows_code_qr_and_stories(db_path):
    from stories.camps.camps import CampDraft, create_camp
    from stories.camps.submissions import CampSubmission, submit_camp_story

    db = connect(db_path)
    camp = create_camp(db, CampDraft(name="Forårscamp"))
    submit_camp_story(db, camp.id, CampSubmission(text="Vi byggede en hule i skoven.", significance="Jeg turde lede.",
                                                  display_name="Ræven", consent_internal=True, domain="huset"),
                      submission_key="w1")
    at = open_app("app_pages/wall.py", actor=FACILITATOR, query={"camp": camp.code})
    assert not at.exception
    assert len(pictures(at)) == 1
    shown = [t.value for t in at.text]
    assert camp.code in shown and "Vi byggede en hule i skoven." in shown and "— Ræven · Huset" in shown
    assert any(value.endswith(f"/camp_join?camp={camp.code}") for value in shown)
