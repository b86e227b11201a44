"""Importing a file stores exactly what it stored before the import was made faster (issue 16).

A generated CSV of 1,300 rows (three staged writes of 500, Danish and English, dates written
the Danish way, extra columns, punctuation, numbers, emoji, negations) is imported through
`stories.importer.import_file` with the real lemma tables. Everything the import writes is
reduced to one canonical snapshot: the story rows (with their import keys, so a file
imported before the change is still recognised after it), the full-text index itself (every
term instance, read with fts5vocab, not the content table), sentences, the lemma counts
(as lemmas, not ids), the per-story NLP figures and the stored lemmas. Its digest was
computed with the import as it was before the speed-up; any change to what is stored fails.
"""

import csv
import hashlib
import json
import random

import numpy as np
import pytest

from changestories.database import connect
from stories.importer import import_file
from stories.limits import DEFAULT_LIMITS

# The digest of `snapshot` for `write_file`'s file, imported by the code before the speed-up.
EXPECTED = "92d81d86bf16517f140ab8b559856269fbc30e420331a6338949a7155cd5bb83"

DA_WORDS = ("vi lavede mad i køkkenet huset var fuldt vennerne skabte noget sammen med de unge ikke glad"
            " hun gik han kom aldrig trist skolen fodbold relationer tillid betyder meget for lidt godt"
            " dårligt fantastisk æbler øl åen mødet medarbejderen forældrene sagde spurgte ville kunne"
            " lektier praktik arbejde venner husene gik løb grinede græd hjalp").split()
EN_WORDS = ("we made friends the houses went quiet not happy she never came school football trust"
            " matters a lot good bad great apples meeting staff parents said asked would could").split()
MARKS = (".", ".", ".", "!", "?", "...", ",", " »nej«", " 14.30", " kl. 9", " 😀", " (igen)", " Mr. Smith", " 3/4")


def _text(rng: random.Random, words: tuple[str, ...] | list[str], n: int) -> str:
    out = []
    for _ in range(n):
        sentence = [rng.choice(words) for _ in range(rng.randint(3, 14))]
        sentence[0] = sentence[0].capitalize()
        out.append(" ".join(sentence) + rng.choice(MARKS))
    return " ".join(out)


def write_file(path) -> None:
    rng = random.Random(16)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["historie", "titel", "betydning", "rolle", "sted", "dato", "sprog", "polaritet", "alder", "note"])
        for i in range(1300):
            english = i % 7 == 3
            words = EN_WORDS if english else DA_WORDS
            w.writerow([_text(rng, words, rng.randint(1, 12)), f"Fortælling {i}" if i % 5 else "",
                        _text(rng, words, 1) if i % 3 else "", rng.choice(["ung", "medarbejder", "staff", ""]),
                        rng.choice(["Valby", "Nordvest", ""]), f"{1 + i % 28}.{1 + i % 12}.2025" if i % 4 else "",
                        "engelsk" if english else rng.choice(["dansk", "da", ""]),
                        rng.choice(["positiv", "blandet", "negative", ""]), rng.choice(["15-17", "18-21", ""]),
                        f"note {i % 13}" if i % 2 else ""])


def snapshot(db) -> dict:
    """What an import writes, without ids, timestamps and the numbering of lemma ids."""
    lemma = dict(db.execute("SELECT id, lemma FROM lemmas").fetchall())
    columns = [c for c in db["stories"].columns_dict if c not in ("id", "created_at", "updated_at", "reviewed_at")]
    stories_rows = [list(r) for r in db.execute(f"SELECT {','.join(columns)} FROM stories ORDER BY seq")]
    sentences = [list(r) for r in db.execute("SELECT story_seq, idx, start, end FROM sentences ORDER BY story_seq, idx")]
    nlp = []
    for seq, lang, words, known, sentiment, scored, ids, counts in db.execute("SELECT * FROM story_nlp ORDER BY story_seq"):
        ids = np.frombuffer(ids, "<i4").tolist()
        assert ids == sorted(ids)
        pairs = sorted(zip((lemma[i] for i in ids), np.frombuffer(counts, "<i4").tolist()))
        nlp.append([seq, lang, words, known, round(sentiment, 9), scored, pairs])
    lemma_json = [[seq, sorted((lemma[int(k)], v) for k, v in json.loads(text).items())]
                  for seq, text in db.execute("SELECT story_seq, lemmas FROM story_lemma_json ORDER BY story_seq")]
    db.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, stories_fts, instance)")
    terms = [list(r) for r in db.execute("SELECT term, doc, col, offset FROM temp.fts_terms ORDER BY doc, col, offset")]
    db.execute("INSERT INTO stories_fts(stories_fts) VALUES ('integrity-check')")  # raises if the index is off
    state = dict(db.execute("SELECT key, value FROM nlp_state WHERE key LIKE 'stop_lemmas:%'").fetchall())
    return {"columns": columns, "stories": stories_rows, "sentences": sentences, "nlp": nlp, "lemma_json": lemma_json,
            "fts": terms, "lemmas": sorted(lemma.values()), "stop_lemmas": state,
            "staged": db.execute("SELECT count(*) FROM staged_imports").fetchone()[0],
            "bulk_ranges": db.execute("SELECT count(*) FROM stories_bulk_write").fetchone()[0]}


def digest(snap: dict) -> str:
    return hashlib.sha256(json.dumps(snap, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@pytest.mark.real_lemmas
def test_a_file_import_stores_what_it_stored_before_the_speed_up(tmp_path):
    path = tmp_path / "stories.csv"
    write_file(path)
    db = connect(tmp_path / "a.db")
    report = import_file(db, path, limits=DEFAULT_LIMITS)
    assert report.added == 1300 and not report.errors
    snap = snapshot(db)
    assert snap["staged"] == 0 and snap["bulk_ranges"] == 0
    assert len(snap["stories"]) == 1300 and snap["fts"] and snap["sentences"] and snap["lemmas"]
    assert {row[snap["columns"].index("language")] for row in snap["stories"]} == {"da", "en"}
    assert digest(snap) == EXPECTED
    assert import_file(db, path).added == 0  # the same file again adds nothing
