"""Reporting periods: named date ranges; a story belongs to the period its change happened (or was told) in."""

import csv
import json

import pytest

from changestories.database import connect
from stories.exporter import export_stories
from stories.importer import import_file
from stories.model import Consent, Story
from stories.msc.errors import MscInvalid
from stories.msc.periods import (
    add_period, delete_period, find_period, list_periods, period_counts, story_periods, update_period,
)
from stories.storage import create_story
from stories.trust.permissions import Actor, PermissionDenied
from tests.apptest import open_app


def story(db, **fields):
    return create_story(db, Story(**{"text": "Han kom igen.", "significance": "Det betyder noget.",
                                     "consent": Consent(internal=True), **fields}))


def test_a_story_belongs_to_the_period_its_change_happened_in(db):
    spring = add_period(db, " Forår   2026 ", "2026-01-01", "2026-06-30")
    autumn = add_period(db, "Efterår 2025", "2025-07-01", "2025-12-31")
    assert spring.name == "Forår 2026" and [p.name for p in list_periods(db)] == ["Forår 2026", "Efterår 2025"]
    a = story(db, happened_on="2025-11-03")
    b = story(db, happened_on="2026-06-30")
    c = story(db, happened_on="2024-02-01")
    d = story(db)  # no date: the day it was told (today) decides
    periods = story_periods(db, [a.id, b.id, c.id, d.id])
    assert periods[a.id] == "Efterår 2025" and periods[b.id] == "Forår 2026" and c.id not in periods
    today = (d.created_at or "")[:10]
    assert (d.id in periods) == ("2025-07-01" <= today <= "2026-06-30")
    assert period_counts(db)[autumn.id] == 1


@pytest.mark.parametrize("name,start,end,key", [
    ("Forår 2026", "2026-06-30", "2026-01-01", "msc.error.period_order"),
    ("", "2026-01-01", "2026-06-30", "msc.error.period_name_required"),
    ("Forår 2026", "30-06-2026", "2026-07-01", "msc.error.period_date"),
    ("Forår\x00", "2026-01-01", "2026-06-30", "msc.error.period_name"),
    ("Sommer", "2025-12-01", "2026-01-31", "msc.error.period_overlap"),
    ("efterår 2025", "2024-01-01", "2024-06-30", "msc.error.period_exists"),
])
def test_bad_periods_are_refused_and_nothing_is_written(db, name, start, end, key):
    add_period(db, "Efterår 2025", "2025-07-01", "2025-12-31")
    with pytest.raises(MscInvalid) as caught:
        add_period(db, name, start, end)
    assert caught.value.key == key
    assert len(list_periods(db)) == 1


def test_the_refusal_reads_in_danish_and_english(db):
    with pytest.raises(MscInvalid) as caught:
        add_period(db, "Forår 2026", "2026-06-30", "2026-01-01")
    assert caught.value.message("da") == "Perioden slutter (2026-01-01), før den begynder (2026-06-30)."
    assert str(caught.value) == "The period ends (2026-01-01) before it starts (2026-06-30)."


def test_edit_and_delete_a_period(db):
    period = add_period(db, "Forår 2026", "2026-01-01", "2026-06-30")
    update_period(db, period.id, "Forår og sommer 2026", "2026-01-01", "2026-08-31")
    assert find_period(db, "Forår og sommer 2026").ends_on == "2026-08-31"
    with pytest.raises(MscInvalid):
        update_period(db, period.id, "Forår 2026", "2026-08-31", "2026-01-01")
    delete_period(db, period.id)
    assert list_periods(db) == []


def test_only_admins_name_periods(db):
    with pytest.raises(PermissionDenied):
        add_period(db, "Forår 2026", "2026-01-01", "2026-06-30", actor=Actor("mette", "staff"))


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_exports_carry_the_period_and_reimport_cleanly(db, tmp_path, fmt):
    add_period(db, "Forår 2026", "2026-01-01", "2026-06-30")
    story(db, happened_on="2026-03-01", title="I foråret")
    story(db, happened_on="2024-03-01", title="Før")
    out = tmp_path / f"out.{fmt}"
    export_stories(db, out, fmt)
    if fmt == "json":
        by_title = {d["title"]: d for d in json.loads(out.read_text(encoding="utf-8"))}
        assert by_title["I foråret"]["period"] == "Forår 2026" and by_title["Før"]["period"] is None
        return
    if fmt == "csv":
        rows = {r["title"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    else:
        from openpyxl import load_workbook

        values = list(load_workbook(out).active.iter_rows(values_only=True))
        rows = {r[values[0].index("title")]: dict(zip(values[0], r)) for r in values[1:]}
    assert rows["I foråret"]["period"] == "Forår 2026" and rows["Før"]["period"] in ("", None)
    again = connect(tmp_path / "again.db")
    report = import_file(again, out)
    assert report.added == 2 and "period" not in report.extra_columns


def test_cli_adds_lists_and_refuses_a_backwards_period(db_path, capsys):
    from cli.main import main

    assert main(["periods", "add", "Forår 2026", "2026-01-01", "2026-06-30", "--db", str(db_path)]) == 0
    assert "Forår 2026\t2026-01-01\t2026-06-30\t0 stories" in capsys.readouterr().out
    assert main(["periods", "add", "Baglæns", "2026-12-31", "2026-07-01", "--db", str(db_path)]) == 1
    assert "ends (2026-07-01) before it starts (2026-12-31)" in capsys.readouterr().err


def test_admin_adds_a_period_on_the_page_and_a_backwards_one_is_refused(db_path):

    at = open_app("app_pages/msc_setup.py")
    at.text_input(key="period_name").input("Forår 2026")
    at.text_input(key="period_start").input("30.06.2026")  # typed as a Danish user types a date
    at.text_input(key="period_end").input("1.1.2026")
    next(b for b in at.button if b.label == "Tilføj periode").click().run()
    assert not at.exception
    assert at.error[0].value.replace("\\", "") == "Perioden slutter (2026-01-01), før den begynder (2026-06-30)."
    assert list_periods(connect(db_path)) == []
    at.text_input(key="period_start").input("2026-01-01")
    at.text_input(key="period_end").input("30-6-2026")
    next(b for b in at.button if b.label == "Tilføj periode").click().run()
    assert not at.exception and at.success[0].value == "Perioden er gemt."
    assert [p.name for p in list_periods(connect(db_path))] == ["Forår 2026"]
