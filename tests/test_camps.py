"""Story camps: creating, codes, joining with rate limiting, submitting, closing, the report."""

import datetime as dt
import io
import re
import zipfile

import pytest

from stories.camps.access import ADDRESS_LIMIT, SESSION_LIMIT, WINDOW, TooManyAttempts, find_camp, join_link, qr_png
from stories.camps.report import camp_report_docx, feedback_docx
from stories.camps.camps import (
    CODE_ALPHABET, CODE_LENGTH, CampClosed, CampDraft, CampInvalid, CampNotFound, camp_stories, close_camp,
    create_camp, get_camp, list_camps, new_code, normalise_code, reopen_camp, update_camp,
)
from stories.camps.submissions import CampSubmission, submit_camp_story
from stories.trust.permissions import PUBLIC, Actor, PermissionDenied
from stories.camps.signifiers import Signifiers, story_signifiers
from stories.storage import get_story, story_seq, withdraw_consent

FACILITATOR = Actor("Facilitator F", "facilitator")
T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def make_camp(db, **changes):
    draft = CampDraft(name="Fortællecamp i Valby", held_on="2026-06-01", site="Valby",
                      prompt="Hvad har ændret sig for dig?", **changes)
    return create_camp(db, draft, actor=FACILITATOR)


def entry(n=1, **changes):
    values = dict(text=f"Jeg lærte at lave mad sammen med de andre, gang {n}.",
                  significance="Nu tør jeg spørge om hjælp.", display_name=f"Kokken {n}", consent_internal=True,
                  domain="skabe_med_andre")
    values.update(changes)
    return CampSubmission(**values)


def test_create_camp_gets_a_readable_unique_code(db):
    camp = make_camp(db)
    assert len(camp.code) == CODE_LENGTH and set(camp.code) <= set(CODE_ALPHABET)
    assert not set("0O1I") & set(CODE_ALPHABET)
    assert camp.is_open()
    assert camp.domains == ("huset", "skabe_med_andre", "tillidsfulde_relationer")
    assert camp.levels == ("team", "house")
    assert camp.level_name(1, "da") == "Hold" and camp.level_name(2, "en") == "House"
    other = make_camp(db)
    assert other.code != camp.code
    assert [c.id for c in list_camps(db, actor=FACILITATOR)] == [other.id, camp.id]
    assert len({new_code() for _ in range(200)}) > 190


@pytest.mark.parametrize("changes, field", [
    ({"name": "  "}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"prompt": "a\x00b"}, "prompt"),
    ({"domains": [f"domæne {i}" for i in range(9)]}, "domains"),
    ({"levels": []}, "levels"),
    ({"held_on": "1. juni"}, "held_on"),
    ({"closes_at": "i morgen"}, "closes_at"),
])
def test_invalid_camp_is_refused_naming_the_field(db, changes, field):
    draft = CampDraft(**{"name": "Camp", **changes})
    with pytest.raises(CampInvalid) as info:
        create_camp(db, draft)
    assert field in [e.field for e in info.value.errors]


@pytest.mark.parametrize("actor", [PUBLIC, Actor("Staff S", "staff"), Actor("Evaluator E", "evaluator")])
def test_only_facilitators_and_admins_run_camps(db, actor):
    with pytest.raises(PermissionDenied):
        create_camp(db, CampDraft(name="Camp"), actor=actor)
    assert list_camps(db, actor=actor) == []


def test_site_limited_facilitator_sees_only_own_sites_camps(db):
    make_camp(db)
    amager = Actor("Facilitator A", "facilitator", frozenset({"Amager"}))
    assert list_camps(db, actor=amager) == []
    with pytest.raises(CampInvalid):
        create_camp(db, CampDraft(name="Camp", site="Valby"), actor=amager)


def test_code_is_found_however_it_is_typed(db):
    camp = make_camp(db)
    typed = " " + camp.code[:3].lower() + "-" + camp.code[3:] + " "
    assert normalise_code(typed) == camp.code
    assert find_camp(db, typed, session="s1").id == camp.id


def test_wrong_codes_are_refused_then_slowed_down(db):
    camp = make_camp(db)
    for i in range(SESSION_LIMIT):
        with pytest.raises(CampNotFound):
            find_camp(db, "ZZZZZ" + str(i + 2), session="guesser", now=T0 + dt.timedelta(seconds=i))
    with pytest.raises(TooManyAttempts) as info:
        find_camp(db, camp.code, session="guesser", now=T0 + dt.timedelta(seconds=30))  # even the right code
    assert 1 <= info.value.wait_minutes <= WINDOW.total_seconds() / 60
    assert find_camp(db, camp.code, session="someone else", now=T0 + dt.timedelta(seconds=30)).id == camp.id
    later = T0 + WINDOW + dt.timedelta(seconds=1)
    assert find_camp(db, camp.code, session="guesser", now=later).id == camp.id


def test_wrong_codes_from_one_address_are_limited_across_sessions(db):
    make_camp(db)
    for i in range(ADDRESS_LIMIT):
        with pytest.raises(CampNotFound):
            find_camp(db, "QQQQQQ", session=f"new-session-{i}", address="10.0.0.7", now=T0)
    with pytest.raises(TooManyAttempts):
        find_camp(db, "QQQQQQ", session="yet another", address="10.0.0.7", now=T0)
    with pytest.raises(CampNotFound):
        find_camp(db, "QQQQQQ", session="elsewhere", address="10.0.0.8", now=T0)


def test_join_link_and_qr_code(db):
    camp = make_camp(db)
    link = join_link("http://192.168.1.20:8501/", camp.code)
    assert link == f"http://192.168.1.20:8501/camp_join?camp={camp.code}"
    assert qr_png(link).startswith(b"\x89PNG")


