"""How far a story went, its verification, and the exports that carry both."""

import csv
import datetime as dt
import json

import pytest

from stories.exporter import export_stories
from stories.msc.errors import MscInvalid
from stories.msc.history import highest_level, story_readings
from stories.msc.verification import verifications, verify_story
from stories.visibility import StoryFilter
from stories.trust.permissions import Actor, PermissionDenied
from tests.test_msc_selection import DOMAIN, JONAS, LENE, METTE, cycle  # noqa: F401  (the fixture)


@pytest.fixture
def chosen(cycle):
    db, process, s, first, (team_nv, team_va, lead, fund) = cycle
    from stories.msc.rounds import close_round, find_round, record_choice, record_votes

    record_votes(db, first.id, team_nv.id, {s["nv1"]: 4, s["nv2"]: 2}, actor=METTE)
    record_choice(db, first.id, team_nv.id, s["nv1"], "Karen Holm fortalte os, at hun turde.", actor=METTE)
    record_choice(db, first.id, team_va.id, s["va1"], "Han kom tilbage.", actor=JONAS)
    close_round(db, first.id, actor=METTE)
    second = find_round(db, process.id, 2, DOMAIN)
    record_choice(db, second.id, lead.id, s["va1"], "Den holdt.", "Enige.", actor=LENE)
    ids = dict(db.execute("SELECT seq, id FROM stories").fetchall())
    return db, s, ids


def test_a_story_shows_every_round_it_was_read_in(chosen):
    db, s, _ = chosen
    nv1 = story_readings(db, s["nv1"])
    assert [(r.level, r.panel, r.votes, r.voters, r.chosen) for r in nv1] == [
        (1, "Team Nordvest", 4, 1, True), (2, "Ledelsen", 0, 0, False)]
    assert nv1[0].reasons.startswith("Karen Holm") and highest_level(nv1) == 1
    va1 = story_readings(db, s["va1"])
    assert [(r.level, r.chosen, r.reasons) for r in va1] == [(1, True, "Han kom tilbage."), (2, True, "Den holdt.")]
    assert highest_level(va1) == 2
    assert [(r.level, r.chosen) for r in story_readings(db, s["nv2"])] == [(1, False)]
    assert [(r.domain, r.chosen) for r in story_readings(db, s["huset"])] == [("huset", False)]
    assert story_readings(db, s["old"]) == []  # outside the period: never read


def test_verify_a_chosen_story(chosen):
    db, s, ids = chosen
    made = verify_story(db, ids[s["va1"]], "Jonas (kontaktperson)", "2026-04-02", "teller",
                        "Han bekræftede forløbet.", actor=JONAS)
    assert verifications(db)[s["va1"]] == made and made.recorded_by == "jonas"
    again = verify_story(db, ids[s["va1"]], "Jonas", "2026-04-03", "witness", actor=JONAS)  # corrected
    assert verifications(db) == {s["va1"]: again}


@pytest.mark.parametrize("args,key", [
    (("nv2", "Mette", "2026-04-02", "teller"), "msc.error.not_chosen"),
    (("va1", "", "2026-04-02", "teller"), "msc.error.checked_by"),
    (("va1", "Mette", "02-04-2026", "teller"), "msc.error.checked_on"),
    (("va1", "Mette", "2999-01-01", "teller"), "msc.error.checked_on_future"),
    (("va1", "Mette", "2026-04-02", "rumour"), "msc.error.verify_method"),
])
def test_bad_verifications_are_refused(chosen, args, key):
    db, s, ids = chosen
    story, *rest = args
    with pytest.raises(MscInvalid) as caught:
        verify_story(db, ids[s[story]], *rest, today=dt.date(2026, 12, 1))
    assert caught.value.key == key
    assert verifications(db) == {}


def test_only_staff_of_the_site_verify(chosen):
    db, s, ids = chosen
    with pytest.raises(PermissionDenied):
        verify_story(db, ids[s["va1"]], "Mette", "2026-04-02", "teller", actor=METTE)  # Valby's story
    with pytest.raises(PermissionDenied):
        verify_story(db, ids[s["va1"]], "Frida", "2026-04-02", "witness", actor=Actor("frida", "evaluator"))


