"""The demo shows the whole cycle: a finished period selected at three levels with reasons at each,
feedback sent, one verified and unverified chosen stories; and an open period the teams can start."""

from changestories.demo import load_demo
from stories.msc.feedback import feedback
from stories.msc.periods import list_periods
from stories.msc.process import list_processes
from stories.msc.rounds import rounds


def test_demo_has_a_finished_and_an_open_period(db):
    report = load_demo(db)
    assert "selected at three levels" in report.extras["msc"]
    assert [p.name for p in list_periods(db)] == ["Forår 2026 (demo)", "Efterår 2025 (demo)"]
    done, open_ = sorted(list_processes(db, kind="period"), key=lambda p: p.id)
    assert all(not r.is_open for r in rounds(db, done.id))
    levels = feedback(db, done.id)
    assert [lv.level.name for lv in levels] == ["Team", "Ledelse", "Bestyrelse og fond"]
    assert all(lv.chosen and all(c.reasons for c in lv.chosen) and lv.sent for lv in levels)
    top = levels[2].chosen
    assert len([c for c in top if c.verified]) == 1 and len([c for c in top if not c.verified]) >= 1
    assert {r.level for r in rounds(db, open_.id)} == {1} and all(r.is_open for r in rounds(db, open_.id))
    again = load_demo(db)
    assert "already there" in again.extras["msc"]
    assert len(list_processes(db, kind="period")) == 2
