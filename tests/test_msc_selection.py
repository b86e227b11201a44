"""The selection engine over a reporting period: panels per level choose with reasons, and the chosen
stories go up with every earlier reason; consent per level; bad input refused with nothing written."""

import pytest

from stories.model import Consent, Story
from stories.msc.errors import MscInvalid
from stories.msc.periods import add_period
from stories.msc.process import add_panel, create_period_process, levels, panels_of, set_members
from stories.msc.rounds import (
    candidates, choices, close_round, earlier_reasons, find_round, record_choice, record_votes, reopen_round, rounds, start_process, votes,
)
from stories.msc.results import results
from stories.storage import create_story, story_seq
from stories.trust.permissions import Actor, PermissionDenied

METTE, JONAS = Actor("mette", "staff", frozenset({"Nordvest"})), Actor("jonas", "staff", frozenset({"Valby"}))
LENE, FRIDA = Actor("lene", "staff"), Actor("frida", "evaluator")
FACILITATOR, OUTSIDER = Actor("fie", "facilitator"), Actor("ole", "staff")
DOMAIN = "tillidsfulde_relationer"


def tell(db, title, site, domain=DOMAIN, evaluation=True, day="2026-03-01"):
    story = create_story(db, Story(text=f"{title}: hun turde fortælle det.", significance="Det betød tillid.",
                                   title=title, site=site, domain=domain, happened_on=day, teller_pseudonym="U-0001",
                                   consent=Consent(internal=True, evaluation=evaluation)))
    return story_seq(db, story.id)


@pytest.fixture
def cycle(db):
    period = add_period(db, "Forår 2026", "2026-01-01", "2026-06-30")
    seqs = {
        "nv1": tell(db, "Nordvest et", "Nordvest"), "nv2": tell(db, "Nordvest to", "Nordvest", evaluation=False),
        "va1": tell(db, "Valby et", "Valby"), "va2": tell(db, "Valby to", "Valby"),
        "huset": tell(db, "Huset", "Nordvest", domain="huset"),
        "old": tell(db, "For længe siden", "Nordvest", day="2025-03-01"),
    }
    process = create_period_process(db, period.id, "Udvælgelse forår 2026")
    team_nv = add_panel(db, process.id, 1, "Team Nordvest", sites=["Nordvest"], members=["mette"])
    team_va = add_panel(db, process.id, 1, "Team Valby", sites=["Valby"], members=["jonas"])
    lead = add_panel(db, process.id, 2, "Ledelsen", members=["lene"])
    fund = add_panel(db, process.id, 3, "Fonden", members=["frida"])
    opened = start_process(db, process.id)
    first = next(r for r in opened if r.domain == DOMAIN)
    return db, process, seqs, first, (team_nv, team_va, lead, fund)


def seqs_of(items):
    return [c.story.seq for c in items]


