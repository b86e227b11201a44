"""Domains of change: the install's list, presets, every story form and exchange format carry a story's domain."""

import csv
import json

import pytest
from sqlite_utils import Database

from changestories.database import connect
from stories.db import configure
from stories.exporter import export_stories
from stories.importer import ImportFailed, import_file
from stories.model import Consent, Story
from stories.msc.domains import (
    NEGATIVE, OTHER, add_domain, apply_preset, delete_domain, domain_usage, get_domain, list_domains, presets,
    resolve_domain, set_negative_domain, update_domain,
)
from stories.msc.errors import MscInvalid
from stories.trust.permissions import Actor, PermissionDenied
from changestories.schema import all_migration_sets
from stories.storage import create_story, get_story, update_story
from stories.validation import StoryInvalid
from tests.apptest import click, open_app

STAFF = Actor("mette", "staff")
KBH = ["huset", "skabe_med_andre", "tillidsfulde_relationer"]


def story(**fields) -> Story:
    return Story(**{"text": "Hun kom igen i huset.", "significance": "Hun tør mere.",
                    "consent": Consent(internal=True), **fields})


def test_a_fresh_install_has_the_kbh_plus_domains_and_any_other_change(db):
    domains = list_domains(db)
    assert [d.key for d in domains] == [*KBH, OTHER]
    assert [d.kind for d in domains] == ["named"] * 3 + ["other"]
    assert get_domain(db, "huset").name("en") == "The House" and get_domain(db, OTHER).name() == "Anden forandring"
    assert all(d.description("da") and d.description("en") for d in domains)


def test_add_edit_and_delete_a_named_domain(db):
    added = add_domain(db, "Uddannelse og job", "Education and work", "Skole, uddannelse, arbejde.", "School.")
    assert added.key == "uddannelse_og_job" and list_domains(db)[3] == added
    edited = update_domain(db, added.key, "Uddannelse", "Education", "Ny beskrivelse", "New description")
    assert (edited.key, edited.name_da, edited.description("en")) == (added.key, "Uddannelse", "New description")
    delete_domain(db, added.key)
    assert [d.key for d in list_domains(db)] == [*KBH, OTHER]


@pytest.mark.parametrize("names,key", [
    (("", "Work"), "msc.error.domain_name_required"),
    (("Job", ""), "msc.error.domain_name_required"),
    (("x" * 81, "Work"), "msc.error.domain_name_long"),
    (("Job\x07", "Work"), "msc.error.control_characters"),
    (("huset", "Another"), "msc.error.domain_exists"),
])
def test_bad_domain_names_are_refused(db, names, key):
    with pytest.raises(MscInvalid) as caught:
        add_domain(db, *names)
    assert caught.value.key == key
    assert len(list_domains(db)) == 4


def test_three_to_five_named_domains_and_any_other_change_stays(db):
    add_domain(db, "Fire", "Four")
    add_domain(db, "Fem", "Five")
    with pytest.raises(MscInvalid) as caught:
        add_domain(db, "Seks", "Six")
    assert caught.value.key == "msc.error.too_many_domains"
    delete_domain(db, "fire")
    delete_domain(db, "fem")
    with pytest.raises(MscInvalid) as caught:
        delete_domain(db, "huset")
    assert caught.value.key == "msc.error.too_few_domains"
    with pytest.raises(MscInvalid) as caught:
        delete_domain(db, OTHER)
    assert caught.value.key == "msc.error.domain_fixed"


def test_a_domain_in_use_cannot_be_deleted_even_from_the_bin(db):
    add_domain(db, "Fire", "Four")
    create_story(db, story(domain="fire"))
    with pytest.raises(MscInvalid) as caught:
        delete_domain(db, "fire")
    assert caught.value.key == "msc.error.domain_in_use" and caught.value.params["n"] == 1
    assert "used by 1 stories" in str(caught.value)
    assert "fire" in [d.key for d in list_domains(db)]


def test_the_negative_change_domain_is_optional(db):
    set_negative_domain(db, True)
    assert list_domains(db)[-2].key == NEGATIVE and list_domains(db)[-2].kind == "negative"
    create_story(db, story(domain=NEGATIVE))
    with pytest.raises(MscInvalid):
        set_negative_domain(db, False)
    assert NEGATIVE in [d.key for d in list_domains(db)]


