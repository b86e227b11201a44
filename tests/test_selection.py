"""Most Significant Change selection: groups, rounds, dots, choices with reasons over two levels."""

import pytest

from stories.camps.camps import CampDraft, create_camp
from stories.camps.submissions import CampSubmission, submit_camp_story
from stories.trust.permissions import PUBLIC, PermissionDenied
from stories.camps.selection import (
    SelectionInvalid, add_group, candidates, close_round, distribute_stories, feedback, groups, open_round,
    record_selection, record_votes, remove_group, reopen_round, results, rounds, votes,
)
from stories.storage import delete_story, purge_deleted, story_seq, withdraw_consent

DOMAIN = "tillidsfulde_relationer"


@pytest.fixture
def camp(db):
    return create_camp(db, CampDraft(name="Camp på Amager", domains=[DOMAIN, "huset"], levels=["team", "house"]))


def tell(db, camp, n, domain=DOMAIN):
    story = submit_camp_story(db, camp.id, CampSubmission(
        text=f"Fortælling nummer {n} om en voksen, der lyttede.", significance="Det gav mig mod.",
        display_name=f"Fortæller {n}", consent_internal=True, domain=domain, title=f"Historie {n}",
    ), submission_key=f"key-{n}")
    return story_seq(db, story.id)


@pytest.fixture
def told(db, camp):
    return [tell(db, camp, n) for n in range(1, 5)] + [tell(db, camp, 9, "huset")]


def test_two_levels_with_reasons_carried_up(db, camp, told):
    a, b = add_group(db, camp.id, 1, "Gruppe A"), add_group(db, camp.id, 1, "Gruppe B")
    plenary = add_group(db, camp.id, 2, "Plenum")
    first = open_round(db, camp.id, 1, DOMAIN)
    assert [c.story.seq for c in candidates(db, first.id, a.id)] == told[:4]  # only the domain's stories
    record_votes(db, first.id, a.id, {told[0]: 5, told[1]: 2})
    record_votes(db, first.id, a.id, {told[0]: 6, told[2]: 1})  # replaces the earlier count
    assert votes(db, first.id, a.id) == {told[0]: 6, told[2]: 1}
    record_selection(db, first.id, a.id, told[0], "Den viser, hvad det betyder at blive lyttet til.")
    record_selection(db, first.id, b.id, told[1], "  Vi kunne genkende det fra vores eget hus.  ")
    with pytest.raises(SelectionInvalid, match="close_below"):
        open_round(db, camp.id, 2, DOMAIN)
    close_round(db, first.id)
    second = open_round(db, camp.id, 2, DOMAIN)
    options = candidates(db, second.id, plenary.id)
    assert [c.story.seq for c in options] == told[:2]
    assert [r.reasons for r in options[1].earlier] == ["Vi kunne genkende det fra vores eget hus."]
    chosen = record_selection(db, second.id, plenary.id, told[1], "Den rørte os alle, og den peger på noget nyt.")
    assert chosen.earlier[0].panel == "Gruppe B" and chosen.earlier[0].level == 1
    with pytest.raises(SelectionInvalid, match="above_started"):
        reopen_round(db, first.id)

    by_round = {(r.round.level, r.round.domain): r for r in results(db, camp.id)}
    level1 = by_round[(1, DOMAIN)]
    assert [g.panel.name for g in level1.panels] == ["Gruppe A", "Gruppe B"]
    assert [(s.seq, n) for s, n, _ in level1.panels[0].tally] == [(told[0], 6), (told[2], 1)]
    assert level1.panels[0].choice.story.seq == told[0]
    assert by_round[(2, DOMAIN)].panels[0].choice.reasons.startswith("Den rørte os alle")

    items = feedback(db, camp.id)
    assert [(i.story.seq, i.highest_level) for i in items] == [(told[1], 2), (told[0], 1)]
    assert [r.panel for r in items[0].reasons] == ["Gruppe B", "Plenum"]


def test_plenary_as_the_only_group(db, camp, told):
    plenary = add_group(db, camp.id, 1, "Plenum")
    rnd = open_round(db, camp.id, 1, "huset")
    assert [c.story.seq for c in candidates(db, rnd.id, plenary.id)] == [told[4]]
    record_selection(db, rnd.id, plenary.id, told[4], "Den eneste, og den er god.")
    assert open_round(db, camp.id, 1, "huset").id == rnd.id  # opening again returns the same round
    assert [r.domain for r in rounds(db, camp.id)] == ["huset"]


