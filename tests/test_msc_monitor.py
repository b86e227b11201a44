"""Meta-monitoring: the cycle's figures on the page, as CSV and from `changestories monitor --json`."""

import csv
import io
import json

from stories.msc.feedback import mark_sent
from stories.msc.monitor import cells_csv, monitor
from stories.trust.permissions import Actor
from tests.test_msc_history import chosen  # noqa: F401  (the fixtures)
from tests.test_msc_selection import cycle  # noqa: F401


def test_figures_of_the_cycle(chosen):
    db, s, ids = chosen
    db.execute("UPDATE stories SET teller_role = 'young_person', polarity = 'negative' WHERE seq = ?", [s["va2"]])
    db.conn.commit()
    process_id = db.execute("SELECT id FROM msc_processes").fetchone()[0]
    mark_sent(db, process_id, 1, "Huset Valby")
    figures = monitor(db)
    assert figures.stories == 6 and figures.told_by_young_people == 1 and figures.negative == 1
    assert figures.share_told_by_young_people == round(1 / 6, 4) and figures.without_domain == 0
    cell = {(c["period"], c["site"], c["domain"], c["teller_role"]): c["stories"] for c in figures.cells}
    assert cell[("Forår 2026", "Nordvest", "tillidsfulde_relationer", "other")] == 2
    assert cell[("", "Nordvest", "tillidsfulde_relationer", "other")] == 1  # the story outside the period
    levels = {f.level: f for f in figures.levels}
    assert (levels[1].read, levels[1].chosen, levels[1].rate, levels[1].feedback_sent) == (5, 2, 0.4, 1)
    assert (levels[2].read, levels[2].chosen, levels[2].feedback_sent) == (2, 1, 0)
    assert (levels[3].read, levels[3].chosen, levels[3].rate) == (0, 0, None)
    [spring] = figures.periods
    # the trust domain's first round is closed: its four stories were read; the other domains' rounds are open
    assert (spring.period, spring.stories, spring.awaiting_selection) == ("Forår 2026", 5, 1)


def test_staff_see_figures_of_their_sites_only(chosen):
    db, s, ids = chosen
    figures = monitor(db, actor=Actor("mette", "staff", frozenset({"Nordvest"})))
    assert figures.stories == 4 and {c["site"] for c in figures.cells} == {"Nordvest"}


def test_csv_has_one_row_per_cell_and_no_formulas(chosen):
    db, s, ids = chosen
    db.execute("UPDATE stories SET site = '=HYPERLINK(\"x\")' WHERE seq = ?", [s["va2"]])
    db.conn.commit()
    rows = list(csv.DictReader(io.StringIO(cells_csv(monitor(db)).decode("utf-8-sig"))))
    assert list(rows[0]) == ["period", "site", "domain", "teller_role", "stories"]
    assert sum(int(r["stories"]) for r in rows) == 6
    assert any(r["site"] == "'=HYPERLINK(\"x\")" for r in rows)


def test_cli_prints_the_figures_as_json(db_path, capsys, tmp_path):
    from changestories.database import connect
    from changestories.demo import load_demo
    from cli.main import main

    load_demo(connect(db_path))
    assert main(["monitor", "--json", "--db", str(db_path), "--csv", str(tmp_path / "m.csv")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stories"] >= 40 and 0 < data["share_told_by_young_people"] < 1
    assert {"cells", "periods", "levels", "share_negative", "without_domain"} <= set(data)
    assert (tmp_path / "m.csv").read_bytes().startswith(b"\xef\xbb\xbfperiod,site,domain,teller_role,stories")
    assert main(["monitor", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("stories: ")


def test_monitor_page_shows_the_figures_and_a_csv(chosen, db_path):
    from changestories.database import connect
    from tests.apptest import open_app

    db, s, ids = chosen
    db.conn.backup(connect(db_path).conn)
    at = open_app("app_pages/msc_monitor.py")
    assert not at.exception and at.header[0].value == "Overblik: fortællinger, udvælgelse og tilbagemelding"
    assert [m.value for m in at.metric][:1] == ["6"]
    assert len(at.table) == 3 and at.get("download_button")
