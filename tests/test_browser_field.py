"""In a real Chromium: the wall on a 1920×1080 projector in its own signed-in window, new stories
appearing without a click; no page asks any other host for anything; `serve --lan`."""

import re
from urllib.parse import urlsplit

import pytest

from changestories.database import connect
from changestories.demo import load_demo
from stories.camps.camps import CampDraft, create_camp, list_camps
from stories.camps.submissions import CampSubmission, submit_camp_story
from stories.trust.accounts import add_user, create_first_admin
from tests.apptest import ROOT
from tests.e2e import chromium, live_app, require_chromium, sign_in, sized_page

pytestmark = [pytest.mark.browser, pytest.mark.auth]

PASSWORD = "en lang og god adgangskode"
PROJECTOR = {"width": 1920, "height": 1080}


def page_paths() -> list[str]:
    """Every page's address, from the router."""
    return re.findall(r'page\("app_pages/(\w+)\.py"', (ROOT / "app.py").read_text(encoding="utf-8"))


def tell(db, camp, n: int) -> None:
    submit_camp_story(db, camp.id, CampSubmission(
        text=f"Historie {n}: vi byggede en hule i skoven, og jeg turde lede gruppen.", significance="Jeg tør mere.",
        title=f"Hulen {n}", display_name=f"Ræven {n}", consent_internal=True, domain="huset"),
        submission_key=f"wall-{n}")


def wait_for_wall_style(page) -> None:
    """Wait until the wall's own CSS applies: on a first render it arrives a moment after the elements."""
    page.wait_for_function(
        "() => { const e = document.querySelector(\".st-key-wall_code [data-testid='stText']\");"
        " return e !== null && getComputedStyle(e).fontWeight === '800'; }")


