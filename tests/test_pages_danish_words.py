"""AppTest: the agreement page speaks plain words in the page's language: figures with the
language's decimal comma or point, plural forms from the catalog, and a note when Cohen's
kappa cannot be computed because three coders coded."""

import pytest

from changestories.database import connect
from coding.codebook.codes import create_codebook, list_codes
from coding.codings import WHOLE, save_coding
from stories.i18n import t
from stories.model import Consent, Story
from stories.bulk_create import create_stories
from stories.trust.permissions import Actor
from tests.apptest import open_app

LEAD = Actor("lead", "admin")


def _coded(db_path, coders: list[str]):
    db = connect(db_path)
    codebook = create_codebook(db, "", "kbh_plus")
    a, b, _ = [c.id for c in list_codes(db, codebook)]
    stories = create_stories(db, [(Story(text=f"Fortælling nummer {i} om huset.", title=f"Titel {i}",
                                         significance="Vigtigt.", site="Nord",
                                         consent=Consent(internal=True, evaluation=True)), None) for i in range(6)])
    db.execute("UPDATE stories SET awaiting_review = 0")
    db.conn.commit()
    for i, story in enumerate(stories):
        for n, coder in enumerate(coders):
            save_coding(db, story.id, {WHOLE: {b} if (n == 1 and i % 3 == 0) else {a}}, coder=coder)
    return db


@pytest.mark.parametrize("lang, sep", [("da", ","), ("en", ".")])
def test_three_coders_get_kappa_explained_and_figures_in_the_language(db_path, lang, sep):
    _coded(db_path, ["coder-a", "coder-b", "coder-c"])
    at = open_app("app_pages/agreement.py", actor=LEAD, lang=lang)
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert t("coding.agreement.kappa_many", lang) in captions
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("coding.agreement.kappa", lang)] == "–"
    alpha = metrics[t("coding.agreement.alpha", lang)]
    assert sep in alpha and ("." if sep == "," else ",") not in alpha
    share = metrics[t("coding.agreement.percent", lang)]
    assert share.endswith("\xa0%" if lang == "da" else "%") and sep in share
    labels = [e.label for e in at.expander]
    assert t("coding.agreement.how", lang) in labels
    assert not any("(er)" in label or "(s)" in label for label in labels)
    assert any(label.endswith(t("coding.agreement.n_disagreements#one", lang, n=1)) for label in labels)


def test_two_coders_get_kappa_and_no_note(db_path):
    _coded(db_path, ["coder-a", "coder-b"])
    at = open_app("app_pages/agreement.py", actor=LEAD)
    assert not at.exception
    assert t("coding.agreement.kappa_many") not in [c.value for c in at.caption]
    assert "," in {m.label: m.value for m in at.metric}[t("coding.agreement.kappa")]
