"""Feedback per period and level: what was chosen, why and how; a DOCX; whether it was sent."""

import io

import pytest
from docx import Document

from stories.msc.errors import MscInvalid
from stories.msc.feedback import feedback, mark_sent, sent_feedback
from stories.msc.feedback_docx import feedback_docx
from stories.msc.verification import verify_story
from stories.trust.permissions import Actor, PermissionDenied
from tests.test_msc_history import chosen  # noqa: F401  (the fixtures)
from tests.test_msc_selection import cycle  # noqa: F401


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_each_level_shows_what_was_chosen_why_and_how(chosen):
    db, s, ids = chosen
    process_id = db.execute("SELECT id FROM msc_processes").fetchone()[0]
    team, lead, fund = feedback(db, process_id)
    assert [(c.panel, c.story.seq, c.reasons) for c in team.chosen] == [
        ("Team Nordvest", s["nv1"], "Karen Holm fortalte os, at hun turde."), ("Team Valby", s["va1"], "Han kom tilbage.")]
    assert (team.chosen[0].votes, team.chosen[0].voters, team.chosen[0].others) == (4, 1, 1)
    [top] = lead.chosen
    assert top.discussion == "Enige." and [r.reasons for r in top.earlier] == ["Han kom tilbage."]
    assert not top.verified and fund.chosen == ()


def test_the_docx_marks_unverified_stories_and_the_sent_feedback(chosen):
    db, s, ids = chosen
    process_id = db.execute("SELECT id FROM msc_processes").fetchone()[0]
    verify_story(db, ids[s["nv1"]], "Mette", "2026-04-01", "teller")
    mark_sent(db, process_id, 1, "Huset Nordvest", "Læst op på husmødet.")
    text = docx_text(feedback_docx(db, process_id))
    assert "Tilbagemelding: Udvælgelse forår 2026" in text and "Periode: Forår 2026 (2026-01-01 – 2026-06-30)" in text
    assert "Hvorfor: Han kom tilbage." in text and "Hvordan: 4 stemmer fra 1 (andre historier med stemmer: 1)" in text
    assert "Drøftelsen: Enige." in text and "Sendt til Huset Nordvest" in text
    assert text.count("Ikke verificeret") == 2  # va1 at two levels; nv1 was verified
    english = docx_text(feedback_docx(db, process_id, "en"))
    assert "Level 2: Ledelse" in english and "Not verified" in english


def test_evaluators_read_the_feedback_pseudonymised(chosen):
    db, s, ids = chosen
    process_id = db.execute("SELECT id FROM msc_processes").fetchone()[0]
    evaluator = Actor("eva", "evaluator")
    team = feedback(db, process_id, actor=evaluator)[0]
    assert "Karen Holm" not in team.chosen[0].reasons and "[Person 1]" in team.chosen[0].reasons
    assert "Karen Holm" not in docx_text(feedback_docx(db, process_id, actor=evaluator))
    with pytest.raises(PermissionDenied):
        feedback(db, process_id, actor=Actor("public", "public"))


@pytest.mark.parametrize("level,audience,key", [
    (1, "", "msc.error.audience"),
    (1, "x" * 121, "msc.error.audience"),
    (3, "Fonden", "msc.error.nothing_to_feed_back"),
    (9, "Fonden", "msc.error.level"),
])
def test_bad_feedback_records_are_refused(chosen, level, audience, key):
    db, s, ids = chosen
    process_id = db.execute("SELECT id FROM msc_processes").fetchone()[0]
    with pytest.raises(MscInvalid) as caught:
        mark_sent(db, process_id, level, audience)
    assert caught.value.key == key
    assert sent_feedback(db, process_id) == []


def test_only_those_who_run_the_process_record_feedback_sent(chosen):
    db, s, ids = chosen
    process_id = db.execute("SELECT id FROM msc_processes").fetchone()[0]
    with pytest.raises(PermissionDenied):
        mark_sent(db, process_id, 1, "Huset", actor=Actor("mette", "staff"))


# --- pages -------------------------------------------------------------------------

def test_feedback_page_verify_and_mark_sent(chosen, db_path, monkeypatch):
    from changestories.database import connect
    from tests.apptest import open_app

    db, s, ids = chosen
    # the fixture's database lives in memory: copy it into the page's file
    target = connect(db_path)
    db.conn.backup(target.conn)
    at = open_app("app_pages/msc_feedback.py")
    assert at.header[0].value == "Tilbagemelding: hvad blev valgt, hvorfor og hvordan"
    texts = [t.value for t in at.text]
    assert "Han kom tilbage." in texts and "Karen Holm fortalte os, at hun turde." in texts
    assert any(c.value == "Ikke verificeret" for c in at.caption)
    assert at.get("download_button")
    at.text_input(key="msc_audience_1").input("Huset Valby")
    next(b for b in at.button if b.proto.form_id == f"msc_sent_1_1").click().run()
    assert not at.exception and at.success[0].value == "Det er noteret, at tilbagemeldingen er sendt."
    at.text_input(key=f"msc_verify_by_2_{s['va1']}").input("Jonas")
    next(b for b in at.button if b.proto.form_id == f"msc_verify_2_{s['va1']}").click().run()
    assert not at.exception and at.success[0].value == "Verificeringen er gemt."
    check = connect(db_path)
    assert check.execute("SELECT audience FROM msc_feedback").fetchall() == [("Huset Valby",)]
    assert check.execute("SELECT checked_by, method FROM msc_verifications").fetchall() == [("Jonas", "teller")]


def test_a_storys_own_page_shows_how_far_it_went(chosen, db_path):
    from changestories.database import connect
    from tests.apptest import open_app

    db, s, ids = chosen
    db.conn.backup(connect(db_path).conn)
    at = open_app("app_pages/browse.py")
    at.session_state["browse_open"] = ids[s["va1"]]
    at.run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert "Historien nåede op til: Ledelse" in texts
    assert "Udvælgelse forår 2026 · Team · Team Valby: valgt" in texts and "Den holdt." in texts
    assert any(c.value == "Fakta er ikke tjekket endnu (ikke verificeret)." for c in at.caption)


def test_camp_reports_mark_chosen_stories_that_are_not_verified(db):
    from changestories.demo import load_demo
    from stories.camps.camps import select_camps
    from stories.camps.report import camp_report_docx, feedback_docx as camp_feedback_docx
    from stories.camps.selection import feedback as camp_feedback

    load_demo(db)
    [camp] = select_camps(db, "is_demo = 1", [])
    items = camp_feedback(db, camp.id)
    assert items and docx_text(camp_feedback_docx(db, camp.id)).count("Ikke verificeret") == len(items)
    story_id = db.execute("SELECT id FROM stories WHERE seq = ?", [items[0].story.seq]).fetchone()[0]
    verify_story(db, story_id, "Facilitatoren", "2026-10-02", "teller")
    assert docx_text(camp_feedback_docx(db, camp.id)).count("Ikke verificeret") == len(items) - 1
    assert "Ikke verificeret" in docx_text(camp_report_docx(db, camp.id))
