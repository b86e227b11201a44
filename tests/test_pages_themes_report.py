"""The report tab stays quick: quotes to choose from are found only when asked for, the report
is made only when "Lav rapport" is clicked, with a progress bar that moves section by section,
and making it reports its progress step by step."""

import io
import zipfile

from coding.themes.groups import Selection
from coding.themes.report import REPORT_STEPS, theme_report
from changestories.database import connect
from stories.visibility import StoryFilter
from stories.trust.permissions import Actor
from tests.apptest import open_app

ADMIN = Actor("eva", "admin")


def report_tab(lang=None):
    at = open_app("app_pages/themes.py", actor=ADMIN, lang=lang, timeout=90)
    at.session_state["themes_view"] = "report"
    at.run()
    assert not at.exception
    return at


def quote_pickers(at):
    return [m for m in at.pills if m.key and m.key.startswith("themes_report_quotes_")]


def test_quotes_are_found_only_when_the_user_chooses_them(demo, monkeypatch):
    import coding.themes.quotes
    import ui.themes_admin

    calls = []
    original = coding.themes.quotes.typical_stories
    counted = lambda *a, **k: calls.append(1) or original(*a, **k)  # noqa: E731
    monkeypatch.setattr(coding.themes.quotes, "typical_stories", counted)
    monkeypatch.setattr(ui.themes_admin, "typical_stories", counted)
    at = report_tab()
    assert not quote_pickers(at) and not calls
    at.toggle(key="themes_report_own").set_value(True).run()
    assert not at.exception
    assert quote_pickers(at) and calls
    found = len(calls)
    at.run()
    assert len(calls) == found, "kept in the session for the same selection and data"


def docx_parts(data: bytes) -> dict[str, bytes]:
    """The members of a DOCX but its core properties (which carry the time it was saved)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def download_buttons(at):
    return [d for d in at.get("download_button") if d.proto.label == "Hent rapporten (DOCX)"]


def make_button(at):
    return next(b for b in at.button if b.key == "themes_report_make")


def test_the_report_is_made_on_the_click_of_lav_rapport_with_progress_and_is_the_same_docx(demo, monkeypatch):
    import coding.themes.report
    import ui.themes_admin

    made, steps = [], []
    original_report = coding.themes.report.theme_report

    def recorded(*args, progress=None, **kwargs):
        made.append(1)
        return original_report(*args, progress=lambda step, done: (steps.append(step), progress(step, done)), **kwargs)

    monkeypatch.setattr(ui.themes_admin, "theme_report", recorded)
    at = report_tab()
    at.text_input(key="themes_report_title").input("Forår").run()
    assert not at.exception
    assert not made and not download_buttons(at), "rendering the tab made no report"
    make_button(at).click().run()
    assert not at.exception
    assert made == [1] and steps == list(REPORT_STEPS), "the page's bar was told every section"
    assert download_buttons(at) and any("Rapporten er klar" in s.value for s in at.success)
    data = at.session_state["themes_report_made"][1]
    want = theme_report(connect(demo), Selection(StoryFilter(languages=["da"]), (), ADMIN), purpose="evaluation",
                        lang="da", title="Forår")
    assert docx_parts(data) == docx_parts(want)
    at.run()
    assert not at.exception and made == [1] and download_buttons(at), "a rerun keeps the report made"
    at.text_input(key="themes_report_title").input("Efterår").run()
    assert not at.exception
    assert not download_buttons(at) and make_button(at), "another title: the old report is not offered"


def test_the_report_tells_every_step_in_order(demo):
    db = connect(demo)
    seen = []
    data = theme_report(db, Selection(StoryFilter(), (), ADMIN), purpose="internal",
                        progress=lambda step, done: seen.append((step, done)))
    assert data[:2] == b"PK"  # a DOCX is a zip file
    assert [s for s, _ in seen] == list(REPORT_STEPS)
    assert [d for _, d in seen] == sorted(d for _, d in seen) and all(0 <= d < 1 for _, d in seen)
