"""AppTest: a facilitator runs a camp (create, close, groups, two selection rounds, results, feedback)
and participants join by code on the public page."""


import pytest

from stories.camps.camps import CampDraft, camp_stories, create_camp, list_camps
from stories.camps.submissions import CampSubmission, submit_camp_story
from changestories.database import connect
from changestories.demo import load_demo
from stories.camps.signifiers import story_signifiers
from stories.storage import story_seq
from tests.apptest import open_app

STORY = "Vi malede væggen i <b>huset</b> sammen, og [klik](javascript:alert(1)) ingen blev sure."
WHY = "Jeg følte, at jeg hørte til."


def app(page, camp_code=None, lang=None):
    return open_app(page, lang=lang, query={"camp": camp_code} if camp_code else None)


def click(at, label, nth=0):
    [b for b in at.button if b.label == label][nth].click().run()
    assert not at.exception
    return at


def by_key(widgets, prefix):
    return [w for w in widgets if w.key and w.key.startswith(prefix)]


def texts(at):
    return [t.value for t in at.text]


def tell(db, camp, n, domain="huset"):
    story = submit_camp_story(db, camp.id, CampSubmission(
        text=f"Historie {n}: jeg lavede mad til hele huset.", significance="Jeg tør mere nu.", title=f"Titel {n}",
        display_name=f"Kok {n}", consent_internal=True, domain=domain), submission_key=f"k{n}")
    return story_seq(db, story.id)


def test_facilitator_runs_a_camp_from_creation_to_feedback(db_path):
    at = app("app_pages/camps.py")
    assert at.info[0].value.startswith("Der er ingen fortællecamps")
    next(w for w in at.text_input if w.label.startswith("Navn på campen")).input("Sommercamp i Sydhavn")
    click(at, "Opret camp")
    assert at.success[0].value == "Campen 'Sommercamp i Sydhavn' er gemt."
    db = connect(db_path)
    [camp] = list_camps(db)
    assert at.query_params["camp"] == camp.code
    assert camp.code in texts(at)  # the big join code

    click(at, "Luk campen")
    assert any("lukket" in w.value for w in at.warning)
    click(at, "Åbn campen igen")
    assert any("åben" in w.value for w in at.success)
    seqs = [tell(db, camp, n) for n in (1, 2, 3)]

    at.text_input(key="group_name_1").input("Gruppe A")
    click(at, "Tilføj", 0)
    at.text_input(key="group_name_1").input("Gruppe B")
    click(at, "Tilføj", 0)
    click(at, "Brug ét plenum", 0)  # level 2 has no group yet: the first plenary button is its
    assert {"Gruppe A", "Gruppe B", "Plenum"} <= set(texts(at))

    domain = next(w for w in at.selectbox if w.label == "Domæne")
    domain.select("huset")
    click(at, "Start runde")
    assert not at.error
    dots = by_key(at.number_input, "dots_")
    assert len(dots) == 6  # three stories for each of the two groups
    dots[0].set_value(4)
    dots[1].set_value(1)
    click(at, "Gem prikkerne", 0)
    assert any("Prikkerne for Gruppe A er gemt" in s.value for s in at.success)
    click(at, "Gem valget", 0)
    assert any("Vælg den historie, gruppen har valgt" in e.value for e in at.error)
    by_key(at.radio, "pick_")[0].set_value(seqs[0])
    click(at, "Gem valget", 0)  # a story but no reasons
    assert any("Skriv, hvorfor gruppen valgte historien" in e.value for e in at.error)
    by_key(at.text_area, "reasons_")[0].input("Den handler om at høre til, og vi kender det alle.")
    click(at, "Gem valget", 0)
    picks = by_key(at.radio, "pick_")
    picks[1].set_value(seqs[2])
    by_key(at.text_area, "reasons_")[1].input("Maden samlede huset.")
    click(at, "Gem valget", 1)
    click(at, "Afslut runden")

    next(w for w in at.selectbox if w.label == "Domæne").select("huset")
    next(w for w in at.selectbox if w.label == "Niveau").select(2)
    click(at, "Start runde")
    assert not at.error
    assert len(by_key(at.radio, "pick_")[0].options) == 2  # the two stories chosen at level 1
    assert "Den handler om at høre til, og vi kender det alle." in texts(at)  # earlier reasons attached
    by_key(at.radio, "pick_")[0].set_value(seqs[0])
    by_key(at.text_area, "reasons_")[0].input("Alle i plenum kunne genkende den.")
    click(at, "Gem valget", 0)
    click(at, "Afslut runden")

    results = app("app_pages/camp_results.py", camp.code)
    shown = texts(results)
    assert "Titel 1 — Kok 1" in shown and "Alle i plenum kunne genkende den." in shown
    assert "Maden samlede huset." in shown
    assert results.table  # the dots table
    click(results, "Lav camprapport (Word)")
    assert any(b.label == "Hent camprapporten" for b in results.get("download_button"))

    feedback = app("app_pages/camp_feedback.py", camp.code)
    shown = texts(feedback)
    # the public page shows the story pseudonymised (the detector takes "Historie 1" for a name)
    assert any(t.endswith("jeg lavede mad til hele huset.") for t in shown)
    assert "Alle i plenum kunne genkende den." in shown
    assert "Den handler om at høre til, og vi kender det alle." in shown
    assert any("Hus" in c.value for c in feedback.caption)