def test_the_wall_on_a_projector_beside_the_camp_page(db_path):
    require_chromium()
    db = connect(db_path)
    create_first_admin(db, "chef", PASSWORD)
    add_user(db, "frida", "facilitator", PASSWORD)
    camp = create_camp(db, CampDraft(name="Forårscamp i Sydhavn", prompt="Fortæl om en forandring i år."))
    tell(db, camp, 1)
    db.conn.close()
    with live_app(db_path) as url, chromium() as browser:
        controls = sized_page(browser, "desktop")
        controls.goto(f"{url}/")
        sign_in(controls, "frida", PASSWORD)
        controls.locator("h1, h2", has_text="Fortællecamps").first.wait_for()
        with controls.context.expect_page() as opened:
            controls.get_by_role("link", name="Åbn fortællevæggen i et nyt vindue").click()
        wall = opened.value
        wall.set_viewport_size(PROJECTOR)
        wall.get_by_text("Ræven 1", exact=False).first.wait_for()  # signed in: the wall, not the join form
        assert urlsplit(wall.url).path == "/wall"
        wait_for_wall_style(wall)  # the sidebar is hidden by the page's own CSS

        assert not wall.get_by_test_id("stSidebar").is_visible()
        assert wall.get_by_text("Logget ind som").count() == 0 or not wall.get_by_text("Logget ind som").first.is_visible()
        code = wall.locator(".st-key-wall_code [data-testid='stText']")
        assert code.inner_text().strip() == camp.code
        assert float(code.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 80
        qr = wall.locator(".st-key-wall_join img")
        qr.wait_for()
        wall.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
        box, panel = qr.bounding_box(), wall.locator(".st-key-wall_join").bounding_box()
        assert box["width"] >= 400 and box["height"] >= 400  # about 60 cm on a 3 m wide projection
        assert panel["x"] <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"]  # no spill
        assert box["y"] + box["height"] <= PROJECTOR["height"]  # on the screen without scrolling
        assert wall.evaluate("document.documentElement.scrollWidth") <= PROJECTOR["width"]  # no sideways scroll
        story = wall.locator("[class*='st-key-wall_story'] [data-testid='stText']").first
        assert float(story.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 24

        db = connect(db_path)
        tell(db, camp, 2)  # a phone sends a story: it appears without anyone clicking
        db.conn.close()
        wall.get_by_text("Ræven 2", exact=False).first.wait_for()
        wall.screenshot(path=str(db_path.parent / "wall-1920.png"))

        controls.get_by_role("tab", name="Grupper").click()  # the camp page goes on beside the wall
        controls.get_by_text("Lav grupper på hvert niveau", exact=False).wait_for()
        wall.get_by_text("Ræven 2", exact=False).first.wait_for()

        controls.goto(f"{url}/account")  # signing out in the controls ends the wall's session too
        controls.locator(".st-key-trust_sign_out_page button").click()
        controls.locator("h1, h2", has_text="Log ind").first.wait_for()
        wall.locator("h1, h2", has_text="Log ind").first.wait_for()  # by itself, at its next refresh
        assert wall.get_by_text("Ræven 2", exact=False).count() == 0


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_page_asks_another_host(db_path, size):
    require_chromium()
    db = connect(db_path)
    load_demo(db)
    create_first_admin(db, "chef", PASSWORD)
    [demo] = list_camps(db)
    db.conn.close()
    with live_app(db_path) as url, chromium() as browser:
        page = sized_page(browser, size)
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        for path in ("tell", "camp_join", "login"):  # signed out
            page.goto(f"{url}/{path}?camp={demo.code}")
            page.locator("h1, h2, h3").first.wait_for()
        page.goto(f"{url}/login")
        sign_in(page, "chef", PASSWORD)
        for path in page_paths():
            page.goto(f"{url}/{path}?camp={demo.code}")
            page.locator("h1, h2, h3").first.wait_for()
            page.wait_for_load_state("networkidle")
        here = urlsplit(url).netloc
        elsewhere = sorted({u for u in asked if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                            and urlsplit(u).netloc != here})
        assert elsewhere == []
        assert len(asked) > 50  # the pages were really loaded


def test_serve_lan_gives_camp_links_the_network_address(db_path):
    require_chromium()
    from stories.camps.address import detect_lan_ip

    lan = detect_lan_ip()
    if lan is None:
        pytest.skip("this machine has no network address besides loopback")
    db = connect(db_path)
    create_first_admin(db, "chef", PASSWORD)
    camp = create_camp(db, CampDraft(name="Campen i stuen"))
    db.conn.close()
    with live_app(db_path, serve_args=("--lan",)) as url, chromium() as browser:
        port = urlsplit(url).port
        phone = sized_page(browser, "phone")
        phone.goto(f"http://{lan}:{port}/camp_join?camp={camp.code}")  # listening on the network
        phone.get_by_text("Campen i stuen").first.wait_for()
        page = sized_page(browser, "desktop")
        page.goto(f"{url}/camps?camp={camp.code}")
        sign_in(page, "chef", PASSWORD)
        page.get_by_text("Fundet automatisk: computerens adresse på netværket.").wait_for()
        page.get_by_text(f"http://{lan}:{port}/camp_join?camp={camp.code}").first.wait_for()


def test_the_wall_on_a_phone_puts_the_code_first(db_path):
    require_chromium()
    db = connect(db_path)
    create_first_admin(db, "chef", PASSWORD)
    camp = create_camp(db, CampDraft(name="Campen i stuen"))
    tell(db, camp, 1)
    db.conn.close()
    with live_app(db_path) as url, chromium() as browser:
        page = sized_page(browser, "phone")
        page.goto(f"{url}/wall?camp={camp.code}")  # a bookmark: sign in first, then the wall
        sign_in(page, "chef", PASSWORD)
        page.get_by_text("Ræven 1", exact=False).first.wait_for()
        code = page.locator(".st-key-wall_code [data-testid='stText']")
        assert code.inner_text().strip() == camp.code
        story = page.locator("[class*='st-key-wall_story']").first
        assert code.bounding_box()["y"] < story.bounding_box()["y"]  # the code and QR first, styled or not
        wait_for_wall_style(page)
        assert code.bounding_box()["y"] < story.bounding_box()["y"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
