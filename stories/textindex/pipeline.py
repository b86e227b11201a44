"""The text index: each story analysed once, when it is saved, imported or edited.

Its sentences (character offsets into the text), lemma counts, word statistics and lexicon
sentiment are stored, and every view reads those stored results instead of running the
pipeline. The per-language resources (spaCy's blank pipelines, lookup lemmas, stop words)
are in `stories.textindex.language`; the analysis is vectorised over a batch of docs in
`stories.textindex.batch`.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from stories.textindex.batch import analyse_docs, forms_for
from stories.textindex.language import lang_key, load_pipeline, stop_lemmas_json

PIPE_BATCH = 256
WRITE_BATCH = 2500  # stories analysed and written per round: bounds memory on big imports


@dataclass(frozen=True)
class Analysis:
    sentences: list[tuple[int, int]]
    lemma_counts: Counter
    words: int = 0  # alphabetic tokens
    known: int = 0  # of those, words a lexicon or the stop list knows
    sentiment: float = 0.0  # AFINN sum over the words
    sentiment_words: int = 0  # words (or phrases) with an AFINN score


def analyse(text: str, lang: str = "da") -> Analysis:
    return analyse_many([text], [lang])[0]


def analyse_batches(texts: Sequence[str], langs: Sequence[str]):
    """(positions, DocBatch) per language: the texts analysed with nlp.pipe, one pass per language."""
    keys = [lang_key(lang) for lang in langs]
    for key in sorted(set(keys)):
        positions = [i for i, k in enumerate(keys) if k == key]
        docs = list(load_pipeline(key).pipe((texts[i] for i in positions), batch_size=PIPE_BATCH))
        yield positions, analyse_docs(docs, forms_for(key))


def analyse_many(texts: Sequence[str], langs: Sequence[str]) -> list[Analysis]:
    """Analyse many texts, results in input order."""
    results: list[Analysis | None] = [None] * len(texts)
    for positions, b in analyse_batches(texts, langs):
        sent_bounds = b.doc_bounds(b.sent_doc)
        pair_bounds = b.doc_bounds(b.pair_doc)
        for d, i in enumerate(positions):
            s0, s1 = sent_bounds[d], sent_bounds[d + 1]
            p0, p1 = pair_bounds[d], pair_bounds[d + 1]
            counts = Counter({b.lemmas[k]: int(c) for k, c in zip(b.pair_lemma[p0:p1], b.pair_n[p0:p1])})
            results[i] = Analysis(list(zip(b.sent_start[s0:s1].tolist(), b.sent_end[s0:s1].tolist())), counts,
                                  int(b.words[d]), int(b.known[d]), float(b.sentiment[d]), int(b.scored[d]))
    return results  # type: ignore[return-value]


def _lemma_ids(db: Database, lemmas: Iterable[str], known: dict[str, int] | None = None) -> dict[str, int]:
    """Ids of the lemmas, adding the new ones. `known` (lemma -> id, valid in this
    transaction) saves the look-ups of a big import and learns the new ids."""
    wanted = list(set(lemmas))
    ids: dict[str, int] = {}
    if known is not None:
        ids = {w: known[w] for w in wanted if w in known}
        wanted = [w for w in wanted if w not in ids]

    def lookup(words: list[str]) -> None:
        for i in range(0, len(words), 500):
            chunk = words[i : i + 500]
            marks = ",".join("?" * len(chunk))
            ids.update((w, i_) for i_, w in db.conn.execute(f"SELECT id, lemma FROM lemmas WHERE lemma IN ({marks})", chunk))

    if known is None:
        lookup(wanted)
    missing = [w for w in wanted if w not in ids]
    if missing:
        db.conn.executemany("INSERT OR IGNORE INTO lemmas(lemma) VALUES (?)", [(w,) for w in missing])
        lookup(missing)
        if known is not None:
            known.update((w, ids[w]) for w in missing)
    return ids


def bump_version(db: Database, key: str) -> None:
    db.conn.execute("UPDATE nlp_state SET value = value + 1 WHERE key = ?", [key])


def index_stories(db: Database, items: Sequence[tuple[int, str, str]]) -> None:
    """Store sentences, lemma counts and per-story results for (story_seq, text, language) items.

    Call inside the caller's write transaction: replaces any earlier index of those stories.
    """
    # A big import allocates millions of small objects; the cyclic garbage collector would
    # walk the whole heap again and again (a fifth of the time). It waits until the end.
    pause = len(items) >= WRITE_BATCH and gc.isenabled()
    # Many stories: read every lemma id once instead of looking them up batch by batch.
    known = dict((w, i) for i, w in db.conn.execute("SELECT id, lemma FROM lemmas")) if len(items) >= WRITE_BATCH else None
    if pause:
        gc.disable()
    try:
        for i in range(0, len(items), WRITE_BATCH):
            _index_batch(db, items[i : i + WRITE_BATCH], known)
    finally:
        if pause:
            gc.enable()
    if items:
        bump_version(db, "nlp_version")
        for lang in {lang_key(lang) for _, _, lang in items}:
            db.conn.execute("INSERT OR REPLACE INTO nlp_state(key, value) VALUES (?, ?)",
                            [f"stop_lemmas:{lang}", stop_lemmas_json(lang)])


def _index_batch(db: Database, items: Sequence[tuple[int, str, str]], known: dict[str, int] | None = None) -> None:
    conn = db.conn
    conn.executemany("DELETE FROM sentences WHERE story_seq = ?", [(seq,) for seq, _, _ in items])
    for positions, b in analyse_batches([text for _, text, _ in items], [lang for _, _, lang in items]):
        seqs = np.array([items[i][0] for i in positions], dtype=np.int64)
        lang = lang_key(items[positions[0]][2])
        conn.executemany(
            "INSERT INTO sentences(story_seq, idx, start, end) VALUES (?, ?, ?, ?)",
            zip(seqs[b.sent_doc].tolist(), b.sent_idx.tolist(), b.sent_start.tolist(), b.sent_end.tolist()),
        )
        ids = _lemma_ids(db, b.lemmas, known)
        lemma_ids = np.array([ids[w] for w in b.lemmas], dtype=np.int64)[b.pair_lemma]
        order = np.lexsort((lemma_ids, b.pair_doc))
        lemma_ids = lemma_ids[order].astype("<i4")
        counts = b.pair_n[order].astype("<i4")
        bounds = b.doc_bounds(b.pair_doc[order]).tolist()
        id_list, count_list = lemma_ids.tolist(), counts.tolist()
        rows, json_rows = [], []
        for d, seq in enumerate(seqs.tolist()):
            p0, p1 = bounds[d], bounds[d + 1]
            as_json = "{" + ",".join([f'"{i}":{c}' for i, c in zip(id_list[p0:p1], count_list[p0:p1])]) + "}"
            rows.append((seq, lang, int(b.words[d]), int(b.known[d]), float(b.sentiment[d]), int(b.scored[d]),
                         lemma_ids[p0:p1].tobytes(), counts[p0:p1].tobytes()))
            json_rows.append((seq, as_json))
        conn.executemany("INSERT OR REPLACE INTO story_nlp VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT OR REPLACE INTO story_lemma_json VALUES (?, ?)", json_rows)


def reindex_all(db: Database, batch: int = 5000) -> int:
    """Index every stored story again (after a change to the lexicons); returns how many."""
    total = 0
    last = 0
    while True:
        rows = db.conn.execute(
            "SELECT seq, text, language FROM stories WHERE seq > ? ORDER BY seq LIMIT ?", [last, batch]
        ).fetchall()
        if not rows:
            return total
        index_stories(db, [tuple(r) for r in rows])
        total += len(rows)
        last = rows[-1][0]


def story_sentences(db: Database, story_seq: int, text: str) -> list[tuple[int, int, str]]:
    """The stored sentences of a story as (start, end, sentence text)."""
    rows = db.execute("SELECT start, end FROM sentences WHERE story_seq = ? ORDER BY idx", [story_seq]).fetchall()
    return [(s, e, text[s:e]) for s, e in rows]
