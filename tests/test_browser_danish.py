"""In a real browser, in Danish: every page every role sees, at phone (390 px) and desktop width,
shows none of Streamlit's own English texts (issue 15).

One server on the demo data with sign-in on; one browser; one context per role and width. A page's
visible text is collected as `tests/english_strings.VISIBLE_TEXT_JS` defines it (text of rendered
elements without icon names, placeholders, titles; aria-labels apart) once its script has finished.
"""

from __future__ import annotations

import pytest

from tests.e2e import chromium, demo_with_accounts, live_app, require_chromium, session_cookie, sign_in, sized_page
from tests.english_strings import STREAMLIT_ENGLISH, UNCHANGEABLE_ARIA_LABELS, VISIBLE_TEXT_JS, english_in

# The two walks through every page of every role run on one pytest-xdist worker, one after the
# other (`--dist loadgroup` in the Makefile): side by side, two servers and two browsers on a
# two-core CI machine starved each other until a page load passed its wait.
pytestmark = [pytest.mark.browser, pytest.mark.auth, pytest.mark.xdist_group("danish_walks")]

PASSWORD = "en lang og god adgangskode"
WALK_WAIT_MS = 90_000  # how long a step of the walk waits for the page (a wait, not a timing)
ROLES = ("admin", "facilitator", "staff", "evaluator")
PUBLIC = ("", "tell", "camp_join", "camp_feedback")  # what a signed-out visitor (a young person) opens
ON_SCREEN_JS = "(el) => { const r = el.getBoundingClientRect(); return r.right > 0 && r.left < innerWidth; }"
SETTLED_JS = """async () => {  // the script has finished and stayed finished (a rerun may follow a first run)
  // ... and the page's aria-label script (ui.aria_labels) is running in this document
  const idle = () => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')
    === 'notRunning' && Boolean(window.__changestoriesLabels?.observer);
  for (let calm = 0; calm < 2;) { await new Promise((r) => setTimeout(r, 200)); calm = idle() ? calm + 1 : 0; }
  return true; }"""


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    require_chromium()
    path = tmp_path_factory.mktemp("danish") / "danish.db"
    demo_with_accounts(path, PASSWORD, ROLES)
    with live_app(path, env={"CHANGESTORIES_AUTH": "on"}) as url, chromium() as browser:
        yield url, browser


NAV_SHOWS_ROLE_JS = f"() => document.querySelectorAll('[data-testid=stSidebarNav] a').length > {len(PUBLIC)}"
TOOLTIP_TARGETS = '[data-testid="stTooltipHoverTarget"]'
TOOLTIP = '[data-testid="stTooltipContent"]'
MAX_TOOLTIPS = 30  # per page: every one of the demo's, bounded for a long list


def _tooltips(page) -> list[str]:
    """The text of each hover tooltip on the page (a button's help), shown one at a time by hovering its target."""
    said = []
    targets = page.locator(TOOLTIP_TARGETS)
    for i in range(min(targets.count(), MAX_TOOLTIPS)):
        target = targets.nth(i)
        if not target.is_visible():
            continue
        target.hover()
        tip = page.locator(TOOLTIP).first
        tip.wait_for(timeout=90_000)
        said.append(tip.inner_text().strip())
        page.mouse.move(0, 0)
        tip.wait_for(state="hidden", timeout=90_000)
    return said


def _visit(page, url: str) -> dict:
    page.goto(url, timeout=90_000)  # generous waits, not timings: CI's two cores are shared by two workers
    page.locator('[data-testid="stMain"]').first.wait_for(timeout=90_000)
    page.wait_for_function(SETTLED_JS, timeout=120_000)
    seen = page.evaluate(VISIBLE_TEXT_JS)
    sidebar = page.locator('[data-testid="stSidebarHeader"]')
    if sidebar.count() and sidebar.first.evaluate(ON_SCREEN_JS):  # the sidebar's collapse button shows on hover
        sidebar.first.hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').first.wait_for(timeout=90_000)
        seen["aria"] += page.evaluate(VISIBLE_TEXT_JS)["aria"]
    seen["text"] += _tooltips(page)
    return seen


def signed_in_nav_paths(page) -> list[str]:
    """The pages in the navigation once it lists more than the public ones. The sidebar's "Logget
    ind som" is drawn before the signed-in run sends its navigation, so right after sign-in the
    public list may still show (a wait, not a timing)."""
    page.wait_for_function(SETTLED_JS, timeout=120_000)
    page.wait_for_function(NAV_SHOWS_ROLE_JS, timeout=120_000)
    hrefs = page.locator('[data-testid="stSidebarNav"] a').evaluate_all("els => els.map(e => e.pathname)")
    return sorted({h.strip("/").rsplit("/", 1)[-1] for h in hrefs})


def _walk(url: str, browser, size: str) -> tuple[dict, dict]:
    """Per (who, page): the Streamlit English in the visible text, and in the aria-labels."""
    from stories.trust.sessions import COOKIE_NAME

    text_hits, aria_hits = {}, {}
    page = sized_page(browser, size, wait_ms=WALK_WAIT_MS)
    for path in PUBLIC:
        seen = _visit(page, f"{url}/{path}")
        text_hits[("signed out", path or "login")] = english_in(seen["text"])
        aria_hits[("signed out", path or "login")] = english_in(seen["aria"], labels=True)
    page.context.close()
    for role in ROLES:
        page = sized_page(browser, size, wait_ms=WALK_WAIT_MS)
        page.goto(url + "/")
        sign_in(page, role, PASSWORD)
        session_cookie(page, COOKIE_NAME)
        paths = signed_in_nav_paths(page)
        assert len(paths) >= 5, (role, paths)  # the role's pages were found in the navigation
        for path in paths:
            seen = _visit(page, f"{url}/{path}")
            text_hits[(role, path)] = english_in(seen["text"])
            aria_hits[(role, path)] = english_in(seen["aria"], labels=True)
        page.context.close()
    return text_hits, aria_hits


@pytest.fixture(scope="module")
def walked(demo_app):
    """Each width walked once, when a test first asks for it."""
    url, browser = demo_app
    done = {}

    class Walks(dict):
        def __missing__(self, size):  # a walk that failed fails every test that asks for it, without a second walk
            if size not in done:
                try:
                    done[size] = _walk(url, browser, size)
                except Exception as exc:  # noqa: BLE001 - kept and raised again below
                    done[size] = exc
            if isinstance(done[size], Exception):
                raise done[size]
            return done[size]

    return Walks()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_page_shows_streamlits_english(walked, size):
    text_hits, aria_hits = walked[size]
    assert len(text_hits) > 20  # every role's pages were visited
    shown = {where: found for where, found in text_hits.items() if found}
    assert shown == {}
    fixable = {where: [s for s in found if s not in UNCHANGEABLE_ARIA_LABELS] for where, found in aria_hits.items()}
    assert {where: found for where, found in fixable.items() if found} == {}


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_page_has_an_english_aria_label(walked, size):
    """What a screen reader says is Danish too: Streamlit's own English aria-labels (the sidebar, the
    navigation, a select's "Open", the password field's "Show password" …) are said in Danish by
    `ui.aria_labels`, the collapse button's as the sidebar is hovered."""
    _, aria_hits = walked[size]
    assert {where: found for where, found in aria_hits.items() if found} == {}


def test_the_lists_agree():
    assert set(UNCHANGEABLE_ARIA_LABELS) <= set(STREAMLIT_ENGLISH)  # every one is looked for
