"""The text index: each story analysed once, when it is saved, imported or edited.

Its sentences (character offsets into the text), lemma counts, word statistics and lexicon
sentiment are stored, and every view reads those stored results instead of running the
pipeline. The per-language resources (spaCy's blank pipelines, lookup lemmas, stop words)
are in `stories.textindex.language`; the analysis is vectorised over a batch of docs in
`stories.textindex.batch`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

from stories.heap import paused_collector
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


def tokenize(lang: str, texts: Iterable[str]) -> Iterator:
    """The pipeline's tokenizer over the texts (docs without sentences: `batch` finds the
    sentences by the sentencizer's rule, vectorised, far faster than the component runs)."""
    return load_pipeline(lang).tokenizer.pipe(texts, batch_size=PIPE_BATCH)


def analyse(text: str, lang: str = "da") -> Analysis:
    return analyse_many([text], [lang])[0]


def analyse_batches(texts: Sequence[str], langs: Sequence[str]):
    """(positions, DocBatch) per language: the texts analysed with nlp.pipe, one pass per language."""
    keys = [lang_key(lang) for lang in langs]
    for key in sorted(set(keys)):
        positions = [i for i, k in enumerate(keys) if k == key]
        yield positions, analyse_docs(tokenize(key, (texts[i] for i in positions)), forms_for(key))


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
    """Ids of the lemmas, adding the new ones (call under the write lock). `known`
    (lemma -> id, valid in this transaction) saves look-ups and learns the new ids."""
    wanted = list(set(lemmas))
    ids: dict[str, int] = {}
    if known is not None:
        ids = {w: known[w] for w in wanted if w in known}
        wanted = [w for w in wanted if w not in ids]
    ids.update(_known_ids(db, wanted))
    missing = [w for w in wanted if w not in ids]
    if missing:
        ids.update(_add_lemmas(db, missing))
    if known is not None:
        known.update(ids)
    return ids


def _add_lemmas(db: Database, lemmas: Sequence[str]) -> dict[str, int]:
    """Store those of the lemmas not stored yet, numbered in the order given, and return the
    ids of all of them: one statement (its RETURNING gives the new ids), plus a read of the
    few another writer stored in between. Call under the write lock."""
    ids = dict(db.conn.execute("INSERT OR IGNORE INTO lemmas(lemma) SELECT value FROM json_each(?) RETURNING lemma, id",
                               [json.dumps(list(lemmas), ensure_ascii=False)]))
    if len(ids) < len(lemmas):
        ids.update(_known_ids(db, [w for w in lemmas if w not in ids]))
    return ids


def _known_ids(db: Database, lemmas: Sequence[str]) -> dict[str, int]:
    """The stored ids of those lemmas that are stored (one read)."""
    if not lemmas:
        return {}
    return dict(db.conn.execute("SELECT lemma, id FROM lemmas WHERE lemma IN (SELECT value FROM json_each(?))",
                                [json.dumps(list(lemmas), ensure_ascii=False)]))


@dataclass
class LemmaIds:
    """The lemma ids one caller (a big import, batch after batch) looked up already, by the
    lemma numbers of each language's `Forms`: valid as long as no lemma was removed since
    (`lemma_removals` unchanged), as ids are never reused while their lemma stands. Only
    committed ids are kept."""

    removals: int = -1
    by_forms: dict[object, tuple[object, np.ndarray]] = field(default_factory=dict)  # id(Forms) -> (it, id per lemma number)

    def valid_for(self, removals: int) -> None:
        if removals != self.removals:
            self.by_forms.clear()
            self.removals = removals

    def array_for(self, forms, lemma_gids: np.ndarray) -> np.ndarray:
        """The stored id of each of `forms`' lemma numbers (-1: not looked up yet), long
        enough for `lemma_gids`. `forms` is a `Forms`, or the key of another process's
        numbering (`stories.textindex.worker`: its parts carry a tuple)."""
        key = forms if isinstance(forms, tuple) else id(forms)
        size = int(lemma_gids.max()) + 1 if len(lemma_gids) else 0
        if not isinstance(forms, tuple):
            size = max(size, len(forms.lemma_names))
        _, ids = self.by_forms.get(key, (forms, np.zeros(0, dtype=np.int64)))
        if len(ids) < size:
            ids = np.concatenate([ids, np.full(size - len(ids), -1, dtype=np.int64)])
        self.by_forms[key] = (forms, ids)
        return ids


