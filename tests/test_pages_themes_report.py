"""The report tab stays quick: quotes to choose from are found only when asked for, and making
the report shows its progress step by step."""


from coding.themes.groups import Selection
from coding.themes.report import REPORT_STEPS, theme_report
from changestories.database import connect
from stories.storage import StoryFilter
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
    return [m for m in at.multiselect if m.key and m.key.startswith("themes_report_quotes_")]


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


def test_making_the_report_shows_progress_and_offers_the_docx(demo):
    at = report_tab()
    next(b for b in at.button if b.key == "themes_report_make").click().run()
    assert not at.exception
    assert [p.proto.text for p in at.get("progress")] == ["Rapporten er klar."]
    assert "Hent rapporten (DOCX)" in {d.proto.label for d in at.get("download_button")}


def test_the_report_tells_every_step_in_order(demo):
    db = connect(demo)
    seen = []
    data = theme_report(db, Selection(StoryFilter(), (), ADMIN), purpose="internal",
                        progress=lambda step, done: seen.append((step, done)))
    assert data[:2] == b"PK"  # a DOCX is a zip file
    assert [s for s, _ in seen] == list(REPORT_STEPS)
    assert [d for _, d in seen] == sorted(d for _, d in seen) and all(0 <= d < 1 for _, d in seen)
