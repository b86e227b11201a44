"""Demo coding: the KBH+ codebook and two fictional demo coders who mostly, not always, agree.

Runs from `changestories demo` (stories.demo.DEMO_EXTENSIONS) after the demo stories are
loaded; running it again adds nothing.
"""

from __future__ import annotations

import random
import re

from sqlite_utils import Database

from coding.codebook.codes import Code, active_codebook, codable_codes, create_codebook, list_codebooks
from coding.codings import WHOLE, Span, set_status, insert_coding
from coding.memos import insert_memo
from stories.textindex.pipeline import story_sentences
from coding.reconcile import proposed_selection
from stories.db import write_transaction
from stories.clock import now_iso

DEMO_CODERS = ("demo-coder-a", "demo-coder-b")
SHARE_CODED = 0.75  # of the demo stories with consent to evaluation
SHARE_DOUBLE = 0.8  # of those, coded by the second coder too
RECONCILED = 3


def _matches(code: Code, text: str, lang: str) -> int:
    lower = text.lower()
    return sum(len(re.findall(r"\b" + re.escape(k.lower()), lower)) for k in code.keywords(lang))


def _first_coder(codes: list[Code], story: dict, sentences: list[tuple[int, int, str]]) -> dict[Span, set[int]]:
    by_key = {c.key: c for c in codes}
    lang = story["language"]
    whole = {c.id for c in codes if _matches(c, story["text"], lang) >= 3}
    if story["teller_mechanism"] in by_key:
        whole.add(by_key[story["teller_mechanism"]].id)
    selection: dict[Span, set[int]] = {WHOLE: whole}
    scored = []
    for start, end, text in sentences:
        hits = {c.id for c in codes if _matches(c, text, lang)}
        if hits:
            scored.append(((start, end), hits))
    for span, hits in scored[:3]:
        selection[span] = hits
    return selection


def _second_coder(first: dict[Span, set[int]], codes: list[Code], rng: random.Random) -> dict[Span, set[int]]:
    """Mostly the same codes; now and then one code more or one less."""
    ids = [c.id for c in codes]
    second: dict[Span, set[int]] = {}
    for span, chosen in first.items():
        chosen = set(chosen)
        roll = rng.random()
        if roll < 0.15 and chosen:
            chosen.discard(rng.choice(sorted(chosen)))
        elif roll < 0.27:
            chosen.add(rng.choice(ids))
        second[span] = chosen
    return second


def _store(db: Database, seq: int, coder: str, selection: dict[Span, set[int]], memo_for: int | None) -> None:
    for span, chosen in selection.items():
        for code_id in sorted(chosen):
            memo = "Tydeligt eksempel." if memo_for == code_id and span == WHOLE else ""
            insert_coding(db, seq, code_id, coder, span, memo, "manual")
    set_status(db, seq, coder, True)


def load_demo_coding(db: Database) -> str:
    """Create the KBH+ codebook (if there is none) and code part of the demo stories."""
    if not list_codebooks(db):
        create_codebook(db, "", "kbh_plus")
    codebook_id = active_codebook(db)
    codes = codable_codes(db, codebook_id)
    if not codes:
        return "no codes to code with"
    marks = ",".join("?" * len(DEMO_CODERS))
    if db.execute(f"SELECT 1 FROM codings WHERE coder IN ({marks}) LIMIT 1", DEMO_CODERS).fetchone():
        return "already coded"
    cursor = db.execute(
        "SELECT seq, id, text, language, teller_mechanism FROM stories WHERE is_demo = 1 AND deleted_at IS NULL"
        " AND consent_evaluation = 1 AND consent_withdrawn_at IS NULL ORDER BY seq")
    names = [d[0] for d in cursor.description]
    stories = [dict(zip(names, r)) for r in cursor.fetchall()]
    rng = random.Random(20260501)
    coded = stories[: round(len(stories) * SHARE_CODED)]
    double = 0
    with write_transaction(db):
        for i, story in enumerate(coded):
            sentences = story_sentences(db, story["seq"], story["text"])
            first = _first_coder(codes, story, sentences)
            _store(db, story["seq"], DEMO_CODERS[0], first, codes[0].id if i % 7 == 0 else None)
            if rng.random() < SHARE_DOUBLE:
                _store(db, story["seq"], DEMO_CODERS[1], _second_coder(first, codes, rng), None)
                double += 1
                if double <= RECONCILED:
                    _reconcile(db, story["seq"])
        if coded:
            insert_memo(db, "Fortællingen viser, hvordan huset og relationen til en voksen hænger sammen.",
                        DEMO_CODERS[0], story_seq=coded[0]["seq"])
        insert_memo(db, "Vi bruger koden også, når den unge beskriver huset som et frirum fra hjemmet.",
                    DEMO_CODERS[1], code_id=codes[0].id)
    return f"{len(coded)} stories coded, {double} by both demo coders"


def _reconcile(db: Database, seq: int) -> None:
    for span, chosen in proposed_selection(db, seq).items():
        for code_id in sorted(chosen):
            insert_coding(db, seq, code_id, DEMO_CODERS[0], span, "", "reconciled")
    db.conn.execute("INSERT OR IGNORE INTO reconciliations(story_seq, reconciled_by, created_at) VALUES (?, ?, ?)",
                    [seq, DEMO_CODERS[0], now_iso()])