def resolve_lemma_ids(db: Database, lemmas: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """Ids of the lemmas, outside the caller's write: a read, plus one short write transaction
    adding the lemmas not stored yet (returned second: `drop_unused_lemmas` removes them again
    if the write that needed them fails). `write_index` checks under the lock that they still stand."""
    from stories.db import BULK_WAIT_S, write_transaction

    wanted = sorted(set(lemmas))
    ids = _known_ids(db, wanted)
    missing = [w for w in wanted if w not in ids]
    if missing:
        with write_transaction(db, wait_s=BULK_WAIT_S):
            ids.update(_add_lemmas(db, missing))
    return ids, missing


def drop_unused_lemmas(db: Database, lemmas: Sequence[str]) -> None:
    """Remove those of the lemmas that no story uses (after a failed import added them)."""
    from stories.db import BULK_WAIT_S, write_transaction

    if not lemmas:
        return
    with write_transaction(db, wait_s=BULK_WAIT_S):
        db.conn.execute("DELETE FROM lemmas WHERE lemma IN (SELECT value FROM json_each(?))"
                        " AND id NOT IN (SELECT lemma_id FROM story_lemmas)", [json.dumps(list(lemmas), ensure_ascii=False)])


def bump_version(db: Database, key: str) -> None:
    db.conn.execute("UPDATE nlp_state SET value = value + 1 WHERE key = ?", [key])


@dataclass
class _Part:
    """The index rows of the texts of one language, without their story seqs."""

    lang: str
    positions: np.ndarray  # which of the prepared texts, in the order of the rows below
    batch: object  # the DocBatch (kept only until the lemma ids are known)
    forms: object = None  # the `Forms` the batch was analysed with (its lemma numbers)
    sentences: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None  # text, idx, start, end
    nlp_rows: list[tuple] | None = None  # story_nlp columns after story_seq
    json_rows: list[str] | None = None  # story_lemma_json.lemmas


@dataclass
class PreparedIndex:
    """The NLP index of some texts, worked out before the write lock is taken (the slow part:
    spaCy, lemmas, sentiment, packing); `write_index` stores it in a short write."""

    texts: list[str]
    langs: list[str]
    parts: list[_Part]
    lemma_ids: dict[str, int] | None = None  # resolved ahead (rows built), else resolved in the write
    added_lemmas: list[str] = field(default_factory=list)  # stored ahead for this index
    removals: int = 0  # `lemma_removals` when the ids were looked up

    def matches(self, texts: Sequence[str], langs: Sequence[str]) -> bool:
        return self.texts == list(texts) and [lang_key(x) for x in self.langs] == [lang_key(x) for x in langs]


def prepare_index(texts: Sequence[str], langs: Sequence[str], db: Database | None = None,
                  lemma_ids: LemmaIds | None = None) -> PreparedIndex:
    """Analyse the texts for the index (no database needed). With `db`, `resolve_index` follows,
    so the write that comes after is nothing but inserts (`lemma_ids`: the ids an earlier
    batch of the same caller looked up)."""
    keys = [lang_key(lang) for lang in langs]
    parts = []
    for key in sorted(set(keys)):
        positions = np.array([i for i, k in enumerate(keys) if k == key], dtype=np.int64)
        forms = forms_for(key)
        batch = analyse_docs(tokenize(key, (texts[i] for i in positions.tolist())), forms)
        parts.append(_Part(key, positions, batch, forms,
                           (batch.sent_doc, batch.sent_idx, batch.sent_start, batch.sent_end)))
    prepared = PreparedIndex(list(texts), list(langs), parts)
    return resolve_index(db, prepared, lemma_ids) if db is not None else prepared


def resolve_index(db: Database, prepared: PreparedIndex, lemma_ids: LemmaIds | None = None) -> PreparedIndex:
    """Look up (and store) the lemma ids of a prepared index and build its rows, before the
    write lock is taken; `write_index` checks under the lock that no lemma was removed since.
    Does nothing inside a transaction (the write resolves them then)."""
    if db.conn.in_transaction or prepared.lemma_ids is not None:
        return prepared
    prepared.removals = lemma_removals(db)
    if lemma_ids is None:
        prepared.lemma_ids, prepared.added_lemmas = resolve_lemma_ids(
            db, (w for part in prepared.parts for w in part.batch.lemmas))
        for part in prepared.parts:
            part.nlp_rows, part.json_rows = _build_rows(part, prepared.lemma_ids)
            part.batch = None  # the rows are all the write needs
        return prepared
    # Batch after batch of one caller: the ids looked up before are read by lemma number
    # (numpy), and only the lemmas not seen yet are looked up (and stored).
    lemma_ids.valid_for(prepared.removals)
    arrays = [lemma_ids.array_for(part.forms, part.batch.lemma_gids) for part in prepared.parts]
    unknown = [np.flatnonzero(ids[part.batch.lemma_gids] < 0) for part, ids in zip(prepared.parts, arrays)]
    found, prepared.added_lemmas = resolve_lemma_ids(
        db, (part.batch.lemmas[i] for part, new in zip(prepared.parts, unknown) for i in new.tolist()))
    prepared.lemma_ids = found
    for part, ids, new in zip(prepared.parts, arrays, unknown):
        lemmas = part.batch.lemmas
        ids[part.batch.lemma_gids[new]] = [found[lemmas[i]] for i in new.tolist()]
        part.nlp_rows, part.json_rows = _build_rows(part, ids[part.batch.lemma_gids])
        part.batch = None
    return prepared


def lemma_removals(db: Database) -> int:
    """How many lemmas were ever removed (a trigger counts): unchanged means every id looked up before still stands."""
    row = db.conn.execute("SELECT value FROM nlp_state WHERE key = 'lemma_removals'").fetchone()
    return int(row[0]) if row else 0


def _build_rows(part: _Part, ids: Mapping[str, int] | np.ndarray) -> tuple[list[tuple], list[str]]:
    """The story_nlp rows (without story_seq) and the lemma JSON of each text of a part
    (`ids`: lemma -> id, or the ids of the batch's lemmas in their order)."""
    b = part.batch
    by_lemma = ids if isinstance(ids, np.ndarray) else np.array([ids[w] for w in b.lemmas], dtype=np.int64)
    lemma_ids = by_lemma[b.pair_lemma]
    order = np.argsort(b.pair_doc.astype(np.int64) * (1 << 32) + lemma_ids)  # by doc, then lemma id (ids < 2**32)
    lemma_ids = lemma_ids[order].astype("<i4")
    counts = b.pair_n[order].astype("<i4")
    bounds = b.doc_bounds(b.pair_doc[order]).tolist()
    json_rows = _lemma_json(lemma_ids, counts, bounds)
    words, known, sentiment, scored = b.words.tolist(), b.known.tolist(), b.sentiment.tolist(), b.scored.tolist()
    id_bytes, count_bytes = lemma_ids.tobytes(), counts.tobytes()
    lang = part.lang
    nlp_rows = [(lang, words[d], known[d], sentiment[d], scored[d], id_bytes[4 * bounds[d]:4 * bounds[d + 1]],
                 count_bytes[4 * bounds[d]:4 * bounds[d + 1]]) for d in range(b.n)]
    return nlp_rows, json_rows


def _lemma_json(lemma_ids: np.ndarray, counts: np.ndarray, bounds: list[int]) -> list[str]:
    """Each doc's lemma counts as a JSON object, '{"<lemma id>":<count>,...}' (pairs sorted by
    doc, `bounds` their start per doc): every piece is an object looked up with numpy, so
    Python loops over the docs, not over their pairs."""
    if not len(lemma_ids):
        return ["{}"] * (len(bounds) - 1)
    distinct, which = np.unique(lemma_ids, return_inverse=True)
    keys = np.array([f'"{i}":' for i in distinct.tolist()], dtype=object)[which.reshape(-1)]
    top = int(counts.max())
    last = np.zeros(len(counts), dtype=bool)
    ends = np.asarray(bounds[1:], dtype=np.int64) - 1
    last[ends[ends >= np.asarray(bounds[:-1], dtype=np.int64)]] = True  # the last pair of each doc with pairs
    values = np.array([str(c) for c in range(top + 1)], dtype=object)[counts]
    values[~last] = np.array([f"{c}," for c in range(top + 1)], dtype=object)[counts[~last]]
    pieces = np.empty(2 * len(counts), dtype=object)
    pieces[0::2], pieces[1::2] = keys, values
    pieces = pieces.tolist()
    join = "".join
    return ["{" + join(pieces[2 * bounds[d]:2 * bounds[d + 1]]) + "}" for d in range(len(bounds) - 1)]


def write_index(db: Database, prepared: PreparedIndex, seqs: Sequence[int], *, replace: bool = True,
                known: dict[str, int] | None = None) -> None:
    """Store a prepared index for stories `seqs` (one per prepared text, same order).

    Call inside the caller's write transaction. `replace=False` for new stories (nothing to
    remove first).
    """
    conn = db.conn
    if not prepared.texts:
        return
    seq_array = np.asarray(seqs, dtype=np.int64)
    if replace:
        conn.executemany("DELETE FROM sentences WHERE story_seq = ?", [(int(s),) for s in seq_array.tolist()])
    if prepared.lemma_ids is not None and lemma_removals(db) != prepared.removals:
        prepared = prepare_index(prepared.texts, prepared.langs)  # rare (an erasure meanwhile): again, under the lock
    for part in prepared.parts:
        nlp_rows, json_rows = part.nlp_rows, part.json_rows
        if nlp_rows is None:  # ids resolved here, in this transaction (the prepared rows stay untouched)
            nlp_rows, json_rows = _build_rows(part, _lemma_ids(db, part.batch.lemmas, known))
        part_seqs = seq_array[part.positions]
        doc, idx, start, end = part.sentences
        conn.executemany("INSERT INTO sentences(story_seq, idx, start, end) VALUES (?, ?, ?, ?)",
                         zip(part_seqs[doc].tolist(), idx.tolist(), start.tolist(), end.tolist()))
        seq_list = part_seqs.tolist()
        conn.executemany("INSERT OR REPLACE INTO story_nlp VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [(seq, *row) for seq, row in zip(seq_list, nlp_rows)])
        conn.executemany("INSERT OR REPLACE INTO story_lemma_json VALUES (?, ?)", zip(seq_list, json_rows))
    mark_indexed(db, prepared.langs)


def mark_indexed(db: Database, langs: Iterable[str]) -> None:
    """The index changed: bump its version (caches key on it) and store the stop lemmas."""
    bump_version(db, "nlp_version")
    for lang in sorted({lang_key(lang) for lang in langs}):
        db.conn.execute("INSERT OR REPLACE INTO nlp_state(key, value) VALUES (?, ?)",
                        [f"stop_lemmas:{lang}", stop_lemmas_json(lang)])


def index_stories(db: Database, items: Sequence[tuple[int, str, str]]) -> None:
    """Store sentences, lemma counts and per-story results for (story_seq, text, language) items.

    Call inside the caller's write transaction: replaces any earlier index of those stories.
    Work done under a lock should be prepared before it: `prepare_index`, then `write_index`.
    """
    # A big batch allocates millions of small objects; the cyclic garbage collector would
    # walk the whole heap again and again (a fifth of the time). It waits until the end.
    big = len(items) >= WRITE_BATCH
    # Many stories: read every lemma id once instead of looking them up batch by batch.
    known = dict((w, i) for i, w in db.conn.execute("SELECT id, lemma FROM lemmas")) if big else None
    with paused_collector(big):
        for i in range(0, len(items), WRITE_BATCH):
            chunk = items[i : i + WRITE_BATCH]
            prepared = prepare_index([text for _, text, _ in chunk], [lang for _, _, lang in chunk])
            write_index(db, prepared, [seq for seq, _, _ in chunk], known=known)


def reindex_all(db: Database, batch: int = 2000, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every stored story again (after a change to the lexicons); returns how many.

    Outside a transaction each batch is analysed first and then written in a short write
    transaction of its own (a story edited meanwhile keeps the index its edit wrote).
    Inside one (a migration), everything happens in the caller's transaction.
    `progress(done, total)` is called after every batch.
    """
    from stories.db import BULK_WAIT_S, write_transaction

    total = db.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    done = 0
    last = 0
    lemma_ids = LemmaIds()
    while True:
        rows = db.conn.execute(
            "SELECT seq, text, language FROM stories WHERE seq > ? ORDER BY seq LIMIT ?", [last, batch]
        ).fetchall()
        if not rows:
            return done
        last = rows[-1][0]
        if db.conn.in_transaction:
            index_stories(db, [tuple(r) for r in rows])
        else:
            prepared = prepare_index([r[1] for r in rows], [r[2] for r in rows], db, lemma_ids)
            with write_transaction(db, wait_s=BULK_WAIT_S):
                now = dict((seq, (text, lang)) for seq, text, lang in db.conn.execute(
                    "SELECT seq, text, language FROM stories WHERE seq BETWEEN ? AND ?", [rows[0][0], last]))
                if all(now.get(seq) == (text, lang) for seq, text, lang in rows):
                    write_index(db, prepared, [r[0] for r in rows])
                else:  # edited or erased meanwhile: the stories still there, as they are now
                    index_stories(db, [(seq, *now[seq]) for seq, _, _ in rows if seq in now])
        done += len(rows)
        if progress is not None:
            progress(done, max(total, done))


def story_sentences(db: Database, story_seq: int, text: str) -> list[tuple[int, int, str]]:
    """The stored sentences of a story as (start, end, sentence text)."""
    rows = db.execute("SELECT start, end FROM sentences WHERE story_seq = ? ORDER BY idx", [story_seq]).fetchall()
    return [(s, e, text[s:e]) for s, e in rows]
