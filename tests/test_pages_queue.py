"""AppTest: the coding queue sends one page of itself at a time and tells each story apart
(title, date, site, teller role, who coded it), with search and a "needs a second coder" filter."""

import pytest

from coding.codebook.codes import create_codebook
from coding.codings import WHOLE, save_coding
from changestories.database import connect
from stories.model import Consent, Story
from stories.bulk_create import create_stories
from stories.storage import story_seq
from stories.trust.permissions import Actor
from tests.apptest import click, open_app

LEAD = Actor("lead", "admin")
COLLEAGUE = Actor("colleague", "staff")
EVALUATOR = Actor("evaluator-e", "evaluator")
N = 60


@pytest.fixture
def project(db_path):
    db = connect(db_path)
    create_codebook(db, "", "kbh_plus")
    stories = create_stories(db, [(Story(
        text=f"Fortælling nummer {i} om huset." + (" Der var fodbold." if i == 40 else ""),
        title=f"Titel {i}", significance="Det betyder noget.", site="Nordvest" if i % 2 else "Valby",
        teller_role="young_person" if i % 3 else "staff", happened_on=f"2024-05-{i % 28 + 1:02d}",
        consent=Consent(internal=True, evaluation=True)), None) for i in range(N)])
    db.execute("UPDATE stories SET awaiting_review = 0")  # reviewed by staff: evaluators see them
    db.conn.commit()
    ids = [s.id for s in stories]
    save_coding(db, ids[0], {WHOLE: {1}}, coder="coder-b")  # finished by one other coder
    save_coding(db, ids[1], {WHOLE: {1}}, coder="coder-b")
    save_coding(db, ids[1], {WHOLE: {2}}, coder="coder-c")  # finished by two
    save_coding(db, ids[2], {WHOLE: {1}}, coder="coder-c", done=False)  # only started
    return db, ids


def picker(at):
    return at.selectbox(key="code_pick")


def test_one_page_of_the_queue_with_title_date_site_role_and_coders(project):
    db, ids = project
    at = open_app("app_pages/code.py", actor=LEAD)
    box = picker(at)
    assert len(box.options) == 25, "the browser gets one page of the queue"
    assert box.label == f"Fortælling ({N} i køen)"
    assert any(c.value == "Side 1 af 3" for c in at.caption)
    # first the stories nobody has finished (one only started by another coder), then those others finished
    assert box.options[:2] == [
        f"○ #{story_seq(db, ids[2])} · Titel 2 · 3. maj 2024 · Valby · Ung · kodet af coder-c ◐",
        f"○ #{story_seq(db, ids[3])} · Titel 3 · 4. maj 2024 · Nordvest · Medarbejder · ingen har kodet den endnu"]
    click(at, "Næste side")
    click(at, "Næste side")
    assert picker(at).options[-2:] == [
        f"○ #{story_seq(db, ids[0])} · Titel 0 · 1. maj 2024 · Valby · Medarbejder · kodet af coder-b ●",
        f"○ #{story_seq(db, ids[1])} · Titel 1 · 2. maj 2024 · Nordvest · Ung · kodet af coder-b ●, coder-c ●"]


def test_next_page_and_the_arrow_past_the_page_edge(project):
    db, ids = project
    at = open_app("app_pages/code.py", actor=LEAD)
    first_page = picker(at).options
    click(at, "Næste side")
    assert any(c.value == "Side 2 af 3" for c in at.caption)
    second_page = picker(at).options
    assert len(second_page) == 25 and not set(first_page) & set(second_page)
    picker(at).select_index(24).run()
    click(at, "▶")
    assert any(c.value == "Side 3 af 3" for c in at.caption)
    assert picker(at).index == 0 and len(picker(at).options) == N - 50
    click(at, "◀")
    assert any(c.value == "Side 2 af 3" for c in at.caption) and picker(at).index == 24


def test_search_by_number_or_words_and_needs_a_second_coder(project):
    db, ids = project
    at = open_app("app_pages/code.py", actor=COLLEAGUE)
    at.text_input(key="code_search").input(f"#{story_seq(db, ids[7])}").run()
    assert not at.exception and [o.split(" · ")[1] for o in picker(at).options] == ["Titel 7"]
    at.text_input(key="code_search").input("fodbold").run()
    assert [o.split(" · ")[1] for o in picker(at).options] == ["Titel 40"]
    at.text_input(key="code_search").input("").run()
    at.toggle(key="code_needs_second").set_value(True).run()
    assert not at.exception
    assert [o.split(" · ")[1] for o in picker(at).options] == ["Titel 0"]
    at.text_input(key="code_search").input("ingenting-her").run()
    assert any(i.value == "Ingen fortællinger i køen passer til søgningen." for i in at.info)


def test_evaluators_search_by_number_only_and_see_no_titles(project):
    db, ids = project
    at = open_app("app_pages/code.py", actor=EVALUATOR)
    assert not any("Titel" in o for o in picker(at).options)
    at.text_input(key="code_search").input("fodbold").run()
    assert not at.exception
    assert any(i.value == "Ingen fortællinger i køen passer til søgningen." for i in at.info)
    at.text_input(key="code_search").input(str(story_seq(db, ids[40]))).run()
    assert len(picker(at).options) == 1


def test_the_queue_in_english(project):
    db, ids = project
    at = open_app("app_pages/code.py", actor=LEAD, lang="en")
    box = picker(at)
    assert box.label == f"Story ({N} in the queue)"
    assert box.options[1] == f"○ #{story_seq(db, ids[3])} · Titel 3 · 4 May 2024 · Nordvest · Staff · nobody has coded it yet"
    assert any(c.value == "Page 1 of 3" for c in at.caption)
    assert at.toggle(key="code_needs_second").label == "Needs a second coder"


def test_a_story_saved_as_done_stays_on_screen(project):
    db, ids = project
    at = open_app("app_pages/code.py", actor=LEAD)
    story_id = picker(at).value
    next(c for c in at.checkbox if c.label.endswith("Huset")).check()
    click(at, "Gem kodning")
    assert picker(at).value == story_id
    assert picker(at).options[0].startswith("● ")
    click(at, "Næste fortælling")
    assert picker(at).value != story_id