def test_presets_replace_the_named_domains_unless_a_story_uses_one(db):
    assert {p.key for p in presets()} == {"kbh_plus", "msc_default"}
    apply_preset(db, "msc_default")
    assert [d.key for d in list_domains(db)][:3] == ["change_quality_of_life", "change_participation",
                                                    "change_relations_networks"]
    create_story(db, story(domain="change_participation"))
    with pytest.raises(MscInvalid) as caught:
        apply_preset(db, "kbh_plus")
    assert caught.value.key == "msc.error.domain_in_use"
    assert "change_participation" in [d.key for d in list_domains(db)]  # nothing half-done
    assert len(list_domains(db)) == 4


def test_only_admins_set_up_domains(db):
    with pytest.raises(PermissionDenied):
        add_domain(db, "Fire", "Four", actor=STAFF)
    with pytest.raises(PermissionDenied):
        delete_domain(db, "huset", actor=STAFF)


def test_resolve_by_key_or_either_name(db):
    domains = list_domains(db)
    assert resolve_domain(domains, "Det at skabe med andre") == "skabe_med_andre"
    assert resolve_domain(domains, "  trusting RELATIONS ") == "tillidsfulde_relationer"
    assert resolve_domain(domains, "huset") == "huset" and resolve_domain(domains, "") is None
    with pytest.raises(MscInvalid):
        resolve_domain(domains, "Magi")


def test_a_story_with_an_unknown_domain_is_refused(db):
    with pytest.raises(StoryInvalid) as caught:
        create_story(db, story(domain="magi"))
    assert caught.value.errors[0].field == "domain"
    saved = create_story(db, story(domain="huset"))
    with pytest.raises(StoryInvalid):
        update_story(db, saved.id, {"domain": "magi"})
    assert get_story(db, saved.id).domain == "huset"
    assert domain_usage(db) == {"huset": 1}


def test_import_maps_domain_names_and_refuses_unknown_ones(db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("historie,domæne\nHistorie et,Huset\nHistorie to,Creating with others\nHistorie tre,\n",
                    encoding="utf-8")
    assert import_file(db, good).added == 3
    assert sorted((s or "") for (s,) in db.execute("SELECT domain FROM stories")) == ["", "huset", "skabe_med_andre"]
    bad = tmp_path / "bad.csv"
    bad.write_text("text,domain\nEn,Huset\nTo,Magi\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(db, bad)
    assert [(e.line, e.field, e.key) for e in caught.value.report.errors] == [(3, "domain", "msc.error.no_domain")]
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 3


def test_a_file_imported_before_domains_existed_adds_nothing_again(db, tmp_path):
    from stories.importer import import_key

    plain = story()
    payload_without_domain = {k: v for k, v in plain.to_row().items() if k != "domain"}
    assert "domain" not in payload_without_domain and import_key(plain) == import_key(story(domain=None))
    assert import_key(plain) != import_key(story(domain="huset"))


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_exports_carry_the_domain(db, tmp_path, fmt):
    create_story(db, story(domain="tillidsfulde_relationer"))
    out = tmp_path / f"out.{fmt}"
    export_stories(db, out, fmt)
    if fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))[0]["domain"] == "tillidsfulde_relationer"
    elif fmt == "csv":
        [row] = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert row["domain"] == "tillidsfulde_relationer"
    else:
        from openpyxl import load_workbook

        rows = list(load_workbook(out).active.iter_rows(values_only=True))
        assert rows[1][rows[0].index("domain")] == "tillidsfulde_relationer"
    again = connect(tmp_path / "again.db")
    if fmt != "json":
        import_file(again, out)
        assert again.execute("SELECT domain FROM stories").fetchone()[0] == "tillidsfulde_relationer"


def test_qdpx_carries_the_domain_both_ways(db, tmp_path):
    from coding.refi.qdpx_export import export_qdpx
    from coding.refi.qdpx_import import import_qdpx

    create_story(db, story(domain="skabe_med_andre", title="Med domæne"))
    create_story(db, story(title="Uden domæne", text="En anden historie."))
    out = tmp_path / "x.qdpx"
    export_qdpx(db, out)
    again = connect(tmp_path / "again.db")
    import_qdpx(again, out)
    assert dict(again.execute("SELECT title, domain FROM stories").fetchall()) == {
        "Med domæne": "skabe_med_andre", "Uden domæne": None}


def test_qdpx_domain_this_install_lacks_stays_an_attribute(db, tmp_path):
    from coding.refi.qdpx_export import export_qdpx
    from coding.refi.qdpx_import import import_qdpx

    apply_preset(db, "msc_default")
    create_story(db, story(domain="change_participation"))
    out = tmp_path / "x.qdpx"
    export_qdpx(db, out)
    again = connect(tmp_path / "again.db")
    import_qdpx(again, out)
    domain, extra = again.execute("SELECT domain, extra FROM stories").fetchone()
    assert domain is None and json.loads(extra)["domain"] == "change_participation"


