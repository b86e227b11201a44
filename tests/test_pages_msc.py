"""AppTest: a facilitator sets up selection over a period, and a team, a leader and a funder each run their level."""

from changestories.database import connect
from stories.model import Consent, Story
from stories.msc.periods import add_period
from stories.msc.process import list_processes, panels
from stories.msc.rounds import choices, find_round
from stories.storage import create_story
from stories.trust.permissions import Actor
from tests.apptest import click, open_app

FIE = Actor("fie", "facilitator")
METTE, LENE, FRIDA = Actor("mette", "staff", frozenset({"Nordvest"})), Actor("lene", "staff"), Actor("frida",
                                                                                                      "evaluator")
DOMAIN = "tillidsfulde_relationer"


def seed(db_path):
    db = connect(db_path)
    add_period(db, "Forår 2026", "2026-01-01", "2026-06-30")
    for title, text in (("Samtalen", "Karen Holm gik med til samtalen på jobcentret."),
                        ("Køkkenet", "Han lavede mad til hele huset om tirsdagen.")):
        create_story(db, Story(text=text, significance="Hun turde.", title=title, site="Nordvest", domain=DOMAIN,
                               happened_on="2026-02-10", consent=Consent(internal=True, evaluation=True)))
    return db


def button(at, label):
    return next(b for b in at.button if b.label == label)


def submit(at, form_id):
    """Submit one form (every round's form has the same button labels)."""
    next(b for b in at.button if b.proto.form_id == form_id).click().run()
    assert not at.exception
    return at


def test_facilitator_sets_up_and_three_levels_choose_with_reasons(db_path):
    seed(db_path)
    at = open_app("app_pages/msc_processes.py", actor=FIE)
    assert at.header[0].value == "Udvælgelse over en rapporteringsperiode"
    at.text_input(key="msc_new_name").input("Udvælgelse forår 2026")
    button(at, "Opret processen").click().run()
    assert not at.exception and at.success[0].value.startswith("Processen er oprettet")
    db = connect(db_path)
    [process] = list_processes(db)
    for level, name, members in ((1, "Team Nordvest", ["mette"]), (2, "Ledelsen", ["lene"]), (3, "Fonden", ["frida"])):
        at.text_input(key=f"msc_panel_name_{process.id}_{level}").input(name)
        if level == 1:
            at.pills(key=f"msc_panel_sites_{process.id}_{level}").set_value(["Nordvest"])
        # names not in the list yet are typed (a multi-select that accepts new options says "Add: …" in English)
        at.text_input(key=f"msc_panel_members_{process.id}_{level}_new").input(", ".join(members))
        next(b for b in at.button if b.label == "Tilføj et panel" and
             b.proto.form_id == f"msc_add_panel_{process.id}_{level}").click().run()
        assert not at.exception
    assert [(p.level, p.name, p.members) for p in panels(db, process.id)] == [
        (1, "Team Nordvest", ("mette",)), (2, "Ledelsen", ("lene",)), (3, "Fonden", ("frida",))]
    click(at, "Start udvælgelsen")
    assert find_round(db, process.id, 1, DOMAIN).is_open

    # the team at Nordvest
    at = open_app("app_pages/msc_panel.py", actor=METTE)
    assert at.selectbox(key="msc_panel_pick").value is not None
    assert "Karen Holm gik med til samtalen på jobcentret." in [t.value for t in at.text]
    first = find_round(db, process.id, 1, DOMAIN)
    stories = [s for (s,) in db.execute("SELECT seq FROM stories ORDER BY seq")]
    at.number_input(key=f"msc_vote_{first.id}_1_{stories[0]}").set_value(3)
    submit(at, f"msc_votes_{first.id}_1")
    assert at.success[0].value == "Stemmerne er gemt."
    assert db.execute("SELECT voter, value FROM msc_votes").fetchall() == [("mette", 3)]
    at.radio(key=f"msc_pick_{first.id}_1").set_value(stories[0])
    submit(at, f"msc_choice_{first.id}_1")
    assert at.error[0].value == "Skriv, hvorfor I valgte historien."
    assert choices(db, first.id) == []
    at.text_area(key=f"msc_reasons_{first.id}_1").input("En voksen gik med, og hun turde.")
    submit(at, f"msc_choice_{first.id}_1")
    assert at.success[0].value == "Valget er gemt."
    at.button(key=f"msc_close_{first.id}_1").click().run()
    assert not find_round(db, process.id, 1, DOMAIN).is_open

    # the leader
    at = open_app("app_pages/msc_panel.py", actor=LENE)
    second = find_round(db, process.id, 2, DOMAIN)
    assert "En voksen gik med, og hun turde." in [t.value for t in at.text]  # the team's reasons travel up
    at.radio(key=f"msc_pick_{second.id}_2").set_value(stories[0])
    at.text_area(key=f"msc_reasons_{second.id}_2").input("Den viser, hvad et følgeskab kan.")
    at.text_area(key=f"msc_discussion_{second.id}_2").input("Vi var enige efter en kort snak.")
    submit(at, f"msc_choice_{second.id}_2")
    at.button(key=f"msc_close_{second.id}_2").click().run()
    assert not at.exception and not find_round(db, process.id, 2, DOMAIN).is_open

    # the funder (an evaluator: names are replaced)
    at = open_app("app_pages/msc_panel.py", actor=FRIDA, lang="en")
    third = find_round(db, process.id, 3, DOMAIN)
    texts = [t.value for t in at.text]
    assert not any("Karen Holm" in t for t in texts) and any("[Person 1]" in t for t in texts)
    assert "Den viser, hvad et følgeskab kan." in texts
    at.radio(key=f"msc_pick_{third.id}_3").set_value(stories[0])
    at.text_area(key=f"msc_reasons_{third.id}_3").input("It shows what the grant pays for.")
    submit(at, f"msc_choice_{third.id}_3")
    assert at.success[0].value == "The choice is saved."
    at.button(key=f"msc_close_{third.id}_3").click().run()
    assert not at.exception and not find_round(db, process.id, 3, DOMAIN).is_open
    [choice] = choices(db, third.id)
    assert (choice.reasons, choice.recorded_by) == ("It shows what the grant pays for.", "frida")


