"""In a real browser, in Danish, while a person TYPES and SEARCHES: no page shows Streamlit's English
(issue 15). The walk of `test_browser_danish` looks at pages as they open; this one uses them.

On every page a role opens (and the public pages signed out), in every tab and with every expander
opened: each visible text field, text area and number field is focused and typed in (a few letters,
a number out of any range), the visible text is collected while it has the focus and again once it
has left it (Tab); each select and multi-select is opened, typed in where typing is possible (a word
no option matches) and closed with Escape; every chip of each group of chips (`ui.choose_many`) is
chosen, where a multi-select with every option chosen opened on "No results". Nothing is submitted and Enter is never pressed; the
server runs on a throwaway copy of the demo. What is collected is `tests/english_strings.VISIBLE_TEXT_JS`
(text and aria-labels apart); no string of `STREAMLIT_ENGLISH` may be in the text, none outside
`UNCHANGEABLE_ARIA_LABELS` in the aria-labels.

One server and one browser for the module; one test per role and width. The module shares an xdist group
with `test_browser_danish`, so the two walks run one after the other on one worker.
"""

from __future__ import annotations

import pytest

from tests.e2e import chromium, demo_with_accounts, live_app, require_chromium, session_cookie, sign_in, sized_page
from tests.english_strings import UNCHANGEABLE_ARIA_LABELS, VISIBLE_TEXT_JS, english_in
from tests.test_browser_danish import PASSWORD, PUBLIC, ROLES, SETTLED_JS, WALK_WAIT_MS, signed_in_nav_paths

# The two walks through every page of every role run on one pytest-xdist worker, one after the
# other (`--dist loadgroup` in the Makefile): side by side, two servers and two browsers on a
# two-core CI machine starved each other until a page load passed its wait.
pytestmark = [pytest.mark.browser, pytest.mark.auth, pytest.mark.xdist_group("danish_walks")]

# One-line fields, text areas and number fields (not a select's own input, not the file field's).
FIELDS = ", ".join(f'[data-testid="{area}"] {kind}' for area in ("stMain", "stSidebar") for kind in (
    'input[type="text"]:not([role="combobox"])', 'input[type="password"]', 'input[type="number"]',
    'input[type="search"]', "textarea"))
SELECTS = ", ".join(f'[data-testid="{area}"] [data-testid="{kind}"] input' for area in ("stMain", "stSidebar")
                    for kind in ("stSelectbox", "stMultiSelect"))
MULTISELECTS = ", ".join(f'[data-testid="{area}"] [data-testid="stMultiSelect"] input' for area in ("stMain", "stSidebar"))
CHIP_GROUPS = ", ".join(f'[data-testid="{area}"] [data-testid="stButtonGroup"]:has([data-variant="pills"])'
                        for area in ("stMain", "stSidebar"))
TABS = '[data-testid="stMain"] [role="tab"]'
CLOSED_EXPANDERS = '[data-testid="stMain"] details:not([open]) > summary'
PAINTED_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
ON_SCREEN_JS = "(el) => { const r = el.getBoundingClientRect(); return r.right > 0 && r.left < innerWidth; }"
MAX_PER_KIND = 40  # fields or selects per tab: enough for every page of the demo, bounded for a long list


@pytest.fixture(scope="module")
def typing_app(tmp_path_factory):
    require_chromium()
    path = tmp_path_factory.mktemp("danish_typing") / "demo.db"
    demo_with_accounts(path, PASSWORD, ROLES)
    with live_app(path, env={"CHANGESTORIES_AUTH": "on"}) as url, chromium() as browser:
        yield url, browser


class Seen:
    """The Streamlit English found, per (page, what was done)."""

    def __init__(self):
        self.text: dict[tuple[str, str], list[str]] = {}
        self.aria: dict[tuple[str, str], list[str]] = {}
        self.done: list[tuple[str, str]] = []

    def look(self, page, where: str, action: str) -> None:
        page.evaluate(PAINTED_JS)  # what the last key or click changed is on the screen
        seen = page.evaluate(VISIBLE_TEXT_JS)
        self.done.append((where, action))
        text = english_in(seen["text"])
        aria = [s for s in english_in(seen["aria"], labels=True) if s not in UNCHANGEABLE_ARIA_LABELS]
        if text:
            self.text.setdefault((where, action), text)
        if aria:
            self.aria.setdefault((where, action), aria)


def _settle(page) -> None:
    page.wait_for_function(SETTLED_JS, timeout=120_000)


def _usable(element) -> bool:
    """Shown and within reach: not in a closed tab, not in the phone's sidebar slid out to the left."""
    return element.is_visible() and element.evaluate(ON_SCREEN_JS)


def _open_expanders(page) -> None:
    for _ in range(30):  # one at a time: opening one changes the list (and may show another inside it)
        closed = page.locator(CLOSED_EXPANDERS)
        summary = next((closed.nth(i) for i in range(closed.count()) if closed.nth(i).is_visible()), None)
        if summary is None:
            return
        summary.click()
        _settle(page)


def _type_in_fields(page, seen: Seen, where: str) -> None:
    fields = page.locator(FIELDS)
    for i in range(min(fields.count(), MAX_PER_KIND)):
        field = fields.nth(i)
        try:
            if not _usable(field) or not field.is_editable():
                continue
            label = field.get_attribute("aria-label") or field.get_attribute("id") or str(i)
            number = field.get_attribute("type") == "number"
            field.click()
            field.fill("99999" if number else "xqz")  # a number above every range the app sets
            seen.look(page, where, f"typing in {label}")
            field.press("Tab")  # leaving the field applies it (a number out of range is refused here)
            _settle(page)
            seen.look(page, where, f"after {label}")
        except Exception as exc:  # noqa: BLE001 - a rerun replaced the field; the next one is tried
            if "Timeout" in type(exc).__name__:
                raise
            continue


