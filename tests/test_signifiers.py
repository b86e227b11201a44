"""Signifiers: the teller's triangle and sliders, their checks, queries with consent, the demo data."""

import json
import math

import pytest

from stories.camps.demo import DEMO_CODE
from stories.camps.report import slider_png, ternary_png
from stories.camps.camps import CampDraft, create_camp
from stories.camps.submissions import CampSubmission, submit_camp_story
from changestories.demo import load_demo
from stories.demo import DEMO_FILE
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.camps.signifiers import (
    DEFAULT_POLES, SignifierInvalid, Signifiers, make_config, normalise_weights, pole_sets, save_signifiers,
    slider_keys, slider_values, story_signifiers, ternary_xy, triangle_points,
)
from stories.storage import create_story, story_seq, withdraw_consent
from stories.visibility import StoryFilter


def store(db, title, weights, *, role="young_person", site="Valby", sliders=None, internal=True):
    story = create_story(db, Story(text=f"{title}: noget blev anderledes.", significance="Det betyder meget.",
                                   title=title, teller_role=role, site=site, consent=Consent(internal=internal)))
    seq = story_seq(db, story.id)
    save_signifiers(db, seq, Signifiers(DEFAULT_POLES, weights, sliders or {}))
    return story, seq


@pytest.mark.parametrize("raw, expected", [
    ((1, 1, 2), (0.25, 0.25, 0.5)),
    ((0, 10, 0), (0.0, 1.0, 0.0)),
    ((3, 3, 3), (0.3333, 0.3333, 0.3334)),
    ((0, 0, 0), None),
    (None, None),
])
def test_weights_are_scaled_to_sum_to_one(raw, expected):
    got = normalise_weights(raw)
    assert got == expected
    if got:
        assert math.isclose(sum(got), 1.0, abs_tol=1e-9)


@pytest.mark.parametrize("raw", [(1, 2), (1, 2, 3, 4), (-1, 1, 1), (float("nan"), 1, 1), (float("inf"), 1, 1)])
def test_bad_triangle_answers_are_refused(raw):
    with pytest.raises(SignifierInvalid) as info:
        normalise_weights(raw)
    assert info.value.key == "camps.error.triangle"


@pytest.mark.parametrize("sliders", [{"change_size": 0}, {"change_size": 11}, {"change_size": 5.5},
                                     {"change_size": True}, {"": 3}])
def test_bad_slider_answers_are_refused_and_nothing_stored(db, sliders):
    camp = create_camp(db, CampDraft(name="Camp", domains=[]))
    entry = CampSubmission(text="Historie", significance="Vigtig", display_name="Ib", consent_internal=True,
                           signifiers=Signifiers(weights=(1, 1, 1), sliders=sliders))
    with pytest.raises(SignifierInvalid):
        submit_camp_story(db, camp.id, entry, submission_key="k")
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


@pytest.mark.parametrize("poles, sliders, key", [
    (("a", "a", "b"), (), "camps.error.poles"),
    (("a", "", "b"), (), "camps.error.poles"),
    (("a", "b"), (), "camps.error.poles"),
    (("a", "b", "c"), ("x", "y", "z"), "camps.error.too_many_sliders"),
    (("a", "b", "c" * 121), (), "camps.error.label_too_long"),
])
def test_bad_configuration_is_refused(poles, sliders, key):
    with pytest.raises(SignifierInvalid) as info:
        make_config(True, poles, sliders)
    assert info.value.key == key


def test_any_three_codes_can_be_poles():
    config = make_config(True, ["Skole", " Venner ", "Familie"], ["change_size", "Hvor tryg er du nu?", ""])
    assert config.poles == ("Skole", "Venner", "Familie")
    assert config.sliders == ("change_size", "Hvor tryg er du nu?")
    assert make_config(False, ["x", "x", "x"], []).asks_anything is False


