"""Demo data of the Most Significant Change cycle (fictional): the demo stories' domains, a finished
reporting period selected at three levels with reasons, feedback and verification, and an open
period whose teams can start choosing."""

from __future__ import annotations

from sqlite_utils import Database

FINISHED = ("Efterår 2025 (demo)", "2025-07-01", "2025-12-31")
OPEN = ("Forår 2026 (demo)", "2026-01-01", "2026-06-30")
LEADER, FUNDER = "leder", "fond"  # panel members: accounts with these names can run those levels
LEVELS = (("Team", "internal"), ("Ledelse", "internal"), ("Bestyrelse og fond", "evaluation"))
REASONS = {
    1: {
        "huset": "Huset blev et sted, hvor den unge kunne være sig selv. Vi valgte den, fordi den viser, hvad en "
                 "åben dør betyder i {site}.",
        "skabe_med_andre": "De unge lavede noget sammen fra start til slut. Historien viser, at det at skabe med "
                           "andre giver mod – det så vi tydeligt i {site}.",
        "tillidsfulde_relationer": "En voksen holdt fast, også da det var svært. Den slags tillid er det, vi i "
                                   "{site} arbejder for hver dag.",
    },
    2: {
        "huset": "Ledelsen valgte den, fordi den viser, at husets rammer gør en forskel, før der bliver talt om "
                 "noget som helst. Vi vil holde fast i de åbne eftermiddage.",
        "skabe_med_andre": "Historien viser, at fællesskab opstår, når de unge får et rigtigt ansvar. Den peger på, "
                           "hvor vi skal bruge flere kræfter.",
        "tillidsfulde_relationer": "Vi valgte den, fordi forandringen kom af, at en voksen blev ved. Den minder os "
                                   "om, at kontinuitet i personalet betyder noget.",
    },
    3: {
        "huset": "Bestyrelsen og fonden valgte den, fordi den viser, hvad et trygt sted kan betyde for en ung, der "
                 "ellers ikke havde noget sted at gå hen.",
        "skabe_med_andre": "Den viser, at indsatsen skaber noget, der rækker ud over huset. Det er den forandring, "
                           "fonden gerne vil støtte.",
        "tillidsfulde_relationer": "Den viser tydeligst, hvad en tillidsfuld relation kan flytte. Vi vil gerne høre "
                                   "mere om, hvordan medarbejderne får tid til det.",
    },
}
DISCUSSION = {1: "Vi satte prikker hver for sig og talte derefter om de to med flest.",
              2: "Ledermødet var delt mellem to historier; vi blev enige efter en runde mere.",
              3: "Bestyrelsen og fondens konsulent læste historierne hjemmefra og valgte på mødet."}


def load_demo_msc(db: Database) -> str:
    """Demo extension (idempotent): domains for the demo stories, a finished and an open demo period."""
    from stories.db import write_transaction
    from stories.msc.periods import add_period, list_periods

    with write_transaction(db):
        given = db.conn.execute("UPDATE stories SET domain = teller_mechanism WHERE is_demo = 1 AND domain IS NULL"
                                " AND teller_mechanism IN (SELECT key FROM msc_domains)").rowcount
        if any(p.name == FINISHED[0] for p in list_periods(db)):
            return f"{given} demo stories given a domain; demo periods already there"
        if any(p.starts_on <= FINISHED[2] and FINISHED[1] <= p.ends_on or p.starts_on <= OPEN[2] and
               OPEN[1] <= p.ends_on for p in list_periods(db)):
            return f"{given} demo stories given a domain; the install has its own periods: no demo selection"
        finished = add_period(db, *FINISHED)
        opened = add_period(db, *OPEN)
        done = _finished_selection(db, finished.id)
        _open_selection(db, opened.id)
    return (f"{given} demo stories given a domain; {FINISHED[0]} selected at three levels ({done} choices),"
            f" {OPEN[0]} open for the teams")


def _sites(db: Database, period_id: int) -> list[str]:
    from stories.msc.periods import get_period, story_day

    period = get_period(db, period_id)
    return [r[0] for r in db.execute(
        f"SELECT DISTINCT s.site FROM stories AS s WHERE s.is_demo = 1 AND s.site != '' AND {story_day('s')}"
        " BETWEEN ? AND ? ORDER BY 1", [period.starts_on, period.ends_on])]


def _panels(db: Database, process_id: int, period_id: int) -> list:
    from stories.msc.process import add_panel

    made = [add_panel(db, process_id, 1, f"Team {site}", sites=[site], members=[f"team-{site.lower()}"])
            for site in _sites(db, period_id)]
    made.append(add_panel(db, process_id, 2, "Ledelsen", members=[LEADER]))
    made.append(add_panel(db, process_id, 3, "Bestyrelse og fond", members=[FUNDER]))
    return made


def _finished_selection(db: Database, period_id: int) -> int:
    from stories.msc.feedback import mark_sent
    from stories.msc.process import create_period_process, panels
    from stories.msc.rounds import (
        close_round, find_round, read_in_round, record_choice, record_votes, rounds, start_process,
    )
    from stories.msc.verification import verify_story

    process = create_period_process(db, period_id, "Udvælgelse efterår 2025 (demo)", LEVELS)
    _panels(db, process.id, period_id)
    start_process(db, process.id)
    made, top = 0, []
    for level in (1, 2, 3):
        for domain, texts in REASONS[level].items():
            rnd = find_round(db, process.id, level, domain)
            if rnd is None:
                continue
            for panel in panels(db, process.id, level):
                stories = read_in_round(db, rnd.id, panel.id)
                if not stories:
                    continue
                dots = {s.seq: 1 + (i * 3 + len(domain)) % 5 for i, s in enumerate(stories)}
                record_votes(db, rnd.id, panel.id, dots)
                pick = max(stories, key=lambda s: (dots[s.seq], -s.seq))
                site = panel.name.removeprefix("Team ")
                record_choice(db, rnd.id, panel.id, pick.seq, texts.format(site=site), DISCUSSION[level])
                made += 1
                if level == 3:
                    top.append(pick)
            close_round(db, rnd.id)
        mark_sent(db, process.id, level, "Husene og medarbejderne, der skrev historierne" if level < 3
                  else "Bestyrelsen og fonden", "Sendt som DOCX og læst op på husmøderne.")
    for rnd in rounds(db, process.id):  # a finished period: the domains nobody told a story in close too
        if rnd.is_open:
            close_round(db, rnd.id)
    if top:  # one of the funder's choices checked with the teller; the others stay unverified
        verify_story(db, top[0].id, "Kontaktpersonen i huset", "2026-01-15", "teller",
                     "Fortælleren bekræftede forløbet og gav lov til, at historien bruges i rapporten.")
    return made


def _open_selection(db: Database, period_id: int) -> None:
    from stories.msc.process import create_period_process
    from stories.msc.rounds import start_process

    process = create_period_process(db, period_id, "Udvælgelse forår 2026 (demo)", LEVELS)
    _panels(db, process.id, period_id)
    start_process(db, process.id)
