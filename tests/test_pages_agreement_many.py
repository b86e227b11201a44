"""AppTest: the agreement page with many double-coded stories lists at most a page of them to
reconcile (disagreeing first), finds any other by its number, and never lists a story the
viewer may not see."""

import pytest

from coding.codebook.codes import create_codebook, list_codes
from coding.codings import WHOLE, save_coding
from changestories.database import connect
from stories.model import Consent, Story
from stories.bulk_create import create_stories
from stories.storage import story_seq
from stories.trust.permissions import Actor
from tests.apptest import open_app

LEAD = Actor("lead", "admin")
N = 130


@pytest.fixture
def coded(db_path):
    db = connect(db_path)
    codebook = create_codebook(db, "", "kbh_plus")
    a, b, _ = [c.id for c in list_codes(db, codebook)]
    stories = create_stories(db, [(Story(text=f"Fortælling nummer {i} om huset.", title=f"Titel {i}",
                                         significance="Vigtigt.", site="Nord" if i % 10 else "Syd",
                                         consent=Consent(internal=True, evaluation=True)), None) for i in range(N)])
    db.execute("UPDATE stories SET awaiting_review = 0")
    db.conn.commit()
    for i, story in enumerate(stories):
        save_coding(db, story.id, {WHOLE: {a}}, coder="coder-a")
        save_coding(db, story.id, {WHOLE: {a} if i % 3 else {b}}, coder="coder-b")  # every third disagrees
    return db, [story_seq(db, s.id) for s in stories]


def test_the_reconcile_picker_lists_a_page_disagreeing_first_and_finds_others_by_number(coded):
    db, seqs = coded
    at = open_app("app_pages/agreement.py", actor=LEAD)
    picker = at.selectbox(key="reconcile_pick")
    assert len(picker.options) == 100
    disagreeing = [s for i, s in enumerate(seqs) if i % 3 == 0]
    assert picker.options[:len(disagreeing)] == [f"⚠ #{s} Titel {seqs.index(s)}" for s in disagreeing]
    last = seqs[N - 2]  # agreeing, and past the first hundred
    assert f"✓ #{last} Titel {N - 2}" not in picker.options
    at.text_input(key="reconcile_find").input(f"#{last}").run()
    assert not at.exception
    assert at.selectbox(key="reconcile_pick").options == [f"✓ #{last} Titel {N - 2}"]
    at.text_input(key="reconcile_find").input("99999").run()
    assert not at.exception
    assert any("99999" in i.value for i in at.info)


def test_staff_of_one_site_never_see_other_sites_stories_to_reconcile(coded):
    db, seqs = coded
    at = open_app("app_pages/agreement.py", actor=Actor("lead-syd", "staff", frozenset({"Syd"})))
    options = at.selectbox(key="reconcile_pick").options
    assert options and all(int(o.split("#")[1].split()[0]) in seqs[::10] for o in options)
