"""In a real browser: a leader signs in, reads the team's choice with its reasons, chooses the most
significant story at the leadership level and writes why."""

import pytest

from changestories.database import connect
from changestories.demo import load_demo
from stories.msc.process import list_processes, panels
from stories.msc.rounds import choices, close_round, find_round, read_in_round, record_choice
from stories.trust.accounts import add_user
from tests.e2e import chromium, live_app, require_chromium, sign_in, sized_page

pytestmark = [pytest.mark.browser, pytest.mark.auth]  # signing in is part of it
DOMAIN = "tillidsfulde_relationer"
TEAM_REASONS = "Teamet valgte den, fordi en voksen blev ved, også da det var svært."
LEADER_REASONS = "Ledelsen valgte den: den viser, hvorfor vi holder fast i de faste kontaktpersoner."


def test_a_leader_chooses_a_story_with_a_reason(db_path):
    require_chromium()
    db = connect(db_path)
    load_demo(db)
    add_user(db, "chef", "admin", "Chef-kode-2026!")
    add_user(db, "leder", "staff", "Leder-kode-2026!")
    process = max(list_processes(db, kind="period"), key=lambda p: p.id)  # the open demo period
    first = find_round(db, process.id, 1, DOMAIN)
    picked = []
    for panel in panels(db, process.id, 1):
        stories = read_in_round(db, first.id, panel.id)
        if stories:
            record_choice(db, first.id, panel.id, stories[0].seq, TEAM_REASONS)
            picked.append(stories[0])
    close_round(db, first.id)
    second = find_round(db, process.id, 2, DOMAIN)
    chosen = picked[-1]
    with live_app(db_path) as url, chromium() as browser:
        page = sized_page(browser, "desktop")
        page.goto(f"{url}/msc_panel")  # a deep link: signing in lands on it
        sign_in(page, "leder", "Leder-kode-2026!")
        page.locator("h1, h2", has_text="Udvælg de mest betydningsfulde historier").first.wait_for()
        page.get_by_text(TEAM_REASONS).first.wait_for()  # the team's reasons travel up
        page.get_by_role("radiogroup", name="Den mest betydningsfulde historie").get_by_text(
            (chosen.title or chosen.text)[:30], exact=False).click()
        page.get_by_role("textbox", name="Hvorfor valgte I den?").fill(LEADER_REASONS)
        page.get_by_role("button", name="Gem valget").click()
        page.get_by_text("Valget er gemt.").wait_for()
        page.screenshot(path=str(db_path.parent / "leader.png"), full_page=True)
    [made] = choices(connect(db_path), second.id)
    assert (made.story.seq, made.reasons, made.recorded_by) == (chosen.seq, LEADER_REASONS, "leder")
