"""Codebooks: presets, the code tree, editing, merging, retiring and deleting codes."""

import json

import pytest

from coding.codebook.codes import (
    CodebookError, active_codebook, codable_codes, code_tree, create_codebook, get_code, list_codebooks, list_codes,
    set_active_codebook,
)
from coding.codebook.edit import CodeInUse, add_code, delete_code, merge_codes, move_code, retire_code, update_code
from coding.codings import add_coding, codings_of
from coding.memos import add_memo, list_memos
from coding.codebook.presets import PRESETS, UnknownPreset, iter_codes, list_presets, load_preset
from stories.model import Consent, Story
from stories.trust.permissions import Actor, PermissionDenied
from stories.storage import create_story, story_seq

TEXT = "Jeg kom i huset for første gang. Vi lavede mad sammen. Hun lyttede til mig."


def add_story(db, text=TEXT):
    story = create_story(db, Story(text=text, significance="Det gør en forskel.",
                                   consent=Consent(internal=True, evaluation=True)))
    return story.id


@pytest.fixture
def kbh(db):
    return create_codebook(db, "", "kbh_plus")


# ---- presets -----------------------------------------------------------------------------

@pytest.mark.parametrize("key", PRESETS)
def test_every_preset_has_both_languages_and_valid_codes(db, key):
    data = load_preset(key)
    assert data["name_da"] and data["name_en"] and data["description_da"] and data["description_en"]
    codebook = create_codebook(db, "", key)
    codes = list_codes(db, codebook)
    assert codes and len(codes) == len(list(iter_codes(data["codes"])))
    for code in codes:
        assert code.name_da and code.name_en and code.definition_da and code.definition_en, code.key
        assert code.color.startswith("#") and len(code.color) == 7
        if not code.is_group:
            assert code.keywords_da and code.keywords_en or code.key == "any_other_change"


def test_preset_names_listed_in_both_languages():
    danish, english = list_presets("da"), list_presets("en")
    assert [k for k, _, _ in danish] == list(PRESETS) == [k for k, _, _ in english]
    assert dict((k, n) for k, n, _ in danish)["kbh_plus"] == "KBH+ mekanismer"
    assert dict((k, n) for k, n, _ in english)["msc_domains"] == "Most Significant Change domains"


def test_kbh_plus_keys_match_the_tellers_mechanisms(db, kbh):
    from stories.model import MECHANISMS

    assert [c.key for c in list_codes(db, kbh)] == list(MECHANISMS)
    huset = list_codes(db, kbh)[0]
    assert huset.name_da == "Huset" and "trygt" in huset.definition_da and "safe" in huset.definition_en


def test_developmental_relationships_has_five_elements_with_twenty_actions(db):
    codebook = create_codebook(db, "", "developmental_relationships")
    tree = code_tree(db, codebook)
    groups = [c for c, depth in tree if depth == 0]
    actions = [c for c, depth in tree if depth == 1]
    assert [g.name_en for g in groups] == ["Express Care", "Challenge Growth", "Provide Support", "Share Power",
                                           "Expand Possibilities"]
    assert all(g.is_group for g in groups) and len(actions) == 20 and not any(a.is_group for a in actions)
    by_parent = {g.name_en: [a.name_en for a in actions if a.parent_id == g.id] for g in groups}
    assert by_parent["Express Care"] == ["Be dependable", "Listen", "Believe in me", "Be warm", "Encourage"]
    assert by_parent["Expand Possibilities"] == ["Inspire", "Broaden horizons", "Connect"]
    for action in actions:  # our own Danish wording, said so in the definition
        assert action.name_da != action.name_en or action.name_da == "Lyt"
        assert "oversættelse" in action.definition_da and "translation" in action.definition_en


def test_relational_welfare_and_msc_domains(db):
    welfare = code_tree(db, create_codebook(db, "", "relational_welfare"))
    names = [c.name_en for c, _ in welfare]
    assert "Trusting relation between citizen and professional" in names
    assert {"Personal network", "Local community", "Civil society, education and work"} <= set(names)
    assert "Coordinated, cross-professional support" in names
    msc = [c.name_en for c in list_codes(db, create_codebook(db, "", "msc_domains"))]
    assert msc == ["Change in quality of life", "Change in participation", "Change in relations and networks",
                   "Any other change", "Negative change"]


