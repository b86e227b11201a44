"""No name reaches an evaluator or an export for evaluation or publication: every export, and
every function and page an evaluator uses, is walked with one fictional name marker in the
story, its memos, its codings' memos, a code memo and a camp's display name and reasons."""

import ast
import io
import json
import re
import zipfile

import pytest

from coding.codebook.codes import active_codebook, create_codebook, list_codes
from coding.coding_export import export_codings
from coding.coding_view import coding_view
from coding.codings import add_coding, all_codings, codings_of, mark_done, set_blind_coding, story_codings
from coding.queue import queue_page
from coding.memos import add_memo, list_memos
from coding.refi.qdpx_export import export_qdpx
from coding.themes.suggest import suggest_codes
from stories.camps.camps import CampDraft, camp_stories, create_camp
from stories.camps.submissions import CampSubmission, submit_camp_story
from stories.camps.report import camp_report_docx, feedback_docx
from stories.camps.selection import add_group, close_round, feedback, open_round, record_selection, record_votes, results
from stories.camps.signifiers import Signifiers, save_signifiers, triangle_points
from changestories.database import connect
from stories.db import write_transaction
from stories.exporter import export_stories
from stories.model import Consent, Story
from stories.storage import create_story, get_story, story_seq
from stories.visibility import StoryFilter
from stories.search import query_stories
from stories.trust.permissions import PUBLIC, SYSTEM, Actor
from tests.apptest import ROOT, open_app

MARKER = "Ring til Karen Holm om Mikkel"  # fictional people
NAMES = ("Karen", "Holm", "Mikkel")
EVALUATOR = Actor("eva", "evaluator")
STAFF = Actor("anna", "staff")
ADMIN = Actor("chef", "admin")


def leaked(blob) -> list[str]:
    """The marker names found in any text, bytes, or object rendered as text."""
    if isinstance(blob, bytes):
        text = blob.decode("utf-8", "replace")
    elif isinstance(blob, str):
        text = blob
    else:
        text = json.dumps(blob, default=lambda o: getattr(o, "__dict__", str(o)), ensure_ascii=False)
    return [name for name in NAMES if name in text]