def test_distributed_stories_split_the_first_level(db, camp, told):
    a, b = add_group(db, camp.id, 1, "A"), add_group(db, camp.id, 1, "B")
    assert distribute_stories(db, camp.id) == 5
    rnd = open_round(db, camp.id, 1, DOMAIN)
    mine_a = {c.story.seq for c in candidates(db, rnd.id, a.id)}
    mine_b = {c.story.seq for c in candidates(db, rnd.id, b.id)}
    assert mine_a | mine_b == set(told[:4]) and not mine_a & mine_b and len(mine_a) == 2
    with pytest.raises(SelectionInvalid, match="not_candidate"):
        record_selection(db, rnd.id, a.id, next(iter(mine_b)), "Den anden gruppes historie.")


@pytest.mark.parametrize("make_call, key", [
    (lambda db, c, r, g, s: record_selection(db, r, g, s, "   "), "reasons_required"),
    (lambda db, c, r, g, s: record_selection(db, r, g, s, "x" * 5001), "reasons_invalid"),
    (lambda db, c, r, g, s: record_selection(db, r, g, s, "hej\x07"), "reasons_invalid"),
    (lambda db, c, r, g, s: record_selection(db, r, g, 99999, "Fin"), "not_candidate"),
    (lambda db, c, r, g, s: record_votes(db, r, g, {s: -1}), "dots"),
    (lambda db, c, r, g, s: record_votes(db, r, g, {s: 1000}), "dots"),
    (lambda db, c, r, g, s: record_votes(db, r, g, {s: 2.5}), "dots"),
    (lambda db, c, r, g, s: open_round(db, c, 3, DOMAIN), "level"),
    (lambda db, c, r, g, s: open_round(db, c, 1, "ukendt domæne"), "domain"),
    (lambda db, c, r, g, s: open_round(db, c, 2, "huset"), "no_groups"),
    (lambda db, c, r, g, s: add_group(db, c, 1, "A"), "group_exists"),
    (lambda db, c, r, g, s: add_group(db, c, 1, " "), "group_name"),
    (lambda db, c, r, g, s: add_group(db, c, 0, "Nul"), "level"),
])
def test_bad_selection_input_is_refused(db, camp, told, make_call, key):
    group = add_group(db, camp.id, 1, "A")
    rnd = open_round(db, camp.id, 1, DOMAIN)
    with pytest.raises(SelectionInvalid) as info:
        make_call(db, camp.id, rnd.id, group.id, told[0])
    assert info.value.key == f"camps.error.{key}"


def test_closed_round_refuses_changes_until_reopened(db, camp, told):
    group = add_group(db, camp.id, 1, "A")
    rnd = close_round(db, open_round(db, camp.id, 1, DOMAIN).id)
    with pytest.raises(SelectionInvalid, match="round_closed"):
        record_selection(db, rnd.id, group.id, told[0], "For sent.")
    reopen_round(db, rnd.id)
    record_selection(db, rnd.id, group.id, told[0], "Nu går det.")


def test_group_that_chose_cannot_be_removed(db, camp, told):
    group, spare = add_group(db, camp.id, 1, "A"), add_group(db, camp.id, 1, "Reserve")
    rnd = open_round(db, camp.id, 1, DOMAIN)
    record_selection(db, rnd.id, group.id, told[0], "Fin historie.")
    with pytest.raises(SelectionInvalid, match="group_has_selection"):
        remove_group(db, group.id)
    remove_group(db, spare.id)
    assert [g.name for g in groups(db, camp.id)] == ["A"]


def test_public_cannot_run_selection(db, camp, told):
    with pytest.raises(PermissionDenied):
        add_group(db, camp.id, 1, "A", actor=PUBLIC)


def test_withdrawn_or_erased_story_disappears_from_selection_and_feedback(db, camp, told):
    group = add_group(db, camp.id, 1, "A")
    rnd = open_round(db, camp.id, 1, DOMAIN)
    record_votes(db, rnd.id, group.id, {told[0]: 3, told[1]: 1})
    record_selection(db, rnd.id, group.id, told[0], "Den bedste.")
    story_id = db.execute("SELECT id FROM stories WHERE seq = ?", [told[0]]).fetchone()[0]
    withdraw_consent(db, story_id)
    assert told[0] not in [c.story.seq for c in candidates(db, rnd.id, group.id)]
    assert feedback(db, camp.id) == []
    assert [s.seq for s, _, _ in results(db, camp.id)[0].panels[0].tally] == [told[1]]
    other_id = db.execute("SELECT id FROM stories WHERE seq = ?", [told[1]]).fetchone()[0]
    delete_story(db, other_id)
    db.execute("UPDATE stories SET deleted_at = '2000-01-01T00:00:00+00:00' WHERE seq = ?", [told[1]])
    purge_deleted(db)
    assert db.execute("SELECT count(*) FROM msc_votes WHERE story_seq = ?", [told[1]]).fetchone()[0] == 0