def test_migration_gives_old_stories_their_mechanism_and_camp_domain(tmp_path):
    path = tmp_path / "old.db"
    old = configure(Database(path))
    sets = all_migration_sets()
    names = [s.name for s in sets]
    for earlier in sets[:names.index("msc")]:
        earlier.apply(old)
    stamp = "2025-05-01T10:00:00+00:00"
    for i, mechanism in enumerate(["huset", "", ""]):
        old.execute("INSERT INTO stories (id, text, teller_mechanism, created_at, updated_at, consent_internal)"
                    " VALUES (?, ?, ?, ?, ?, 1)", [f"id-{i}", f"Historie {i}", mechanism, stamp, stamp])
    old.execute("INSERT INTO camps (code, name, domains, created_at) VALUES ('ABCDEF', 'Camp', ?, ?)",
                [json.dumps(["skabe_med_andre", "Mod"]), stamp])
    old.execute("INSERT INTO camp_stories (story_seq, camp_id, domain) VALUES (2, 1, 'skabe_med_andre'),"
                " (3, 1, 'Mod')")
    old.conn.commit()
    old.conn.close()
    db = connect(path)
    assert dict(db.execute("SELECT id, domain FROM stories").fetchall()) == {
        "id-0": "huset", "id-1": "skabe_med_andre", "id-2": None}
    assert db.execute("SELECT domain FROM camp_stories WHERE story_seq = 3").fetchone()[0] == "Mod"


# --- pages -------------------------------------------------------------------------

def test_admin_adds_a_domain_and_deleting_one_in_use_is_refused(db_path):
    at = open_app("app_pages/msc_setup.py")
    assert at.header[0].value == "Domæner, perioder og udvælgelse"
    at.text_input(key="add_name_da").input("Uddannelse")
    at.text_input(key="add_name_en").input("Education")
    next(b for b in at.button if b.label == "Tilføj et domæne").click().run()
    assert not at.exception
    assert at.success[0].value == "Domænerne er gemt."
    db = connect(db_path)
    assert get_domain(db, "uddannelse").name_en == "Education"
    create_story(db, story(domain="uddannelse"))
    at.button(key="delete_domain_uddannelse").click().run()
    assert not at.exception
    assert "bruges af 1 historier" in at.error[0].value
    assert "uddannelse" in [d.key for d in list_domains(connect(db_path))]


def test_the_staff_form_asks_for_the_domain(db_path):
    at = open_app("app_pages/submit.py")
    at.text_area[0].input("Vi byggede en cykel sammen.")
    at.text_area[1].input("Han har aldrig før bedt om hjælp.")
    domain = at.radio(key="full_form_w_domain")
    assert domain.options[0] == "Ikke valgt endnu" and "Det at skabe med andre" in domain.options
    domain.set_value("skabe_med_andre")
    next(c for c in at.checkbox if c.label.startswith("Ja, til intern")).check()
    click(at, "Videre")
    assert "Det at skabe med andre" in [t.value for t in at.text]
    click(at, "Ja, gem historien")
    stored = connect(db_path).execute("SELECT domain, teller_mechanism FROM stories").fetchone()
    assert stored == ("skabe_med_andre", "skabe_med_andre")


def test_a_young_person_picks_the_domain_on_tell_in_english(db_path):
    at = open_app("app_pages/tell.py", lang="en")
    at.text_area[0].input("I help in the kitchen now.")
    at.text_area[1].input("Because I have friends here.")
    domain = at.radio(key="short_form_w_domain")
    assert "Any other change" in domain.options
    domain.set_value("any_other_change")
    next(c for c in at.checkbox if c.label.startswith("It is okay that the adults")).check()
    click(at, "Continue")
    click(at, "Yes, save the story")
    assert connect(db_path).execute("SELECT domain FROM stories").fetchone()[0] == "any_other_change"


def test_cli_lists_adds_and_refuses_with_one_line(db_path, capsys):
    from cli.main import main

    assert main(["domains", "add", "Job", "Work", "--db", str(db_path)]) == 0
    assert "job\tnamed\t0 stories\tJob / Work" in capsys.readouterr().out
    assert main(["domains", "delete", OTHER, "--db", str(db_path)]) == 1
    assert capsys.readouterr().err.strip() == ("changestories: error: The domain 'Any other change' always belongs"
                                               " and cannot be deleted.")


def test_demo_stories_get_their_domain(db):
    from changestories.demo import load_demo

    load_demo(db)
    assert db.execute("SELECT count(*) FROM stories WHERE domain IS NULL AND teller_mechanism != ''").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM stories WHERE domain = 'huset'").fetchone()[0] > 0