def test_submit_stores_story_with_camp_link_display_name_and_signifiers(db):
    camp = make_camp(db)
    answers = Signifiers(weights=(2, 6, 2), sliders={"change_size": 8})
    story = submit_camp_story(db, camp.id, entry(signifiers=answers), submission_key="form-1")
    stored = get_story(db, story.id)
    assert stored.source == "camp" and stored.site == "Valby" and stored.consent.internal
    # a pseudonym of its own, so erasure by teller reaches it; the display name is no teller field
    assert re.fullmatch(r"CAMP-\d{8}", stored.teller_pseudonym) and "Kokken" not in str(stored.to_dict())
    assert stored.teller_mechanism == "skabe_med_andre"
    [shown] = camp_stories(db, camp.id)
    assert shown.display_name == "Kokken 1" and shown.domain == "skabe_med_andre"
    saved = story_signifiers(db, story_seq(db, story.id))
    assert saved.weights == (0.2, 0.6, 0.2) and saved.sliders == {"change_size": 8}
    assert saved.poles == camp.signifiers.poles


def test_double_tap_stores_once(db):
    camp = make_camp(db)
    first = submit_camp_story(db, camp.id, entry(), submission_key="same-form")
    second = submit_camp_story(db, camp.id, entry(), submission_key="same-form")
    assert first.id == second.id
    assert len(camp_stories(db, camp.id)) == 1
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


@pytest.mark.parametrize("changes, field", [
    ({"display_name": " "}, "display_name"),
    ({"display_name": "x" * 41}, "display_name"),
    ({"consent_internal": False}, "consent"),
    ({"domain": "ukendt"}, "domain"),
    ({"text": ""}, "text"),
    ({"significance": ""}, "significance"),
    ({"teller_under_15": True}, "consent"),
])
def test_invalid_submission_is_refused_and_nothing_stored(db, changes, field):
    camp = make_camp(db)
    with pytest.raises(CampInvalid) as info:
        submit_camp_story(db, camp.id, entry(**changes), submission_key="k")
    assert field in [e.field for e in info.value.errors]
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


def test_closed_camp_refuses_with_the_text_and_reopens(db):
    camp = make_camp(db)
    close_camp(db, camp.id, actor=FACILITATOR)
    assert not get_camp(db, camp.id).is_open()
    with pytest.raises(CampClosed) as info:
        submit_camp_story(db, camp.id, entry(), submission_key="late")
    assert info.value.text == entry().text and info.value.significance == entry().significance
    assert camp_stories(db, camp.id) == []
    assert find_camp(db, camp.code, session="s").id == camp.id  # the code still leads to the feedback
    reopen_camp(db, camp.id, actor=FACILITATOR)
    submit_camp_story(db, camp.id, entry(), submission_key="late")
    assert len(camp_stories(db, camp.id)) == 1


def test_closing_time_closes_the_camp(db):
    camp = make_camp(db, closes_at="2026-06-01T13:00:00+00:00")
    assert camp.is_open(T0) and not camp.is_open(T0 + dt.timedelta(hours=2))
    with pytest.raises(CampClosed):
        submit_camp_story(db, camp.id, entry(), submission_key="k", now=T0 + dt.timedelta(hours=2))
    submit_camp_story(db, camp.id, entry(), submission_key="k", now=T0)
    # a double tap that arrives after the closing time returns the story stored in time
    assert submit_camp_story(db, camp.id, entry(), submission_key="k", now=T0 + dt.timedelta(hours=2)).text


def test_reopen_clears_a_past_closing_time(db):
    camp = make_camp(db, closes_at="2020-01-01T10:00:00+00:00")
    assert not camp.is_open()
    assert reopen_camp(db, camp.id).is_open()


def test_update_camp_changes_description(db):
    camp = make_camp(db)
    changed = update_camp(db, camp.id, CampDraft(name="Ny titel", domains=["Skole"], levels=["Hold", "Hus", "By"]),
                          actor=FACILITATOR)
    assert changed.name == "Ny titel" and changed.domains == ("Skole",) and len(changed.levels) == 3
    assert changed.code == camp.code


def test_withdrawn_and_deleted_stories_leave_the_camp(db):
    camp = make_camp(db)
    a = submit_camp_story(db, camp.id, entry(1), submission_key="a")
    submit_camp_story(db, camp.id, entry(2), submission_key="b")
    withdraw_consent(db, a.id)
    assert [s.display_name for s in camp_stories(db, camp.id)] == ["Kokken 2"]
    db.execute("DELETE FROM stories")
    assert db.execute("SELECT count(*) FROM camp_stories").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM story_signifiers").fetchone()[0] == 0


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_report_and_feedback_documents_of_the_demo_camp(db):
    from changestories.demo import load_demo

    load_demo(db)
    [camp] = list_camps(db)
    report = camp_report_docx(db, camp.id, "da")
    text = _docx_text(report)
    assert "Camprapport" in text and "Graffitivæggen er vores" in text and "Plenum" in text
    assert "Begge historier handler om at turde tage et skridt" in text  # a level-2 reason
    assert "Hun tog selv beslutningen" in text  # a level-1 reason
    with zipfile.ZipFile(io.BytesIO(report)) as archive:
        assert len([n for n in archive.namelist() if n.startswith("word/media/")]) >= 2  # ternary + slider
    feedback = _docx_text(feedback_docx(db, camp.id, "en"))
    assert "Feedback" in feedback and "Produktionsskolen sagde ja" in feedback
