"""Which of Streamlit's own English texts a Danish user still sees, page by page.

Serves the app on the demo data, signs in as each role in a real Chromium (Debian's), opens
every page the role sees in Danish at phone (390 px) and desktop width, and collects the
visible text as `tests/english_strings.VISIBLE_TEXT_JS` defines it; prints the strings of
`tests/english_strings.STREAMLIT_ENGLISH` found on each page, the aria-labels Streamlit offers
no setting for (`UNCHANGEABLE_ARIA_LABELS`) apart.

    python -m bench.english_strings [--size phone|desktop] [--role admin ...]

A measurement, not a test (that is tests/test_browser_danish.py).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

PASSWORD = "en lang og god adgangskode"
ROLES = ("admin", "facilitator", "staff", "evaluator")
PAGES = ("overview", "submit", "tell", "browse", "review", "transfer", "camps", "wall", "camp_results", "camp_join",
         "camp_feedback", "msc_panel", "msc_feedback", "msc_processes", "msc_setup", "code", "codebook",
         "msc_monitor", "agreement", "themes", "signifiers", "patterns", "admin", "questions")


def main() -> None:
    from stories.trust.sessions import COOKIE_NAME
    from tests.e2e import chromium, demo_with_accounts, live_app, session_cookie, sign_in, sized_page
    from tests.english_strings import UNCHANGEABLE_ARIA_LABELS, VISIBLE_TEXT_JS, english_in

    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=("phone", "desktop"), action="append")
    parser.add_argument("--role", choices=ROLES, action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "english.db"
        demo_with_accounts(path, PASSWORD, ROLES)
        total = kept = 0
        with live_app(path) as url, chromium() as browser:
            for size in args.size or ("desktop", "phone"):
                for role in args.role or ROLES:
                    page = sized_page(browser, size)
                    page.goto(url + "/")
                    sign_in(page, role, PASSWORD)
                    session_cookie(page, COOKIE_NAME)
                    for name in PAGES:
                        page.goto(f"{url}/{name}")
                        try:
                            page.locator("h1, h2").first.wait_for(timeout=20_000)
                        except Exception:  # noqa: BLE001 - a page without a heading is reported, not fatal
                            print(f"{size:7} {role:11} {name:14} (no heading)")
                            continue
                        page.wait_for_timeout(2000)
                        seen = page.evaluate(VISIBLE_TEXT_JS)
                        text, aria = english_in(seen["text"]), english_in(seen["aria"], labels=True)
                        fixable = [s for s in aria if s not in UNCHANGEABLE_ARIA_LABELS]
                        unchangeable = [s for s in aria if s in UNCHANGEABLE_ARIA_LABELS]
                        total += len(text) + len(fixable)
                        kept += len(unchangeable)
                        print(f"{size:7} {role:11} {name:14} text: {', '.join(text) or '-'}; aria: "
                              f"{', '.join(fixable) or '-'}; unchangeable aria: {', '.join(unchangeable) or '-'}",
                              flush=True)
                    page.context.close()
        print(f"English strings found (page x string): {total}; unchangeable aria-labels (page x string): {kept}")


if __name__ == "__main__":
    main()
