"""AppTest: the submit, tell, browse and transfer pages, driven as a user would."""

import pytest

from changestories.database import connect
from changestories.demo import load_demo
from stories.visibility import StoryFilter
from stories.search import count_stories, query_stories
from tests.apptest import click, open_app



def app(page=None, lang=None):
    return open_app(page, lang=lang)


def test_submit_keeps_text_on_errors_then_reads_back_and_saves(db_path):
    at = app("app_pages/submit.py")
    assert at.header[0].value == "Ny forandringsfortælling"
    at.text_area[0].input("Vi byggede en cykel <i>sammen</i>. Han smilede.")
    click(at, "Videre")
    assert at.text_area[0].value == "Vi byggede en cykel <i>sammen</i>. Han smilede."  # kept
    assert any("skal udfyldes" in e.value for e in at.error)
    assert any("mindst ét kryds" in e.value for e in at.error)
    at.text_area[1].input("Han har aldrig før bedt om hjælp.")
    at.text_input[1].input("Mads Jensen")  # a name where a code belongs
    next(c for c in at.checkbox if c.label.startswith("Ja, til intern")).check()
    click(at, "Videre")
    assert any("aldrig et navn" in e.value for e in at.error)
    at.text_input[1].input("U-0142")
    click(at, "Videre")
    assert at.subheader[0].value == "Er det rigtigt?"
    assert "Vi byggede en cykel <i>sammen</i>. Han smilede." in [t.value for t in at.text]
    click(at, "Nej, ret den")
    assert at.text_input[1].value == "U-0142"
    click(at, "Videre")
    click(at, "Ja, gem historien")
    assert at.success[0].value.startswith("Tak!")
    db = connect(db_path)
    [story] = query_stories(db)
    assert story.teller_pseudonym == "U-0142" and story.consent.internal and story.source == "form"
    click(at, "Fortæl en ny historie")
    assert at.text_area[0].value == ""


def test_young_persons_short_form_in_english(db_path):
    at = app("app_pages/tell.py", lang="en")
    assert at.header[0].value == "Tell your story"
    at.text_area[0].input("I started coming on Tuesdays and now I help in the kitchen.")
    at.text_area[1].input("Because I have friends here now.")
    next(c for c in at.checkbox if c.label.startswith("It is okay that the adults")).check()
    next(c for c in at.checkbox if c.label == "I am under 15").check()
    click(at, "Continue")
    assert any("guardian" in e.value for e in at.error)
    next(c for c in at.checkbox if c.label.startswith("My parent")).check()
    click(at, "Continue")
    click(at, "Yes, save the story")
    assert at.success[0].value == "Thank you for sharing your story!"
    [story] = query_stories(connect(db_path))
    assert story.teller_role == "young_person" and story.language == "en"
    assert story.consent.teller_under_15 and story.consent.guardian


def test_browse_demo_search_open_edit_delete_restore_withdraw(db_path):
    at = app("app_pages/browse.py")
    click(at, "Indlæs demo-fortællinger")
    total = count_stories(connect(db_path))
    assert total >= 40
    assert any(f"Fortællinger fundet: {total}" == c.value for c in at.caption)
    at.text_input[0].input("køkkenet").run()
    assert not at.exception
    hits = count_stories(connect(db_path), StoryFilter(search="køkkenet"))
    assert 0 < hits < total
    assert any(f"Fortællinger fundet: {hits}" == c.value for c in at.caption)

    first = next(b for b in at.button if b.label == "Åbn")
    story_id = first.key.removeprefix("open_")
    first.click().run()
    assert not at.exception
    click(at, "Ret")
    title = next(t for t in at.text_input if t.label == "Giv historien en kort titel")
    title.input("Ny titel fra testen")
    click(at, "Gem ændringer")
    assert at.success[0].value == "Ændringerne er gemt."
    db = connect(db_path)
    from stories.storage import get_story

    assert get_story(db, story_id).title == "Ny titel fra testen"

    click(at, "Slet")
    click(at, "Ja, fortsæt")
    assert count_stories(connect(db_path)) == total - 1
    at.text_input[0].input("").run()
    click(at, "Gendan")
    assert count_stories(connect(db_path)) == total

    at.text_input[0].input("Ny titel fra testen").run()
    next(b for b in at.button if b.key == f"open_{story_id}").click().run()
    click(at, "Træk samtykke tilbage")
    click(at, "Ja, fortsæt")
    assert count_stories(connect(db_path)) == total - 1