def test_submit_page_stores_story_and_signifiers_together(db):
    from stories.trust.permissions import PUBLIC
    from stories.camps.signifiers import create_story_with_signifiers

    story = Story(text="Jeg fik en praktikplads.", significance="Jeg har en plan nu.", consent=Consent(internal=True))
    answers = Signifiers(DEFAULT_POLES, (0, 1, 3), {"change_size": 9})
    first = create_story_with_signifiers(db, story, answers, actor=PUBLIC, submission_key="tap")
    again = create_story_with_signifiers(db, story, answers, actor=PUBLIC, submission_key="tap")
    assert first.id == again.id
    assert story_signifiers(db, story_seq(db, first.id)) == Signifiers(DEFAULT_POLES, (0.0, 0.25, 0.75),
                                                                       {"change_size": 9})
    with pytest.raises(SignifierInvalid):
        create_story_with_signifiers(db, story, Signifiers(sliders={"change_size": 12}), submission_key="other")
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_saved_answers_are_kept_on_a_repeat(db):
    _, seq = store(db, "Første", (1, 0, 1), sliders={"change_size": 3})
    save_signifiers(db, seq, Signifiers(DEFAULT_POLES, (0, 1, 0), {"change_size": 9}))
    assert story_signifiers(db, seq).weights == (0.5, 0.0, 0.5)
    save_signifiers(db, seq, Signifiers(DEFAULT_POLES, (0, 1, 0), {"change_size": 9}), replace=True)
    assert story_signifiers(db, seq).sliders == {"change_size": 9}


def test_points_follow_consent_scope_and_poles(db):
    store(db, "Valby-historie", (1, 0, 0), sliders={"change_size": 7})
    amager, _ = store(db, "Amager-historie", (0, 1, 0), role="staff", site="Amager", sliders={"change_size": 2})
    store(db, "Uden samtykke", (0, 0, 1), internal=False)
    other = create_story(db, Story(text="Andre poler", significance="x", consent=Consent(internal=True)))
    save_signifiers(db, story_seq(db, other.id), Signifiers(("Skole", "Venner", "Familie"), (1, 1, 1)))

    internal = StoryFilter(purpose="internal")
    assert [p.title for p in triangle_points(db, DEFAULT_POLES, internal)] == ["Valby-historie", "Amager-historie"]
    assert pole_sets(db, internal) == [(DEFAULT_POLES, 2), (("Skole", "Venner", "Familie"), 1)]
    valby_staff = Actor("Staff V", "staff", frozenset({"Valby"}))
    assert [p.title for p in triangle_points(db, DEFAULT_POLES, internal, actor=valby_staff)] == ["Valby-historie"]
    assert slider_values(db, "change_size", "teller_role", internal) == [("staff", 2), ("young_person", 7)]
    assert slider_values(db, "change_size", "site", internal) == [("Amager", 2), ("Valby", 7)]
    assert slider_keys(db, internal) == ["change_size"]
    withdraw_consent(db, amager.id)
    assert [p.title for p in triangle_points(db, DEFAULT_POLES, internal)] == ["Valby-historie"]
    with pytest.raises(ValueError):
        slider_values(db, "change_size", "text; DROP TABLE stories", internal)


def test_demo_signifiers_are_loaded_once_and_plotted(db):
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    with_triangle = sum(1 for r in records if r.get("signifiers") and r["signifiers"].get("triangle"))
    load_demo(db)
    load_demo(db)
    assert db.execute("SELECT count(*) FROM story_signifiers").fetchone()[0] == with_triangle > 0
    points = triangle_points(db, DEFAULT_POLES, StoryFilter(purpose="internal"))
    assert 0 < len(points) <= with_triangle
    assert all(math.isclose(sum(p.weights), 1.0, abs_tol=1e-3) for p in points)
    assert db.execute("SELECT count(*) FROM camps WHERE code = ?", [DEMO_CODE]).fetchone()[0] == 1
    first = next(i for i, r in enumerate(records) if r.get("signifiers"))
    seq = db.execute("SELECT seq FROM stories WHERE import_key = ?", [f"demo:{first:03d}"]).fetchone()[0]
    expected = records[first]["signifiers"]
    saved = story_signifiers(db, seq)
    assert saved.sliders.get("change_size") == expected["change_size"]
    assert all(math.isclose(a, b, abs_tol=1e-3) for a, b in zip(saved.weights, expected["triangle"]))


def test_ternary_projection_and_pictures():
    assert ternary_xy((1, 0, 0)) == (0.5, pytest.approx(3 ** 0.5 / 2))
    assert ternary_xy((0, 1, 0)) == (0, 0) and ternary_xy((0, 0, 1)) == (1, 0)
    assert ternary_xy((1 / 3, 1 / 3, 1 / 3)) == (pytest.approx(0.5), pytest.approx(3 ** 0.5 / 6))
    from stories.camps.signifiers import TrianglePoint

    points = [TrianglePoint("id1", "<b>titel</b>", "staff", "Valby", "", (0.2, 0.3, 0.5))]
    assert ternary_png(points, ["Huset", "Skabe", "Relationer"], {"staff": "Medarbejder"}).startswith(b"\x89PNG")
    assert slider_png([("staff", 3), ("staff", 3), ("young_person", 9)], "Hvor stor?", {}).startswith(b"\x89PNG")
