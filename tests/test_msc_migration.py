"""A database made by the main before the selection engine: its camps' groups, rounds, dots, choices
and distributions move into the engine with nothing lost."""

import json

from sqlite_utils import Database

from stories.camps.selection import candidates, feedback, groups, results, rounds
from changestories.database import connect
from stories.db import configure
from changestories.schema import all_migration_sets

STAMP = "2026-01-01T10:00:00+00:00"


def old_database(path):
    """Every migration set as today's main left it: the camps set whole, "msc" stopped before m003."""
    old = configure(Database(path))
    for migration_set in all_migration_sets():
        migration_set.apply(old, stop_before="m003_selection")
    return old


def test_camp_selection_moves_into_the_engine_with_nothing_lost(tmp_path):
    path = tmp_path / "old.db"
    old = old_database(path)
    assert old["camp_groups"].exists() and not old["msc_rounds"].exists()
    for i in range(1, 6):
        old.execute("INSERT INTO stories (id, text, significance, created_at, updated_at, consent_internal)"
                    " VALUES (?, ?, 'Vigtigt', ?, ?, 1)", [f"id-{i}", f"Historie {i}", STAMP, STAMP])
    old.execute("INSERT INTO camps (id, code, name, domains, levels, created_at, created_by) VALUES"
                " (7, 'ABCDEF', 'Camp på Amager', ?, ?, ?, 'fie')",
                [json.dumps(["huset"]), json.dumps(["team", "house"]), STAMP])
    old.execute("INSERT INTO camps (id, code, name, created_at) VALUES (8, 'GHJKLM', 'Tom camp', ?)", [STAMP])
    old.execute("INSERT INTO camp_groups (id, camp_id, level, name) VALUES (11, 7, 1, 'Gruppe A'),"
                " (12, 7, 1, 'Gruppe B'), (13, 7, 2, 'Plenum')")
    for seq in range(1, 6):
        old.execute("INSERT INTO camp_stories (story_seq, camp_id, domain, display_name, group_id)"
                    " VALUES (?, 7, 'huset', ?, ?)", [seq, f"Navn {seq}", 11 if seq % 2 else 12])
    old.execute("INSERT INTO camp_rounds (id, camp_id, level, domain, opened_at, closed_at) VALUES"
                " (21, 7, 1, 'huset', ?, ?), (22, 7, 2, 'huset', ?, NULL)", [STAMP, STAMP, STAMP])
    old.execute("INSERT INTO camp_votes (round_id, group_id, story_seq, dots) VALUES (21, 11, 1, 5), (21, 11, 3, 2),"
                " (21, 12, 2, 4), (22, 13, 1, 7)")
    old.execute("INSERT INTO camp_selections (round_id, group_id, story_seq, reasons, recorded_at, recorded_by)"
                " VALUES (21, 11, 1, 'Fordi han turde.', ?, 'fie'), (21, 12, 2, 'Fordi hun blev.', ?, 'fie'),"
                " (22, 13, 1, 'Plenum valgte den.', ?, 'fie')", [STAMP, STAMP, STAMP])
    old.conn.commit()
    old.conn.close()

    db = connect(path)
    assert not db["camp_groups"].exists() and not db["camp_votes"].exists()
    assert "group_id" not in {c.name for c in db["camp_stories"].columns}
    assert db.execute("SELECT count(*), group_concat(display_name) FROM camp_stories").fetchone() == (
        5, "Navn 1,Navn 2,Navn 3,Navn 4,Navn 5")
    assert db.execute("SELECT count(*) FROM msc_processes WHERE kind = 'camp'").fetchone()[0] == 2
    assert [(g.id, g.level, g.name) for g in groups(db, 7)] == [(11, 1, "Gruppe A"), (12, 1, "Gruppe B"),
                                                                (13, 2, "Plenum")]
    assert [(r.id, r.level, r.is_open) for r in rounds(db, 7)] == [(21, 1, False), (22, 2, True)]
    assert [c.story.seq for c in candidates(db, 21, 11)] == [1, 3, 5]  # the distribution is kept
    by_level = {r.round.level: r for r in results(db, 7)}
    assert [(s.seq, n) for s, n, _ in by_level[1].panels[0].tally] == [(1, 5), (3, 2)]
    assert by_level[1].panels[1].choice.reasons == "Fordi hun blev."
    assert by_level[2].panels[0].choice.earlier[0].reasons == "Fordi han turde."
    [top, other] = feedback(db, 7, purpose=None)  # as stored (the public view replaces names)
    assert (top.story.seq, top.highest_level, top.story.display_name) == (1, 2, "Navn 1")
    assert [r.reasons for r in top.reasons] == ["Fordi han turde.", "Plenum valgte den."]
    assert db.execute("SELECT recorded_by FROM msc_choices WHERE round_id = 22").fetchone()[0] == "fie"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.execute("DELETE FROM stories WHERE seq = 1")  # the cascades still reach every moved row
    assert db.execute("SELECT count(*) FROM msc_votes WHERE story_seq = 1").fetchone()[0] == 0


def test_an_install_without_camps_migrates_too(tmp_path):
    old = old_database(tmp_path / "empty.db")
    old.conn.close()
    db = connect(tmp_path / "empty.db")
    assert db.execute("SELECT count(*) FROM msc_processes").fetchone()[0] == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
