"""Driving the app with Streamlit's AppTest, as a user would: one place for the page tests."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_app(page: str | None = None, *, actor=None, lang: str | None = None,
             query: dict[str, str] | None = None, timeout: int = 60) -> AppTest:
    """The app, run once, then switched to `page`; `actor` and `lang` as session state."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if actor is not None:
        at.session_state["actor"] = actor
    if lang:
        at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page).run()
        assert not at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    """Click the first button with this label and rerun."""
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def tables(at: AppTest) -> list:
    """The page's tables (`ui.table`: st.table of Markdown-escaped text) as DataFrames of the text a person reads."""
    import re

    def plain(value):
        return re.sub(r"\\(.)", r"\1", value) if isinstance(value, str) else value

    frames = []
    for element in at.table:
        frame = element.value.map(plain)
        frame.columns = [plain(c) for c in frame.columns]
        frames.append(frame)
    return frames


def pictures(at: AppTest) -> list[str]:
    """The PNG pictures the page shows (`ui.picture`: an <img> with a data URI through st.html)."""
    return [h.value for h in at.html if 'src="data:image/png;base64,' in h.value]