def test_json_export_carries_period_selections_and_verification(chosen, tmp_path):
    db, s, ids = chosen
    verify_story(db, ids[s["va1"]], "Jonas", "2026-04-02", "witness", "Moren så det også.")
    out = tmp_path / "all.json"
    export_stories(db, out, "json")
    by_title = {d["title"]: d for d in json.loads(out.read_text(encoding="utf-8"))}
    va1, nv1, huset = by_title["Valby et"], by_title["Nordvest et"], by_title["Huset"]
    assert va1["period"] == "Forår 2026" and va1["domain"] == DOMAIN
    assert [(e["level"], e["panel"], e["chosen"], e["reasons"]) for e in va1["selections"]] == [
        (1, "Team Valby", True, "Han kom tilbage."), (2, "Ledelsen", True, "Den holdt.")]
    assert va1["selections"][0]["process"] == "Udvælgelse forår 2026" and va1["selections"][1]["discussion"] == "Enige."
    assert va1["highest_level"] == 2 and va1["highest_level_name"] == "Ledelse"
    assert va1["verification"] == {"status": "verified", "by": "Jonas", "on": "2026-04-02", "how": "witness",
                                   "note": "Moren så det også."}
    assert nv1["selections"][0]["votes"] == 4 and nv1["verification"]["status"] == "unverified"
    assert [e["chosen"] for e in huset["selections"]] == [False] and huset["verification"]["status"] is None
    assert by_title["For længe siden"]["selections"] == [] and by_title["For længe siden"]["period"] is None


def test_csv_carries_the_same_and_evaluation_exports_hide_names_in_reasons(chosen, tmp_path):
    db, s, ids = chosen
    out = tmp_path / "all.csv"
    export_stories(db, out, "csv", story_filter=StoryFilter(purpose="evaluation"))
    rows = {r["title"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    nv1 = rows["Nordvest et"]
    assert nv1["highest_level"] == "Team" and nv1["verification_status"] == "unverified"
    selections = json.loads(nv1["selections"])
    assert selections[0]["chosen"] is True and "Karen Holm" not in nv1["selections"]
    assert "[Person 1]" in selections[0]["reasons"]


def test_qdpx_carries_domain_period_highest_level_and_the_reasons_note(chosen, tmp_path):
    import zipfile
    import xml.etree.ElementTree as ET

    from changestories.database import connect
    from coding.refi.qdpx_export import export_qdpx
    from coding.refi.qdpx_import import import_qdpx

    db, s, ids = chosen
    out = tmp_path / "cycle.qdpx"
    export_qdpx(db, out)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    root = ET.fromstring(zipfile.ZipFile(out).read("project.qde"))
    names = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", ns)}
    source = next(src for src in root.iter("{urn:QDA-XML:project:1.0}TextSource") if src.get("guid") == ids[s["va1"]])
    values = {names[v.find("q:VariableRef", ns).get("targetGUID")]: v[1].text for v in source.findall("q:VariableValue", ns)}
    assert (values["domain"], values["period"], values["highest_level"], values["verification"]) == (
        DOMAIN, "Forår 2026", "Ledelse", "unverified")
    notes = {n.get("guid"): n.find("q:PlainTextContent", ns).text for n in root.findall("q:Notes/q:Note", ns)}
    [note] = [notes[r.get("targetGUID")] for r in source.findall("q:NoteRef", ns)]
    assert note.splitlines() == ["Most Significant Change (unverified)",
                                 "Team – Team Valby (Udvælgelse forår 2026): Han kom tilbage.",
                                 "Ledelse – Ledelsen (Udvælgelse forår 2026): Den holdt."]
    again = connect(tmp_path / "again.db")
    import_qdpx(again, out)
    assert again.execute("SELECT count(*) FROM memos").fetchone()[0] == 0  # the reasons are not turned into memos
    extra = json.loads(again.execute("SELECT extra FROM stories WHERE id = ?", [ids[s["va1"]]]).fetchone()[0])
    assert not {"period", "highest_level", "verification"} & set(extra)