def test_browse_filters(db_path):
    load_demo(connect(db_path))
    at = app("app_pages/browse.py")
    at.pills(key="browse_polarities").select("negative").run()
    assert not at.exception
    n = count_stories(connect(db_path), StoryFilter(polarities=["negative"]))
    assert any(f"Fortællinger fundet: {n}" == c.value for c in at.caption)
    at.text_input[0].input("zzzzqqq").run()
    assert any("Ingen fortællinger" in i.value for i in at.info)


def test_transfer_page_prepares_an_export(db_path):
    load_demo(connect(db_path))
    at = app("app_pages/transfer.py")
    at.selectbox(key="transfer_format").select("json").run()
    click(at, "Lav eksportfil")
    assert any(c.value.endswith("klar til download.") for c in at.caption)


@pytest.mark.parametrize("page", ["app_pages/submit.py", "app_pages/tell.py", "app_pages/browse.py",
                                  "app_pages/transfer.py"])
def test_pages_render_in_english(db_path, page):
    at = app(page, lang="en")
    assert not at.exception


def test_staff_confirm_and_correct_personal_data_before_saving(db_path):
    from stories.privacy.pseudonymised import corrections_for
    from stories.storage import get_story
    from stories.trust.permissions import Actor

    at = app("app_pages/submit.py")
    at.text_area[0].input("Sofie Hansen kom i huset i dag. Hun lavede mad med Ahmed og Jonas.")
    at.text_area[1].input("Hun har ikke været her siden foråret.")
    next(c for c in at.checkbox if c.label.startswith("Ja, til intern")).check()
    next(c for c in at.checkbox if c.label.startswith("Ja, til ekstern")).check()
    click(at, "Videre")
    assert any("ligner personoplysninger" in w.value for w in at.warning)
    assert any("⟦Sofie Hansen⟧" in t.value for t in at.text)
    hide = [c for c in at.checkbox if c.label.startswith("Skjul")]
    assert any("Sofie Hansen" in c.label for c in hide)
    at.text_input(key="full_form_pii_add").input("Ahmed, Jonas").run()
    click(at, "Ja, gem historien")
    assert at.success[0].value.startswith("Tak!")
    db = connect(db_path)
    [story] = query_stories(db)
    added = {(c.action, c.text) for c in corrections_for(db, story.id)}
    assert {("add", "Ahmed"), ("add", "Jonas")} <= added
    shown = get_story(db, story.id, actor=Actor("ekstern", "evaluator")).text
    assert "Sofie" not in shown and "Ahmed" not in shown and "Jonas" not in shown
    assert "[Person 1]" in shown


def test_young_person_places_the_story_in_the_triangle(db_path):
    from stories.camps.signifiers import story_signifiers
    from stories.storage import story_seq

    at = app("app_pages/tell.py")
    at.text_area[0].input("Jeg kommer i værkstedet hver tirsdag nu.")
    at.text_area[1].input("Fordi jeg har lavet noget, jeg er stolt af.")
    next(c for c in at.checkbox if c.label.startswith("Det er okay")).check()
    pole_sliders = [s for s in at.slider if s.key.endswith("w_pole0") or s.key.endswith("w_pole1")
                    or s.key.endswith("w_pole2")]
    assert len(pole_sliders) == 3
    pole_sliders[0].set_value(2)
    pole_sliders[1].set_value(6)
    pole_sliders[2].set_value(2)
    next(r for r in at.radio if r.key.endswith("w_slider0")).set_value(8)
    click(at, "Videre")
    assert any("Huset 20 %" in t.value and ": 8" in t.value for t in at.text)
    click(at, "Ja, gem historien")
    db = connect(db_path)
    [story] = query_stories(db)
    answers = story_signifiers(db, story_seq(db, story.id))
    assert answers.weights == pytest.approx((0.2, 0.6, 0.2))
    assert list(answers.sliders.values()) == [8]


def test_browse_erases_stories_deleted_more_than_30_days_ago(db_path):
    from stories.storage import create_story, delete_story
    from stories.model import Consent, Story

    db = connect(db_path)
    old = create_story(db, Story(text="Gammel.", significance="x", consent=Consent(internal=True)))
    recent = create_story(db, Story(text="Ny.", significance="x", consent=Consent(internal=True)))
    delete_story(db, old.id)
    delete_story(db, recent.id)
    db.execute("UPDATE stories SET deleted_at = '2020-01-01T00:00:00+00:00' WHERE id = ?", [old.id])
    db.conn.commit()
    app("app_pages/browse.py")
    ids = [r[0] for r in connect(db_path).execute("SELECT id FROM stories")]
    assert ids == [recent.id]


def test_recorded_by_is_the_signed_in_staff_member(db_path):
    from stories.trust.permissions import Actor

    at = open_app(actor=Actor("S-0207", "staff"))
    assert at.text_input(key="full_form_w_recorded_by").value == "S-0207"
