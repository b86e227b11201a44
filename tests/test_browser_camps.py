"""End to end in a real browser: two phones join a camp by code and submit, the facilitator's wall
shows both stories as they arrive, a group records its choice with reasons, the feedback shows it."""

import pytest

from stories.camps.camps import CampDraft, camp_stories, create_camp
from changestories.database import connect
from changestories.demo import load_demo
from stories.camps.selection import add_group, open_round
from tests.e2e import chromium, live_app, phone_page, require_chromium

pytestmark = pytest.mark.browser

STORIES = {
    "Lynet": ("Jeg stod på scenen i huset og sang for første gang. <i>Ingen</i> grinede.",
              "Nu tør jeg mere, også i skolen."),
    "Skater-Sam": ("Vi byggede en rampe bag huset sammen med to voksne fra klubben.",
                   "Jeg var med til at bestemme, hvordan den skulle se ud."),
}
REASONS = "Vi valgte Lynets historie, fordi modet smitter – flere vil nu prøve scenen."


def join_and_tell(page, url, code, name, text, why):
    page.goto(f"{url}/camp_join?camp={code.lower()}")
    page.get_by_text("Fortællecamp i browseren").first.wait_for()
    page.get_by_role("textbox", name="Dit navn på væggen").fill(name)
    page.get_by_text("Huset", exact=True).click()
    areas = page.locator("textarea")
    areas.nth(0).fill(text)
    areas.nth(1).fill(why)
    page.get_by_text("Det er okay, at de voksne her bruger min historie").click()
    page.get_by_role("button", name="Videre").click()
    page.get_by_text("Hvad handler din historie om?").wait_for()
    page.get_by_role("button", name="Send historien").click()
    page.get_by_text("Tak! Din historie er sendt").wait_for()


def test_two_phones_join_the_wall_follows_and_feedback_shows_the_choice(db_path):
    require_chromium()
    db = connect(db_path)
    camp = create_camp(db, CampDraft(name="Fortællecamp i browseren", domains=["huset"], levels=["team"]))
    with live_app(db_path) as url, chromium() as browser:
        wall = browser.new_page(viewport={"width": 1280, "height": 800})
        wall.set_default_timeout(30_000)
        wall.goto(f"{url}/wall?camp={camp.code}")
        wall.get_by_text("Ingen historier endnu").wait_for()

        phones = [phone_page(browser), phone_page(browser)]  # separate contexts: separate sessions
        for phone, (name, (text, why)) in zip(phones, STORIES.items()):
            join_and_tell(phone, url, camp.code, name, text, why)

        for name, (text, _) in STORIES.items():  # the wall refreshes itself, no reload
            wall.get_by_text(text, exact=True).wait_for()
            wall.get_by_text(f"— {name} · Huset", exact=True).wait_for()
        assert wall.locator("i", has_text="Ingen").count() == 0  # story text shown as text
        wall.screenshot(path=str(db_path.parent / "wall.png"), full_page=True)
        assert sorted(s.display_name for s in camp_stories(db, camp.id)) == sorted(STORIES)

        add_group(db, camp.id, 1, "Plenum")
        open_round(db, camp.id, 1, "huset")
        facilitator = browser.new_page(viewport={"width": 1280, "height": 900})
        facilitator.set_default_timeout(30_000)
        facilitator.goto(f"{url}/camps?camp={camp.code}")
        facilitator.get_by_role("tab", name="Udvælgelse").click()
        first_story = STORIES["Lynet"][0]
        facilitator.get_by_role("radiogroup", name="Den mest betydningsfulde historie").get_by_text(
            first_story[:40], exact=False).click()
        facilitator.get_by_role("textbox", name="Hvorfor valgte I den?").fill(REASONS)
        facilitator.get_by_role("button", name="Gem valget").click()
        facilitator.get_by_text("Valget for Plenum er gemt.").wait_for()

        phone = phones[0]
        phone.get_by_role("link", name="Se hvilke historier der blev valgt, og hvorfor").click()
        phone.get_by_text("Tilbagemelding fra fortællecampen").wait_for()
        # the public feedback page is a publication: the name in the reason is pseudonymised
        phone.get_by_text(REASONS.replace("Lynets", "[Person 1]"), exact=True).wait_for()
        assert "Lynets" not in phone.inner_text("body")
        phone.get_by_text(first_story, exact=True).wait_for()
        phone.screenshot(path=str(db_path.parent / "feedback-phone.png"), full_page=True)


def test_choosing_a_point_in_the_ternary_plot_opens_its_story(db_path):
    require_chromium()
    load_demo(connect(db_path))
    with live_app(db_path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(f"{url}/signifiers")
        page.get_by_text("30 historier i trekanten").wait_for()
        points = page.locator("g.ternary path.point")
        points.first.wait_for()
        assert points.count() == 30  # every demo story with a triangle answer
        assert page.get_by_text("Hvorfor er forandringen vigtig?").count() == 0
        points.nth(5).click(force=True)  # plotly redraws the points after loading
        page.get_by_text("Hvorfor er forandringen vigtig?").wait_for()