def test_unknown_preset_is_refused(db):
    with pytest.raises(UnknownPreset):
        create_codebook(db, "x", "nope")
    assert list_codebooks(db) == []


def test_active_codebook_follows_creation_and_choice(db):
    assert active_codebook(db) is None
    first = create_codebook(db, "", "kbh_plus")
    second = create_codebook(db, "Tom", None)
    assert active_codebook(db) == second and list_codes(db, second) == []
    set_active_codebook(db, first)
    assert active_codebook(db) == first


def test_presets_are_editable_after_start(db, kbh):
    code = list_codes(db, kbh)[0]
    edited = update_code(db, code.id, {"name_en": "The house", "keywords_da": ["hus", " sted ", ""],
                                       "color": "#00aa00"})
    assert edited.name_en == "The house" and edited.keywords_da == ["hus", "sted"] and edited.color == "#00AA00"
    assert load_preset("kbh_plus")["codes"][0]["name_en"] == "The House"  # the preset itself is untouched


# ---- the tree ----------------------------------------------------------------------------

def test_tree_order_parents_before_children(db):
    codebook = create_codebook(db, "Min", None)
    group = add_code(db, codebook, "Relationer", is_group=True)
    a = add_code(db, codebook, "Voksne", parent_id=group.id)
    top = add_code(db, codebook, "Sted")
    b = add_code(db, codebook, "Venner", parent_id=group.id)
    assert [(c.id, d) for c, d in code_tree(db, codebook)] == [(group.id, 0), (a.id, 1), (b.id, 1), (top.id, 0)]
    assert [c.id for c in codable_codes(db, codebook)] == [a.id, b.id, top.id]
    assert a.key == "voksne" and add_code(db, codebook, "Voksne").key == "voksne_2"


def test_move_reorders_and_reparents(db):
    codebook = create_codebook(db, "Min", None)
    group = add_code(db, codebook, "Gruppe", is_group=True)
    x, y = add_code(db, codebook, "X"), add_code(db, codebook, "Y")
    move_code(db, x.id, group.id)
    move_code(db, y.id, None, position=0)
    assert [(c.name_da, d) for c, d in code_tree(db, codebook)] == [("Y", 0), ("Gruppe", 0), ("X", 1)]


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_move_under_itself_is_refused(db, target):
    codebook = create_codebook(db, "Min", None)
    parent = add_code(db, codebook, "A", is_group=True)
    child = add_code(db, codebook, "B", parent_id=parent.id, is_group=True)
    grandchild = add_code(db, codebook, "C", parent_id=child.id)
    ids = {"self": parent.id, "child": child.id, "grandchild": grandchild.id}
    with pytest.raises(CodebookError):
        move_code(db, parent.id, ids[target])
    assert get_code(db, parent.id).parent_id is None


@pytest.mark.parametrize("changes", [{"name_da": "", "name_en": ""}, {"color": "red"}, {"color": "#12345"}])
def test_invalid_edits_are_refused(db, kbh, changes):
    code = list_codes(db, kbh)[0]
    with pytest.raises(CodebookError):
        update_code(db, code.id, changes)
    assert get_code(db, code.id) == code


def test_staff_may_not_manage_the_codebook_but_evaluators_may(db, kbh):
    code = list_codes(db, kbh)[0]
    with pytest.raises(PermissionDenied):
        update_code(db, code.id, {"name_da": "X"}, actor=Actor("s", "staff"))
    assert update_code(db, code.id, {"name_da": "X"}, actor=Actor("e", "evaluator")).name_da == "X"


# ---- merge, retire, delete ---------------------------------------------------------------

