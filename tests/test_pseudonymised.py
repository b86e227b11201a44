"""Pseudonymised stories: consistent numbering across fields and sentence slices, corrections, exports.

Detection here is the fixed rules for CPR, phone, e-mail and address only, and names come
from staff corrections ("add"): these tests check how findings are applied, not how well
the name model finds them (tests/test_privacy.py does that).
"""

import json

import pytest

from stories.privacy import pseudonymised
from stories.exporter import export_stories
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.privacy.pseudonymised import (
    Correction, CorrectionInvalid, StoryPseudonyms, corrections_for, slice_for,
)
from stories.privacy.corrections import save_corrections
from stories.storage import create_story, get_story
from stories.visibility import StoryFilter
from stories.search import query_stories

EVALUATOR = Actor("eva", "evaluator")
STAFF = Actor("sofie", "staff")
NAMES = [Correction("add", "person", "Mads Jensen"), Correction("add", "person", "Mads"),
         Correction("add", "person", "Sofie Holm")]
TEXT = "Mads Jensen kom i huset. Bagefter kom Sofie Holm, tlf. 22 33 44 55. Mads var glad."
SIGNIFICANCE = "Sofie Holm så, at Mads turde. Hans cpr er 010203-1234."


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    from stories.privacy.pii_rules import find_structured
    from stories.privacy.detection import Finding

    def detect(text, lang="da"):
        return tuple(Finding(s, e, kind, text[s:e]) for s, e, kind in find_structured(text))

    monkeypatch.setattr(pseudonymised, "_detect", detect)


def a_story(**fields) -> Story:
    values = dict(text=TEXT, significance=SIGNIFICANCE, title="Mads i huset", recorded_by="Sofie Holm",
                  language="da", consent=Consent(internal=True, evaluation=True))
    return Story(**{**values, **fields})


def test_people_keep_their_number_across_every_field():
    story = StoryPseudonyms(a_story(), NAMES).pseudonymised_story()
    assert story.text == "[Person 1] kom i huset. Bagefter kom [Person 2], tlf. [Telefon]. [Person 1] var glad."
    assert story.significance == "[Person 2] så, at [Person 1] turde. Hans cpr er [CPR]."
    assert story.title == "[Person 1] i huset"
    assert story.recorded_by == "[Person 2]"


def test_a_sentence_slice_uses_the_whole_storys_numbering():
    pseudonyms = StoryPseudonyms(a_story(), NAMES)
    start = TEXT.index("Mads var")
    assert pseudonyms.slice(start, len(TEXT)) == "[Person 1] var glad."
    second = TEXT.index("Bagefter")
    assert pseudonyms.slice(second, start - 1) == "Bagefter kom [Person 2], tlf. [Telefon]."
    assert pseudonyms.slice(0, len(TEXT)) == pseudonyms.field("text")


@pytest.mark.parametrize("start,end", [(2, 8), (0, 3), (TEXT.index("Holm") + 1, TEXT.index("Holm") + 10)])
def test_a_slice_cutting_a_name_never_shows_part_of_it(start, end):
    shown = StoryPseudonyms(a_story(), NAMES).slice(start, end)
    assert "[Person" in shown
    for part in ("Mads", "ads", "Jensen", "Holm", "olm"):
        assert part not in shown


def test_english_labels():
    story = StoryPseudonyms(a_story(), NAMES, lang="en").pseudonymised_story()
    assert "[Phone]" in story.text and "[Person 1]" in story.text


def test_a_removed_finding_stays_and_extra_values_are_covered():
    corrections = [*NAMES, Correction("remove", "phone", "22 33 44 55")]
    story = a_story(extra={"about": "UNG-0007", "note": "Ring til Mads Jensen"})
    seen = StoryPseudonyms(story, corrections).pseudonymised_story()
    assert "tlf. 22 33 44 55" in seen.text
    assert seen.extra == {"about": "UNG-0007", "note": "Ring til [Person 1]"}


@pytest.mark.parametrize("correction", [
    Correction("replace", "person", "Mads"),
    Correction("add", "shoe_size", "Mads"),
    Correction("add", "person", ""),
    Correction("add", "person", "x" * 201),
    Correction("add", "person", "Mads\x00"),
    Correction("add", "person", "Mads", field="site"),
])
def test_malformed_corrections_are_refused(db, correction):
    stored = create_story(db, a_story())
    with pytest.raises(CorrectionInvalid):
        save_corrections(db, stored.id, [correction])
    assert corrections_for(db, stored.id) == []


def test_corrections_are_stored_with_the_story_and_replace_earlier_ones(db):
    stored = create_story(db, a_story())
    save_corrections(db, stored.id, NAMES, actor=STAFF)
    assert corrections_for(db, stored.id) == NAMES
    save_corrections(db, stored.id, NAMES[:1], actor=STAFF)
    assert corrections_for(db, stored.id) == NAMES[:1]


def test_evaluators_get_pseudonymised_stories_and_staff_the_original(db):
    stored = create_story(db, a_story())
    save_corrections(db, stored.id, NAMES)
    assert get_story(db, stored.id, actor=STAFF).text == TEXT
    seen = get_story(db, stored.id, actor=EVALUATOR)
    assert "Mads" not in seen.text and "[Person 1]" in seen.text
    (listed,) = query_stories(db, StoryFilter(), actor=EVALUATOR)
    assert listed.text == seen.text
    start = TEXT.index("Mads var")
    assert slice_for(db, stored, start, len(TEXT), actor=EVALUATOR) == "[Person 1] var glad."
    assert slice_for(db, stored, start, len(TEXT), actor=STAFF) == "Mads var glad."


@pytest.mark.parametrize("actor,purpose,raw", [
    (Actor("sofie", "staff"), "internal", True),
    (Actor("sofie", "staff"), "evaluation", False),
    (Actor("chef", "admin"), "publication", False),
    (EVALUATOR, None, False),
])
def test_exports_for_evaluators_evaluation_and_publication_are_pseudonymised(db, tmp_path, actor, purpose, raw):
    stored = create_story(db, a_story(consent=Consent(internal=True, evaluation=True, publication=True)))
    save_corrections(db, stored.id, NAMES)
    out = tmp_path / "out.json"
    assert export_stories(db, out, "json", actor=actor, story_filter=StoryFilter(purpose=purpose)) == 1
    (exported,) = json.loads(out.read_text(encoding="utf-8"))
    assert (exported["text"] == TEXT) is raw
    assert ("010203-1234" in exported["significance"]) is raw
    assert ("Sofie Holm" in exported["recorded_by"]) is raw


def run_pii(text: str):
    import subprocess
    import sys

    from tests.conftest import ROOT

    return subprocess.run([sys.executable, "-m", "cli.main", "pii"], input=text, capture_output=True, text=True,
                          cwd=ROOT)


def test_cli_pii_finds_name_cpr_phone_and_address():
    text = "Mads Jensen, cpr 010203-1234, tlf. 22 33 44 55, bor på Nørrebrogade 12"
    result = run_pii(text + "\n")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert {(f["kind"], f["text"]) for f in findings} >= {
        ("cpr", "010203-1234"), ("phone", "22 33 44 55"), ("address", "Nørrebrogade 12")}
    assert any(f["kind"] == "person" and "Mads" in f["text"] for f in findings)
    for finding in findings:
        assert set(finding) == {"start", "end", "kind", "text"}
        assert text[finding["start"]:finding["end"]] == finding["text"]


def test_cli_pii_on_empty_input_prints_an_empty_list():
    result = run_pii("")
    assert (result.returncode, result.stdout.strip()) == (0, "[]")
