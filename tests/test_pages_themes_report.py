"""The report tab stays quick: quotes to choose from are found only when asked for, the report
is made only when its download is clicked (on another thread, with a connection of its own),
and making it reports its progress step by step."""

import io
import threading
import zipfile

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


def docx_parts(data: bytes) -> dict[str, bytes]:
    """The members of a DOCX but its core properties (which carry the time it was saved)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_the_report_is_made_on_the_click_of_its_download_and_is_the_same_docx(demo, monkeypatch):
    import coding.themes.report
    import ui.themes_admin

    made, builders = [], []
    original_report, original_builder = coding.themes.report.theme_report, ui.themes_admin.report_builder
    monkeypatch.setattr(ui.themes_admin, "theme_report", lambda *a, **k: made.append(1) or original_report(*a, **k))
    monkeypatch.setattr(ui.themes_admin, "report_builder", lambda *a: builders.append(original_builder(*a)) or builders[-1])
    at = report_tab()
    at.text_input(key="themes_report_title").input("Forår").run()
    assert not at.exception
    download = next(d for d in at.get("download_button") if d.proto.label == "Hent rapporten (DOCX)")
    assert download.proto.deferred_file_id, "the bytes are made on the click, not sent with the page"
    assert not made, "rendering the tab made no report"
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(data=builders[-1]()))  # as Streamlit calls it
    worker.start()
    worker.join()
    assert made == [1]
    want = theme_report(connect(demo), Selection(StoryFilter(languages=["da"]), (), ADMIN), purpose="evaluation",
                        lang="da", title="Forår")
    assert docx_parts(result["data"]) == docx_parts(want)


def test_the_report_tells_every_step_in_order(demo):
    db = connect(demo)
    seen = []
    data = theme_report(db, Selection(StoryFilter(), (), ADMIN), purpose="internal",
                        progress=lambda step, done: seen.append((step, done)))
    assert data[:2] == b"PK"  # a DOCX is a zip file
    assert [s for s, _ in seen] == list(REPORT_STEPS)
    assert [d for _, d in seen] == sorted(d for _, d in seen) and all(0 <= d < 1 for _, d in seen)
