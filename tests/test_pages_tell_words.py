"""AppTest: the young people's /tell form names only what the teller saw: errors under the
label shown on the form (not the internal field name), "what you wrote is kept" only when
something was written, and a read-back of only the questions the form asked."""

import pytest

from stories.i18n import t
from tests.apptest import click, open_app


@pytest.mark.parametrize("lang", ["da", "en"])
def test_an_empty_submission_names_the_questions_the_teller_saw(db_path, lang):
    at = open_app("app_pages/tell.py", lang=lang)
    click(at, t("form.continue", lang))
    errors = [e.value for e in at.error]
    question = t("tell.question", lang).rstrip(" *")
    assert any(e.startswith(question + ":") for e in errors)
    assert any(e.startswith(t("tell.significance", lang).rstrip(" *") + ":") for e in errors)
    assert not any(e.startswith(t("field.text", lang)) or e.startswith(t("field.significance", lang)) for e in errors)
    assert not any(e.startswith(t("field.consent", lang) + ":") for e in errors)
    [warning] = [w.value for w in at.warning]
    assert warning == t("form.fix_errors", lang)  # nothing was written, so nothing is "kept"


def test_the_kept_note_comes_when_something_was_written(db_path):
    at = open_app("app_pages/tell.py")
    at.text_area[0].input("Jeg kommer hver tirsdag nu.")
    click(at, "Videre")
    assert at.warning[0].value == t("form.fix_errors") + " " + t("form.draft_kept")
    assert at.text_area[0].value == "Jeg kommer hver tirsdag nu."


def test_the_read_back_shows_only_what_was_asked(db_path):
    at = open_app("app_pages/tell.py")
    at.text_area[0].input("Jeg kommer i værkstedet hver tirsdag nu.")
    at.text_area[1].input("Fordi jeg har lavet noget, jeg er stolt af.")
    next(c for c in at.checkbox if c.label.startswith("Det er okay")).check()
    click(at, "Videre")
    assert not at.exception
    assert at.subheader[0].value == t("form.review_heading")
    captions = [c.value for c in at.caption]
    for unasked in ("field.teller_role", "field.language", "field.teller_mechanism", "field.text", "field.consent"):
        assert t(unasked) not in captions
    assert t("tell.question").rstrip(" *") in captions and t("tell.feeling") in captions
    texts = [x.value for x in at.text]
    assert t("teller_role.young_person") not in texts
    assert "Jeg kommer i værkstedet hver tirsdag nu." in texts