def test_merge_keeps_every_coding_memo_and_keyword(db, kbh):
    huset, skabe, tillid = list_codes(db, kbh)
    story = add_story(db)
    add_coding(db, story, huset.id, coder="a", memo="stedet")
    add_coding(db, story, huset.id, start=0, end=32, coder="a")
    add_coding(db, story, skabe.id, coder="a", memo="også fællesskab")  # same span as the first: joins it
    add_coding(db, story, skabe.id, coder="b")
    add_memo(db, "Om skabe", code_id=skabe.id)
    kept = merge_codes(db, skabe.id, huset.id)
    seq = story_seq(db, story)
    a = [(c.span, c.memo) for c in codings_of(db, seq, "a")]  # whole story first
    assert a == [((None, None), "stedet\n\nogså fællesskab"), ((0, 32), "")]
    assert [c.code_id for c in codings_of(db, seq, "b")] == [huset.id]
    assert [m.text for m in list_memos(db, code_id=huset.id)] == ["Om skabe"]
    assert set(skabe.keywords_da) <= set(kept.keywords_da)
    assert [c.key for c in list_codes(db, kbh)] == ["huset", "tillidsfulde_relationer"]


def test_merge_moves_sub_codes_and_handles_a_target_inside_the_source(db):
    codebook = create_codebook(db, "Min", None)
    source = add_code(db, codebook, "Kilde", is_group=True)
    inner = add_code(db, codebook, "Indre", parent_id=source.id)
    other = add_code(db, codebook, "Anden", parent_id=source.id)
    merge_codes(db, source.id, inner.id)
    assert [(c.name_da, d) for c, d in code_tree(db, codebook)] == [("Indre", 0), ("Anden", 1)]
    assert get_code(db, other.id).parent_id == inner.id


def test_merge_into_itself_or_elsewhere_is_refused_without_losing_codings(db, kbh):
    huset, skabe, _ = list_codes(db, kbh)
    other = create_codebook(db, "Anden", "msc_domains")
    story = add_story(db)
    add_coding(db, story, huset.id, coder="a")
    group = add_code(db, kbh, "Gruppe", is_group=True)
    for source, target in ((huset.id, huset.id), (huset.id, list_codes(db, other)[0].id), (huset.id, group.id)):
        with pytest.raises(CodebookError):
            merge_codes(db, source, target)
    assert [c.code_id for c in codings_of(db, story_seq(db, story), "a")] == [huset.id]


def test_retired_code_is_hidden_from_new_coding_but_keeps_its_codings(db, kbh):
    huset = list_codes(db, kbh)[0]
    story = add_story(db)
    add_coding(db, story, huset.id, coder="a")
    retire_code(db, huset.id)
    assert huset.id not in [c.id for c in codable_codes(db, kbh)]
    assert huset.id in [c.id for c in list_codes(db, kbh, include_retired=True)]
    assert len(codings_of(db, story_seq(db, story), "a")) == 1
    retire_code(db, huset.id, False)
    assert huset.id in [c.id for c in codable_codes(db, kbh)]


def test_delete_refuses_a_code_in_use_or_with_sub_codes(db, kbh):
    huset, skabe, tillid = list_codes(db, kbh)
    story = add_story(db)
    add_coding(db, story, huset.id, coder="a")
    with pytest.raises(CodeInUse):
        delete_code(db, huset.id)
    group = add_code(db, kbh, "Gruppe", is_group=True)
    add_code(db, kbh, "Under", parent_id=group.id)
    with pytest.raises(CodeInUse):
        delete_code(db, group.id)
    delete_code(db, tillid.id)
    assert [c.key for c in list_codes(db, kbh)] == ["huset", "skabe_med_andre", "gruppe", "under"]
    assert len(codings_of(db, story_seq(db, story), "a")) == 1


def test_a_code_with_codings_cannot_become_a_group(db, kbh):
    huset = list_codes(db, kbh)[0]
    add_coding(db, add_story(db), huset.id, coder="a")
    with pytest.raises(CodeInUse):
        update_code(db, huset.id, {"is_group": True})


def test_keyword_lists_are_stored_as_json(db, kbh):
    raw = db.execute("SELECT keywords_da, keywords_en FROM codes WHERE key = 'huset'").fetchone()
    assert "huset" in json.loads(raw[0]) and "house" in json.loads(raw[1])