def test_someone_on_no_panel_is_told_so(db_path):
    seed(db_path)
    at = open_app("app_pages/msc_panel.py", actor=Actor("ole", "staff"))
    assert at.info[0].value.startswith("Du er ikke med i et udvælgelsespanel")


def test_staff_cannot_set_up_processes(db_path):
    from streamlit.testing.v1 import AppTest

    from stories.i18n import t
    from tests.apptest import ROOT

    at = AppTest.from_file(str(ROOT / "app_pages" / "msc_processes.py"), default_timeout=60)
    at.session_state["actor"] = METTE
    at.run()
    assert not at.exception
    assert at.error[0].value == t("error.permission") and not at.button


def test_on_the_demo_a_facilitator_a_leader_and_a_funder_run_their_levels(db_path):
    from changestories.demo import load_demo
    from stories.msc.rounds import read_in_round

    db = connect(db_path)
    load_demo(db)
    process = max(list_processes(db, kind="period"), key=lambda p: p.id)  # "Forår 2026 (demo)", open
    team = next(p for p in panels(db, process.id, 1) if p.name == "Team Nordvest")
    first = find_round(db, process.id, 1, DOMAIN)
    from stories.visibility import StoryFilter
    from stories.search import count_stories

    # a story that may reach the funder: consent for external evaluation (and reviewed)
    story = next(s for s in read_in_round(db, first.id, team.id)
                 if count_stories(db, StoryFilter(purpose="evaluation", story_ids=[s.id])))

    at = open_app("app_pages/msc_panel.py", actor=FIE)  # a facilitator records the team's meeting
    at.selectbox(key="msc_panel_pick").set_value(team.id).run()
    at.radio(key=f"msc_pick_{first.id}_{team.id}").set_value(story.seq)
    at.text_area(key=f"msc_reasons_{first.id}_{team.id}").input("Teamet valgte den på husmødet.")
    submit(at, f"msc_choice_{first.id}_{team.id}")
    assert at.success[0].value == "Valget er gemt."
    at.button(key=f"msc_close_{first.id}_{team.id}").click().run()
    assert not at.exception

    for actor, level, reasons in ((Actor("leder", "staff"), 2, "Ledelsen valgte den."),
                                  (Actor("fond", "evaluator"), 3, "Fonden valgte den.")):
        rnd = find_round(db, process.id, level, DOMAIN)
        [panel] = panels(db, process.id, level)
        at = open_app("app_pages/msc_panel.py", actor=actor)
        assert at.selectbox(key="msc_panel_pick").value == panel.id  # their own panel of the open period
        at.radio(key=f"msc_pick_{rnd.id}_{panel.id}").set_value(story.seq)
        at.text_area(key=f"msc_reasons_{rnd.id}_{panel.id}").input(reasons)
        submit(at, f"msc_choice_{rnd.id}_{panel.id}")
        at.button(key=f"msc_close_{rnd.id}_{panel.id}").click().run()
        assert not at.exception and not find_round(db, process.id, level, DOMAIN).is_open
        assert [c.reasons for c in choices(db, rnd.id)] == [reasons]
