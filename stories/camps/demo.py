"""A finished, fictional demo camp: the demo stories told at a camp, chosen at two levels with reasons."""

from __future__ import annotations

from sqlite_utils import Database

from stories.camps.camps import CampDraft, close_camp, create_camp
from stories.camps.selection import add_group, close_round, open_round, record_selection, record_votes

DEMO_CODE = "KBHDEM"
# demo story index -> (domain, display name the teller chose)
DEMO_CAMP_STORIES = {
    4: ("tillidsfulde_relationer", "Madlinje-M"),
    7: ("skabe_med_andre", "Trommeslageren"),
    12: ("tillidsfulde_relationer", "Cykelsmeden"),
    16: ("tillidsfulde_relationer", "HF-starter"),
    21: ("skabe_med_andre", "Sprayeren"),
    24: ("skabe_med_andre", "Zombiefan"),
    28: ("skabe_med_andre", "Kaffe-K"),
    45: ("skabe_med_andre", "Medarbejder fra Nordvest"),
}
# domain -> level -> group -> (dots per demo index, chosen index, reasons)
DEMO_SELECTION = {
    "tillidsfulde_relationer": {
        1: {
            "Gruppe A": ({4: 5, 12: 7, 16: 3}, 12,
                         "En voksen fra huset gik med til samtalen og sagde noget godt om ham. Det viser, hvad "
                         "tillid kan betyde: at nogen står ved siden af én, når det gælder."),
            "Gruppe B": ({4: 6, 12: 4, 16: 5}, 4,
                         "Hun tog selv beslutningen om sin fremtid. Kontaktpersonen ventede udenfor – hun gjorde det "
                         "ikke for hende, men hun var der. Den slags relation vil vi have mere af."),
        },
        2: {
            "Plenum": ({12: 9, 4: 6}, 12,
                       "Begge historier handler om at turde tage et skridt mod uddannelse med en voksen ved sin side. "
                       "Vi valgte produktionsskolen, fordi det, han er god til i huset, også tæller ude i verden. "
                       "Vi vil blive bedre til at fortælle andre om de unges styrker."),
        },
    },
    "skabe_med_andre": {
        1: {
            "Gruppe A": ({7: 4, 21: 8, 24: 3, 28: 5, 45: 1}, 21,
                         "Væggen kan alle i kvarteret se, og de unge lavede den sammen fra skitse til færdig. De blev "
                         "set som nogen, der skaber noget, og ikke som ballademagere."),
            "Gruppe B": ({7: 3, 21: 4, 24: 6, 28: 5}, 24,
                         "De var uenige om reglerne, men fandt selv en måde at blive enige på. Det er det at skabe med "
                         "andre: både det sjove og det svære."),
        },
        2: {
            "Plenum": ({21: 7, 24: 8}, 21,
                       "Vi var delte. Graffitivæggen vandt, fordi forandringen rækker ud over huset: naboerne har set "
                       "de unge på en ny måde. Brætspillet fik også mange stemmer, fordi de unge lærte at blive enige."),
        },
    },
}


def load_demo_camp(db: Database) -> str:
    """Demo extension: one closed demo camp with a two-level selection (idempotent)."""
    from stories.db import write_transaction

    if db.execute("SELECT 1 FROM camps WHERE is_demo = 1").fetchone():
        return "demo camp already there"
    seqs = {int(k.split(":")[1]): seq for k, seq in
            db.execute("SELECT import_key, seq FROM stories WHERE import_key LIKE 'demo:%'").fetchall()}
    if not all(i in seqs for i in DEMO_CAMP_STORIES):
        return "demo stories missing: no demo camp"
    with write_transaction(db):
        camp = create_camp(db, CampDraft(
            name="Fortællecamp efterår 2026 (demo)", held_on="2026-10-01", site="",
            prompt="Når du ser tilbage på det seneste år: Hvad var den vigtigste forandring for dig?",
            domains=tuple(DEMO_SELECTION), levels=("team", "house"),
        ), code=DEMO_CODE)
        db.conn.execute("UPDATE camps SET is_demo = 1 WHERE id = ?", [camp.id])
        db.conn.executemany(
            "INSERT OR IGNORE INTO camp_stories (story_seq, camp_id, domain, display_name) VALUES (?, ?, ?, ?)",
            [(seqs[i], camp.id, domain, name) for i, (domain, name) in DEMO_CAMP_STORIES.items()])
        made: dict[tuple[int, str], int] = {}
        for domain, levels in DEMO_SELECTION.items():
            for level, by_group in levels.items():
                for name in by_group:
                    if (level, name) not in made:
                        made[(level, name)] = add_group(db, camp.id, level, name).id
                rnd = open_round(db, camp.id, level, domain)
                for name, (dots, chosen, reasons) in by_group.items():
                    record_votes(db, rnd.id, made[(level, name)], {seqs[i]: n for i, n in dots.items()})
                    record_selection(db, rnd.id, made[(level, name)], seqs[chosen], reasons)
                close_round(db, rnd.id)
        close_camp(db, camp.id)
    return f"demo camp {DEMO_CODE} with {len(DEMO_CAMP_STORIES)} stories and a two-level selection"