def test_three_levels_with_reasons_carried_up(cycle):
    db, process, s, first, (team_nv, team_va, lead, fund) = cycle
    assert [lv.name for lv in levels(db, process)] == ["Team", "Ledelse", "Bestyrelse og fond"]
    assert {r.domain for r in rounds(db, process.id)} == {"huset", "skabe_med_andre", DOMAIN, "any_other_change"}
    assert seqs_of(candidates(db, first.id, team_nv.id)) == [s["nv1"], s["nv2"]]  # its site, its period
    assert seqs_of(candidates(db, first.id, team_va.id)) == [s["va1"], s["va2"]]
    record_votes(db, first.id, team_nv.id, {s["nv1"]: 3, s["nv2"]: 1}, actor=METTE)
    record_choice(db, first.id, team_nv.id, s["nv2"], "Hun fortalte det for første gang.", actor=METTE)
    record_choice(db, first.id, team_va.id, s["va1"], "Han kom tilbage.", "Vi stemte 3 mod 2.", actor=JONAS)
    close_round(db, first.id, actor=JONAS)  # a member may close once every panel of the level has chosen
    second = find_round(db, process.id, 2, DOMAIN)
    assert second is not None and second.is_open  # opened by itself
    options = candidates(db, second.id, lead.id)
    assert seqs_of(options) == [s["nv2"], s["va1"]]
    assert [r.reasons for r in options[1].earlier] == ["Han kom tilbage."]
    assert options[1].earlier[0].discussion == "Vi stemte 3 mod 2."
    record_choice(db, second.id, lead.id, s["nv2"], "Den viser, hvad tillid kræver.", actor=LENE)
    with pytest.raises(MscInvalid) as caught:
        record_choice(db, second.id, lead.id, s["nv1"], "Ikke valgt nedenfor.", actor=LENE)
    assert caught.value.key == "msc.error.not_candidate"
    close_round(db, second.id, actor=LENE)
    third = find_round(db, process.id, 3, DOMAIN)
    assert candidates(db, third.id, fund.id) == []  # nv2 has no consent for evaluation: it never reaches the funder
    reopen_round(db, second.id)
    assert find_round(db, process.id, 3, DOMAIN) is None  # the unused round above goes
    record_choice(db, second.id, lead.id, s["va1"], "Han kom tilbage, og det holdt.", actor=LENE)
    close_round(db, second.id, actor=LENE)
    third = find_round(db, process.id, 3, DOMAIN)
    [top] = candidates(db, third.id, fund.id)
    assert top.story.seq == s["va1"] and [r.level for r in top.earlier] == [1, 2]
    chosen = record_choice(db, third.id, fund.id, s["va1"], "Den viser, hvad pengene gør.", actor=FRIDA)
    assert [r.panel for r in chosen.earlier] == ["Team Valby", "Ledelsen"]
    close_round(db, third.id, actor=FRIDA)
    assert [(r.level, r.panel) for r in earlier_reasons(db, process.id, s["va1"], 4)] == [
        (1, "Team Valby"), (2, "Ledelsen"), (3, "Fonden")]
    by_level = {r.round.level: r for r in results(db, process.id) if r.round.domain == DOMAIN}
    assert by_level[1].panels[0].tally[0][0].seq == s["nv1"] and by_level[1].panels[0].tally[0][1:] == (3, 1)
    assert by_level[3].panels[0].choice.reasons == "Den viser, hvad pengene gør."


def test_a_teller_under_15_without_guardian_consent_never_reaches_a_panel(cycle):
    db, process, s, first, (team_nv, *_ ) = cycle
    db.execute("UPDATE stories SET teller_under_15 = 1, guardian_consent = 0 WHERE seq = ?", [s["nv1"]])
    db.conn.commit()
    assert seqs_of(candidates(db, first.id, team_nv.id)) == [s["nv2"]]
    with pytest.raises(MscInvalid):
        record_choice(db, first.id, team_nv.id, s["nv1"], "Fin.", actor=METTE)


@pytest.mark.parametrize("call,key", [
    (lambda db, r, p, s: record_votes(db, r, p.id, {s["nv1"]: 1}, actor=JONAS), "msc.error.not_on_panel"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["nv1"], "Fin.", actor=OUTSIDER), "msc.error.not_on_panel"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["nv1"], "Fin.", actor=FRIDA), "msc.error.not_on_panel"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["va1"], "Fra Valby.", actor=METTE), "msc.error.not_candidate"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["huset"], "Andet domæne.", actor=METTE),
     "msc.error.not_candidate"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["old"], "Anden periode.", actor=METTE),
     "msc.error.not_candidate"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["nv1"], "   ", actor=METTE), "msc.error.reasons_required"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["nv1"], "x" * 5001, actor=METTE), "msc.error.reasons_invalid"),
    (lambda db, r, p, s: record_choice(db, r, p.id, s["nv1"], "ok", "\x07", actor=METTE), "msc.error.reasons_invalid"),
    (lambda db, r, p, s: record_votes(db, r, p.id, {s["nv1"]: -1}, actor=METTE), "msc.error.dots"),
    (lambda db, r, p, s: record_votes(db, r, p.id, {s["va1"]: 1}, actor=METTE), "msc.error.not_candidate"),
    (lambda db, r, p, s: close_round(db, r, actor=METTE), "msc.error.panels_not_done"),
])
def test_bad_input_is_refused_and_nothing_is_written(cycle, call, key):
    db, process, s, first, (team_nv, *_ ) = cycle
    before = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("msc_votes", "msc_choices")]
    with pytest.raises(MscInvalid) as caught:
        call(db, first.id, team_nv, s)
    assert caught.value.key == key
    assert [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("msc_votes", "msc_choices")] == before
    assert find_round(db, process.id, 1, DOMAIN).is_open