def fill_story(at, name="Maleren", text=STORY, why=WHY, consent=True):
    at.text_input(key="camp_form_w_display_name").input(name)
    at.radio(key="camp_form_w_domain").set_value("huset")
    at.text_area(key="camp_form_w_text").input(text)
    at.text_area(key="camp_form_w_significance").input(why)
    if consent:
        at.checkbox(key="camp_form_w_internal").check()


def test_participant_joins_by_code_and_submits_with_signifiers(db_path):
    db = connect(db_path)
    camp = create_camp(db, CampDraft(name="Camp i Valby", prompt="Hvad har ændret sig?"))
    at = app("app_pages/camp_join.py", camp.code.lower())
    assert at.header[0].value == "Camp i Valby"
    click(at, "Videre")  # nothing filled in
    assert any("skal udfyldes" in e.value for e in at.error)
    fill_story(at, consent=False)
    click(at, "Videre")
    assert any("mindst ét kryds" in e.value for e in at.error)
    assert at.text_area(key="camp_form_w_text").value == STORY  # kept
    at.checkbox(key="camp_form_w_internal").check()
    click(at, "Videre")
    click(at, "Tilbage til historien")
    assert at.text_area(key="camp_form_w_text").value == STORY
    assert at.text_input(key="camp_form_w_display_name").value == "Maleren"
    click(at, "Videre")
    sliders = [s for s in at.slider if s.key.startswith("camp_form_w_pole")]
    assert len(sliders) == 3
    sliders[0].set_value(6)
    sliders[2].set_value(2)
    at.radio(key="camp_form_w_slider0").set_value(8)
    click(at, "Send historien")
    assert at.success[0].value.startswith("Tak!")
    assert not any(b.label == "Send historien" for b in at.button)  # no second send from the thank-you view
    [story] = camp_stories(db, camp.id)
    assert story.text == STORY and story.display_name == "Maleren" and story.domain == "huset"
    answers = story_signifiers(db, story.seq)
    assert answers.weights == (0.75, 0.0, 0.25) and answers.sliders == {"change_size": 8}
    click(at, "Fortæl en historie mere")
    assert at.text_area(key="camp_form_w_text").value == ""


def test_closed_camp_shows_the_text_back(db_path):
    db = connect(db_path)
    camp = create_camp(db, CampDraft(name="Camp der lukker", domains=["huset"]))
    at = app("app_pages/camp_join.py", camp.code)
    fill_story(at)
    click(at, "Videre")
    db.execute("UPDATE camps SET closed_at = '2026-01-01T00:00:00+00:00'")
    db.conn.commit()
    click(at, "Send historien")
    assert any("ikke gemt" in e.value for e in at.error)
    assert STORY in [t.value for t in at.text]  # shown back as plain text to copy
    assert camp_stories(db, camp.id) == []


@pytest.mark.parametrize("code", ["ABCDEF", "x", "<script>"])
def test_unknown_code_gets_a_clear_message(db_path, code):
    at = app("app_pages/camp_join.py", code)
    assert any("Der findes ingen camp med koden" in e.value for e in at.error)
    assert any(w.label == "Campkode" for w in at.text_input)


def test_guessing_codes_is_slowed_down(db_path):
    at = app("app_pages/camp_join.py")
    for n in range(6):
        next(w for w in at.text_input if w.label == "Campkode").input(f"WRNG{n + 2}X")
        click(at, "Deltag")
    assert any("For mange forkerte koder" in e.value for e in at.error)


def test_english_wall_and_signifier_page_show_the_demo(db_path):
    load_demo(connect(db_path))
    wall = app("app_pages/wall.py", "KBHDEM", lang="en")
    assert wall.metric[0].value == "8"
    assert "— Sprayeren · Creating with others" in texts(wall)  # display names only, English labels
    assert not any("U-01" in t for t in texts(wall))  # never a teller's pseudonym
    page = app("app_pages/signifiers.py")
    assert any("historier i trekanten" in c.value for c in page.caption)
    assert page.get("plotly_chart")
    next(w for w in page.radio if w.label == "Farve efter").set_value("site").run()
    assert not page.exception


@pytest.mark.parametrize("typed, closes", [("16.30", (16, 30)), ("0945", (9, 45))])
def test_a_camp_closes_at_the_time_typed(db_path, typed, closes):
    """The closing time is typed as text (Streamlit's time input refuses a time in English)."""
    import datetime as dt

    at = app("app_pages/camps.py")
    next(w for w in at.text_input if w.label.startswith("Navn på campen")).input("Aftencamp")
    next(w for w in at.checkbox if w.key is None and w.label.startswith("Luk")).check()
    at.text_input(key="new_camp_close_day").input("1.12.2030")
    at.text_input(key="new_camp_close_time").input(typed)
    click(at, "Opret camp")
    [camp] = list_camps(connect(db_path))
    moment = dt.datetime.fromisoformat(camp.closes_at).astimezone()
    assert (moment.date(), moment.hour, moment.minute) == (dt.date(2030, 12, 1), *closes)


def test_a_closing_time_that_is_not_a_time_gets_a_danish_line_and_no_camp(db_path):
    at = app("app_pages/camps.py")
    next(w for w in at.text_input if w.label.startswith("Navn på campen")).input("Aftencamp")
    next(w for w in at.checkbox if w.key is None and w.label.startswith("Luk")).check()
    at.text_input(key="new_camp_close_time").input("25.00")
    click(at, "Opret camp")
    assert "Lukker klokken: skriv klokkeslættet som timer.minutter, fx 16.00." in [e.value for e in at.error]
    assert list_camps(connect(db_path)) == []