def unzipped(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@pytest.fixture
def world(db_path):
    db = connect(db_path)
    story = create_story(db, Story(
        text="Karen Holm hjalp Mikkel med at lave mad i køkkenet. Bagefter spiste Mikkel med de andre.",
        significance="Mikkel fik lov at bestemme.", title="Mikkel og Karen i køkkenet", site="Valby",
        teller_pseudonym="UNG-0042", source="form",
        consent=Consent(internal=True, evaluation=True, publication=True)))
    seq = story_seq(db, story.id)
    with write_transaction(db):
        save_signifiers(db, seq, Signifiers(weights=(0.5, 0.3, 0.2)))
    create_codebook(db, "Bog", "kbh_plus")
    code, other = [c for c in list_codes(db, active_codebook(db)) if not c.is_group][:2]
    set_blind_coding(db, False)
    first_sentence = (0, story.text.index(".") + 1)
    add_coding(db, story.id, code.id, memo=MARKER, actor=EVALUATOR)
    add_coding(db, story.id, code.id, start=first_sentence[0], end=first_sentence[1], memo=MARKER, actor=EVALUATOR)
    add_coding(db, story.id, other.id, start=first_sentence[0], end=first_sentence[1], memo=MARKER, actor=STAFF)
    mark_done(db, story.id, coder="eva", actor=EVALUATOR)
    mark_done(db, story.id, coder="anna", actor=STAFF)
    add_memo(db, MARKER, story_id=story.id, actor=STAFF)
    add_memo(db, MARKER, code_id=code.id, actor=STAFF)

    camp = create_camp(db, CampDraft(name="Sommerlejr", site="Valby", domains=["huset"], levels=["team"]),
                       actor=ADMIN)
    told = [submit_camp_story(db, camp.id, CampSubmission(
        text=f"Karen Holm lærte Mikkel at lave mad, dag {n}.", significance="Mikkel blev glad.",
        display_name="Mikkel H", consent_internal=True, domain="huset", title=f"Mikkel i køkkenet {n}"),
        submission_key=f"k{n}") for n in (1, 2)]
    group = add_group(db, camp.id, 1, "Hold 1", actor=ADMIN)
    rnd = open_round(db, camp.id, 1, "huset", actor=ADMIN)
    record_votes(db, rnd.id, group.id, {story_seq(db, told[0].id): 3}, actor=ADMIN)
    record_selection(db, rnd.id, group.id, story_seq(db, told[0].id), "Karen Holm og Mikkel turde.", actor=ADMIN)
    close_round(db, rnd.id, actor=ADMIN)
    return db, story, seq, code, camp


def test_the_marker_is_really_there(world):
    db, story, seq, code, camp = world
    assert leaked(get_story(db, story.id)) and leaked(list_memos(db)) and leaked(all_codings(db))
    assert leaked(camp_stories(db, camp.id))  # the camp's own pages in the room show the stories as told


def test_every_function_an_evaluator_calls_gives_pseudonymised_text(world):
    db, story, seq, code, camp = world
    calls = {
        "get_story": lambda: get_story(db, story.id, actor=EVALUATOR),
        "query_stories": lambda: query_stories(db, StoryFilter(), actor=EVALUATOR),
        "list_memos story": lambda: list_memos(db, story_seq=seq, actor=EVALUATOR),
        "list_memos code": lambda: list_memos(db, code_id=code.id, actor=EVALUATOR),
        "list_memos all": lambda: list_memos(db, actor=EVALUATOR),
        "codings_of": lambda: codings_of(db, seq, "eva", actor=EVALUATOR),
        "story_codings": lambda: story_codings(db, story.id, actor=EVALUATOR),
        "all_codings": lambda: all_codings(db, actor=EVALUATOR),
        "queue_page": lambda: queue_page(db, actor=EVALUATOR, include_done=True),
        "coding_view": lambda: (lambda v: [v.story, [v.passage(s, e) for s, e in v.sentences]])(
            coding_view(db, story.id, actor=EVALUATOR)),
        "triangle_points": lambda: triangle_points(db, actor=EVALUATOR),
        "suggest_codes": lambda: suggest_codes(db, story.id, actor=EVALUATOR),
        "admin, for evaluation": lambda: query_stories(db, StoryFilter(purpose="evaluation"), actor=ADMIN),
        "admin, codings for publication": lambda: all_codings(db, StoryFilter(purpose="publication"), actor=ADMIN),
        "admin, memos for evaluation": lambda: list_memos(db, actor=ADMIN, purpose="evaluation"),
        "admin, queue for evaluation": lambda: queue_page(db, actor=ADMIN, story_filter=StoryFilter(purpose="evaluation"),
                                                          include_done=True),
    }
    found = {name: leaked(call()) for name, call in calls.items()}
    assert {name: names for name, names in found.items() if names} == {}
    assert "[Person" in json.dumps(list_memos(db, story_seq=seq, actor=EVALUATOR)[0].__dict__)


@pytest.mark.parametrize("actor,purpose", [(EVALUATOR, None), (ADMIN, "evaluation"), (ADMIN, "publication")])
def test_every_export_for_evaluation_or_publication_is_pseudonymised(world, tmp_path, actor, purpose):
    db, story, seq, code, camp = world
    f = StoryFilter(purpose=purpose)
    outputs = {}
    export_qdpx(db, tmp_path / "p.qdpx", story_filter=f, actor=actor)
    outputs["qdpx"] = unzipped((tmp_path / "p.qdpx").read_bytes())
    export_codings(db, tmp_path / "c.csv", "codings-csv", story_filter=f, actor=actor)
    outputs["codings-csv"] = (tmp_path / "c.csv").read_text(encoding="utf-8")
    export_codings(db, tmp_path / "c.xlsx", "codings-xlsx", story_filter=f, actor=actor)
    outputs["codings-xlsx"] = unzipped((tmp_path / "c.xlsx").read_bytes())
    for fmt in ("json", "csv", "xlsx"):
        export_stories(db, tmp_path / f"s.{fmt}", fmt, story_filter=f, actor=actor)
        data = (tmp_path / f"s.{fmt}").read_bytes()
        outputs[f"stories-{fmt}"] = unzipped(data) if fmt == "xlsx" else data.decode("utf-8")
    assert all("[Person" in text for text in outputs.values())  # the story is in every file
    assert {name: leaked(text) for name, text in outputs.items() if leaked(text)} == {}


def test_camp_report_feedback_and_the_public_feedback_page_are_pseudonymised(world):
    db, story, seq, code, camp = world
    outputs = {
        "camp report": unzipped(camp_report_docx(db, camp.id, actor=ADMIN)),
        "feedback docx": unzipped(feedback_docx(db, camp.id)),
        "feedback": feedback(db, camp.id),
        "results for publication": results(db, camp.id, actor=ADMIN, purpose="publication"),
        "camp stories for publication": camp_stories(db, camp.id, purpose="publication"),
    }
    assert "lærte" in outputs["camp report"] and "turde" in outputs["feedback docx"]
    assert {name: leaked(o) for name, o in outputs.items() if leaked(o)} == {}
    page = open_app("app_pages/camp_feedback.py", actor=PUBLIC, query={"camp": camp.code})
    page.run()
    assert not page.exception
    shown = page_text(page)
    assert "turde" in shown and not leaked(shown)


def page_text(at) -> str:
    """Everything an AppTest page shows, element by element (labels, values, tables, charts)."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.mark.parametrize("page", ["app_pages/code.py", "app_pages/agreement.py", "app_pages/codebook.py",
                                  "app_pages/signifiers.py", "app_pages/themes.py", "app_pages/transfer.py"])
def test_no_evaluator_page_shows_a_name(world, page):
    at = open_app(page, actor=EVALUATOR)
    if page == "app_pages/code.py":  # the evaluator finished the story: list it again
        at.toggle(key="code_show_done").set_value(True).run()
    shown = page_text(at)
    assert not at.exception
    assert not leaked(shown), f"{page} shows {leaked(shown)}"
    if page == "app_pages/code.py":  # the story, its memo and the coding memos are on the page
        assert "k\\303\\270kkenet" in shown and shown.count("Ring til [Person") >= 3
    if page == "app_pages/agreement.py":  # the disputed sentence, as the evaluator may see it
        assert re.search(r"\[Person \d\] hjalp \[Person \d\] med at lave mad", shown)


def test_pages_never_read_the_original_text():
    """`stored_story`/`stored_stories` give the original text to domain code only."""
    for path in [*(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
        assert not names & {"stored_story", "stored_stories"}, path.name


def test_the_system_actor_still_sees_the_original(world):
    db, story, seq, code, camp = world
    assert get_story(db, story.id, actor=SYSTEM).text.startswith("Karen Holm")
    assert list_memos(db, story_seq=seq)[0].text == MARKER