def _open_selects(page, seen: Seen, where: str) -> None:
    selects = page.locator(SELECTS)
    for i in range(min(selects.count(), MAX_PER_KIND)):
        select = selects.nth(i)
        try:
            if not _usable(select) or select.is_disabled():
                continue
            label = select.get_attribute("aria-label") or str(i)
            select.click()
            seen.look(page, where, f"opening {label}")
            if select.is_editable():
                page.keyboard.type("zqxw")  # matches no option
                seen.look(page, where, f"searching {label}")
            page.keyboard.press("Escape")
            page.keyboard.press("Escape")
            _settle(page)
        except Exception as exc:  # noqa: BLE001 - a rerun replaced the select; the next one is tried
            if "Timeout" in type(exc).__name__:
                raise
            continue


def _choose_everything(page, seen: Seen, where: str) -> None:
    """Every option of each group of chips (`ui.choose_many`) chosen, and each multi-select (none is left:
    `test_danish_widgets`) filled with every option and opened again: where Streamlit's multi-select said
    "No results" in English."""
    groups = page.locator(CHIP_GROUPS)
    for g in range(min(groups.count(), MAX_PER_KIND)):
        group = groups.nth(g)
        try:
            if not _usable(group):
                continue
            chips = group.locator('button[aria-pressed="false"]')
            for _ in range(MAX_PER_KIND):  # one at a time: a chip chosen outside a form reruns the page
                if chips.count() == 0 or not chips.first.is_enabled():
                    break
                chips.first.click()
                _settle(page)
            chosen = group.locator('button[aria-pressed="true"]').count()
            seen.look(page, where, f"choosing every chip of {group.get_attribute('class') or g}: {chosen} chosen")
        except Exception as exc:  # noqa: BLE001 - a rerun replaced the group; the next one is tried
            if "Timeout" in type(exc).__name__:
                raise
            continue
    selects = page.locator(MULTISELECTS)
    for i in range(min(selects.count(), MAX_PER_KIND)):
        select = selects.nth(i)
        try:
            if not _usable(select) or select.is_disabled():
                continue
            label = select.get_attribute("aria-label") or str(i)
            for _ in range(MAX_PER_KIND):
                select.click()
                options = page.locator('[role="option"]')
                if options.count() == 0:
                    break
                options.first.click()
                _settle(page)
            seen.look(page, where, f"opening {label} with every option chosen")
            page.keyboard.press("Escape")
            _settle(page)
        except Exception as exc:  # noqa: BLE001 - a rerun replaced the select; the next one is tried
            if "Timeout" in type(exc).__name__:
                raise
            continue


def _use_page(page, url: str, path: str, seen: Seen) -> None:
    page.goto(f"{url}/{path}", timeout=90_000)  # generous waits, not timings: CI's cores are shared
    page.locator('[data-testid="stMain"]').first.wait_for(timeout=90_000)
    _settle(page)
    tabs = page.locator(TABS)
    for t in range(max(1, tabs.count())):
        where = path or "(start page)"
        if tabs.count() > t:
            tab = tabs.nth(t)
            if not _usable(tab):  # a tab inside another tab that is not chosen now
                continue
            where = f"{where} › {tab.inner_text().strip()}"
            tab.click()
            _settle(page)
        _open_expanders(page)
        seen.look(page, where, "opened")
        _type_in_fields(page, seen, where)
        _open_selects(page, seen, where)
        _choose_everything(page, seen, where)


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("who", ["signed out", *ROLES])
def test_typing_and_searching_shows_no_streamlit_english(typing_app, who, size):
    from stories.trust.sessions import COOKIE_NAME

    url, browser = typing_app
    seen = Seen()
    page = sized_page(browser, size, wait_ms=WALK_WAIT_MS)
    try:
        if who == "signed out":
            paths = list(PUBLIC)
        else:
            page.goto(url + "/")
            sign_in(page, who, PASSWORD)
            session_cookie(page, COOKIE_NAME)
            paths = signed_in_nav_paths(page)
            assert len(paths) > len(PUBLIC), paths  # the role's own pages, not the public ones
        for path in paths:
            _use_page(page, url, path, seen)
    finally:
        page.context.close()
    # fields were typed in (and, signed in, selects opened) on the pages, not only the pages opened
    typed = {where.split(" › ")[0] for where, action in seen.done if action.startswith("typing in")}
    assert len(typed) >= len(paths) // 2, seen.done
    assert who == "signed out" or any(action.startswith("opening") for _, action in seen.done), seen.done
    assert any(action.startswith("choosing every chip") and not action.endswith(": 0 chosen")
               for _, action in seen.done), seen.done  # chips were chosen, not only found
    assert seen.text == {}
    assert seen.aria == {}


def test_enter_in_a_camp_code_joins_the_camp(typing_app):
    """The code form has no English "Press Enter to submit form", and Enter still sends the code (`ui.form_enter`)."""
    from stories.camps.demo import DEMO_CODE

    url, browser = typing_app
    page = sized_page(browser, "phone")
    try:
        page.goto(f"{url}/camp_join")
        field = page.get_by_role("textbox", name="Campkode", exact=True)
        field.fill(DEMO_CODE.lower())
        assert english_in(page.evaluate(VISIBLE_TEXT_JS)["text"]) == []
        field.press("Enter")
        page.wait_for_url(f"**camp={DEMO_CODE}**")  # the code went into the page's address: the camp opens
        page.get_by_role("heading", name="Fortællecamp efterår 2026 (demo)").wait_for()
    finally:
        page.context.close()
