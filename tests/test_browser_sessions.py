"""In a real Chromium: a session survives a reload, a new tab and a bookmark; deep links sign in
first and then show the page asked for; bad cookies give the sign-in page; sign-out ends every tab."""

import secrets

import pytest

from changestories.database import connect
from stories.trust.accounts import add_user, create_first_admin
from stories.trust.sessions import COOKIE_NAME
from tests.e2e import chromium, live_app, require_chromium, session_cookie, sign_in, sized_page

pytestmark = [pytest.mark.browser, pytest.mark.auth]

PASSWORD = "en lang og god adgangskode"


@pytest.fixture
def accounts_db(db_path):
    db = connect(db_path)
    create_first_admin(db, "chef", PASSWORD)
    add_user(db, "anna", "staff", PASSWORD)
    db.conn.close()
    return db_path


def header(page) -> str:
    heading = page.locator("h1, h2").first
    heading.wait_for()
    return heading.inner_text().strip()


def wait_header(page, text: str) -> None:
    page.locator("h1, h2", has_text=text).first.wait_for()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_reload_new_tab_and_deep_link_keep_the_session(accounts_db, size):
    require_chromium()
    with live_app(accounts_db) as url, chromium() as browser:
        page = sized_page(browser, size)
        page.goto(f"{url}/browse?q=bookmark")  # a bookmark, signed out
        wait_header(page, "Log ind")
        assert page.title() == "Log ind"
        assert page.get_by_text("Page not found").count() == 0
        sign_in(page, "anna", PASSWORD)
        wait_header(page, "Fortællinger")  # the page asked for, not the start page
        assert page.url.endswith("/browse?q=bookmark")

        cookie = session_cookie(page, COOKIE_NAME)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert "anna" not in cookie["value"] and "staff" not in cookie["value"]
        stored = connect(accounts_db).execute("SELECT token_hash FROM sessions").fetchall()
        assert [cookie["value"]] != [row[0] for row in stored]  # the server keeps only a hash

        page.reload()
        wait_header(page, "Fortællinger")
        page.get_by_text("Logget ind som anna").first.wait_for(state="attached")

        tab = page.context.new_page()
        tab.goto(f"{url}/")
        wait_header(tab, "Ny forandringsfortælling")  # staff start on a new story
        tab.goto(f"{url}/submit")  # the start page at its own address too
        wait_header(tab, "Ny forandringsfortælling")
        tab.goto(f"{url}/admin")  # not for staff: a message in Danish, not Streamlit's modal
        wait_header(tab, "Ingen adgang")
        assert tab.get_by_text("Page not found").count() == 0

        tab.goto(f"{url}/account")
        tab.locator(".st-key-trust_sign_out_page button").click()
        wait_header(tab, "Log ind")
        page.reload()  # the other tab is signed out too
        wait_header(page, "Log ind")
        tab.goto(f"{url}/browse")
        wait_header(tab, "Log ind")
        tab.goto(f"{url}/login")
        wait_header(tab, "Log ind")
        assert tab.get_by_text("Page not found").count() == 0


def test_each_role_lands_on_its_page(accounts_db):
    require_chromium()
    db = connect(accounts_db)
    add_user(db, "frida", "facilitator", PASSWORD)
    add_user(db, "eva", "evaluator", PASSWORD)
    db.conn.close()
    landing = {"chef": "Overblik", "anna": "Ny forandringsfortælling", "frida": "Fortællecamps",
               "eva": "Kod fortællinger"}
    with live_app(accounts_db) as url, chromium() as browser:
        for name, title in landing.items():
            page = sized_page(browser, "desktop")
            page.goto(f"{url}/")
            sign_in(page, name, PASSWORD)
            wait_header(page, title)
            page.context.close()


@pytest.mark.parametrize("kind", ["forged", "expired", "revoked", "garbage"])
def test_a_bad_session_cookie_gives_the_sign_in_page(accounts_db, kind):
    require_chromium()
    with live_app(accounts_db) as url, chromium() as browser:
        page = sized_page(browser, "phone")
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if kind in ("expired", "revoked"):
            page.goto(f"{url}/")
            sign_in(page, "anna", PASSWORD)
            session_cookie(page, COOKIE_NAME)
            db = connect(accounts_db)
            with db.conn:
                if kind == "expired":
                    db.execute("UPDATE sessions SET expires_at = 0")
                else:
                    db.execute("UPDATE sessions SET revoked_at = 1")
            db.conn.close()
        else:
            value = secrets.token_urlsafe(32) if kind == "forged" else "'OR'1'='1'--%C3%A6" * 200
            page.context.add_cookies([{"name": COOKIE_NAME, "value": value, "url": url}])
        page.goto(f"{url}/browse")
        wait_header(page, "Log ind")
        if kind == "expired":
            page.get_by_text("Du var inaktiv for længe").wait_for()
        assert page.get_by_text("Traceback").count() == 0
        assert page.locator("[data-testid='stException']").count() == 0
        sign_in(page, "anna", PASSWORD)  # and one can sign in again from there
        wait_header(page, "Fortællinger")
    assert errors == []


def test_the_sign_in_page_of_a_new_tab_speaks_the_chosen_language(accounts_db):
    require_chromium()
    with live_app(accounts_db) as url, chromium() as browser:
        page = sized_page(browser, "desktop")
        page.goto(f"{url}/tell")
        page.get_by_label("Sprog / Language").click()
        page.get_by_role("option", name="English").click()
        page.locator("h1, h2", has_text="Tell your story").first.wait_for()
        session_cookie(page, "changestories_lang")
        tab = page.context.new_page()
        tab.goto(f"{url}/browse")
        wait_header(tab, "Sign in")
        sign_in(tab, "anna", PASSWORD, signed_in_text="Signed in as")
        wait_header(tab, "Stories")