def test_a_round_closed_twice_is_refused(cycle):
    db, process, s, first, (team_nv, team_va, *_ ) = cycle
    record_choice(db, first.id, team_nv.id, s["nv1"], "Fin.", actor=METTE)
    record_choice(db, first.id, team_va.id, s["va1"], "Fin.", actor=JONAS)
    closed = close_round(db, first.id, actor=FACILITATOR)
    with pytest.raises(MscInvalid) as caught:
        close_round(db, first.id, actor=FACILITATOR)
    assert caught.value.key == "msc.error.round_already_closed"
    assert find_round(db, process.id, 1, DOMAIN).closed_at == closed.closed_at
    with pytest.raises(MscInvalid) as caught:
        record_choice(db, first.id, team_nv.id, s["nv2"], "For sent.", actor=METTE)
    assert caught.value.key == "msc.error.round_closed"


def test_a_facilitator_records_a_meeting_and_members_vote_for_themselves(cycle):
    db, process, s, first, (team_nv, *_ ) = cycle
    record_votes(db, first.id, team_nv.id, {s["nv1"]: 4}, actor=FACILITATOR)  # the meeting's tally
    record_votes(db, first.id, team_nv.id, {s["nv1"]: 1, s["nv2"]: 2}, actor=METTE)
    assert votes(db, first.id, team_nv.id, "") == {s["nv1"]: 4}
    assert votes(db, first.id, team_nv.id, "mette") == {s["nv1"]: 1, s["nv2"]: 2}
    assert votes(db, first.id, team_nv.id) == {s["nv1"]: 5, s["nv2"]: 2}
    made = record_choice(db, first.id, team_nv.id, s["nv1"], "Mødet valgte den.", actor=FACILITATOR)
    assert made.recorded_by == "fie" and choices(db, first.id)[0].reasons == "Mødet valgte den."


def test_scores_instead_of_votes(db):
    period = add_period(db, "Forår 2026", "2026-01-01", "2026-06-30")
    seq = tell(db, "Et", "Nordvest")
    process = create_period_process(db, period.id, "Med point", [("Team", "internal")], method="scores")
    panel = add_panel(db, process.id, 1, "Team", members=["mette"])
    rnd = next(r for r in start_process(db, process.id) if r.domain == DOMAIN)
    record_votes(db, rnd.id, panel.id, {seq: 5}, actor=METTE)
    with pytest.raises(MscInvalid) as caught:
        record_votes(db, rnd.id, panel.id, {seq: 6}, actor=METTE)
    assert caught.value.key == "msc.error.scores"


@pytest.mark.parametrize("specs,method,key", [
    ([], "votes", "msc.error.levels"),
    ([("A", "internal")] * 6, "votes", "msc.error.levels"),
    ([("A", "secret")], "votes", "msc.error.purpose"),
    ([("A", "internal")], "lottery", "msc.error.method"),
])
def test_bad_processes_are_refused(db, specs, method, key):
    period = add_period(db, "Forår 2026", "2026-01-01", "2026-06-30")
    with pytest.raises(MscInvalid) as caught:
        create_period_process(db, period.id, "Udvælgelse", specs, method)
    assert caught.value.key == key
    assert db.execute("SELECT count(*) FROM msc_processes").fetchone()[0] == 0


def test_who_sets_up_and_who_sees_which_panels(cycle):
    db, process, s, first, (team_nv, team_va, lead, fund) = cycle
    with pytest.raises(PermissionDenied):
        add_panel(db, process.id, 1, "Team Amager", actor=METTE)
    assert [p.name for p in panels_of(db, METTE)] == ["Team Nordvest"]
    assert [p.name for p in panels_of(db, FRIDA)] == ["Fonden"]
    assert len(panels_of(db, FACILITATOR)) == 4 and panels_of(db, OUTSIDER) == []
    set_members(db, lead.id, ["lene", "Ole"])
    assert [p.name for p in panels_of(db, OUTSIDER)] == ["Ledelsen"]
    limited = Actor("fia", "facilitator", frozenset({"Valby"}))
    assert [p.name for p in panels_of(db, limited)] == ["Team Valby"]
