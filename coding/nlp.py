"""Local NLP: spaCy's blank Danish/English pipelines with the lookup lemmatizer.

Each story is analysed once, when it is saved, imported or edited; its sentences
(character offsets into the text) and lemma counts are stored, and every view reads
those stored results instead of running the pipeline again.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import spacy
from sqlite_utils import Database

SUPPORTED = ("da", "en")
PIPE_BATCH = 256


@dataclass(frozen=True)
class Analysis:
    sentences: list[tuple[int, int]]
    lemma_counts: Counter


@functools.lru_cache(maxsize=None)
def load_lemma_table(lang: str) -> Mapping[str, str]:
    """The lookup lemma table shipped in spacy-lookups-data (never downloaded)."""
    from spacy.lookups import load_lookups

    return load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")


@functools.lru_cache(maxsize=None)
def load_pipeline(lang: str) -> spacy.language.Language:
    """spacy.blank(lang) with a rule-based sentencizer: loaded once per process."""
    nlp = spacy.blank(lang if lang in SUPPORTED else "da")
    nlp.add_pipe("sentencizer")
    return nlp


def lemmatise(word: str, lang: str) -> str:
    lower = word.lower()
    return load_lemma_table(lang if lang in SUPPORTED else "da").get(lower, lower)


def stop_words(lang: str) -> frozenset[str]:
    return frozenset(load_pipeline(lang).Defaults.stop_words)


def _analyse_doc(doc, table: Mapping[str, str]) -> Analysis:
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
    counts: Counter = Counter()
    for token in doc:
        if token.is_alpha:
            lower = token.lower_
            counts[table.get(lower, lower)] += 1
    return Analysis(sentences, counts)


def analyse(text: str, lang: str = "da") -> Analysis:
    return analyse_many([text], [lang])[0]


def analyse_many(texts: Sequence[str], langs: Sequence[str]) -> list[Analysis]:
    """Analyse many texts with nlp.pipe, one pass per language, results in input order."""
    results: list[Analysis | None] = [None] * len(texts)
    for lang in sorted(set(langs)):
        lang_key = lang if lang in SUPPORTED else "da"
        positions = [i for i, l in enumerate(langs) if l == lang]
        nlp = load_pipeline(lang_key)
        table = load_lemma_table(lang_key)
        docs = nlp.pipe((texts[i] for i in positions), batch_size=PIPE_BATCH)
        for i, doc in zip(positions, docs):
            results[i] = _analyse_doc(doc, table)
    return results  # type: ignore[return-value]


def _lemma_ids(db: Database, lemmas: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(lemmas))
    db.conn.executemany("INSERT OR IGNORE INTO lemmas(lemma) VALUES (?)", [(w,) for w in wanted])
    ids: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        ids.update((lemma, id_) for id_, lemma in db.execute(f"SELECT id, lemma FROM lemmas WHERE lemma IN ({marks})", chunk))
    return ids


def index_stories(db: Database, items: Sequence[tuple[int, str, str]]) -> None:
    """Store sentences and lemma counts for (story_seq, text, language) items.

    Call inside the caller's write transaction: replaces any earlier index of those stories.
    """
    if not items:
        return
    analyses = analyse_many([text for _, text, _ in items], [lang for _, _, lang in items])
    seqs = [(seq,) for seq, _, _ in items]
    db.conn.executemany("DELETE FROM sentences WHERE story_seq = ?", seqs)
    db.conn.executemany("DELETE FROM story_lemmas WHERE story_seq = ?", seqs)
    ids = _lemma_ids(db, (lemma for a in analyses for lemma in a.lemma_counts))
    db.conn.executemany(
        "INSERT INTO sentences(story_seq, idx, start, end) VALUES (?, ?, ?, ?)",
        [(seq, i, s, e) for (seq, _, _), a in zip(items, analyses) for i, (s, e) in enumerate(a.sentences)],
    )
    db.conn.executemany(
        "INSERT INTO story_lemmas(story_seq, lemma_id, n) VALUES (?, ?, ?)",
        [(seq, ids[lemma], n) for (seq, _, _), a in zip(items, analyses) for lemma, n in a.lemma_counts.items()],
    )


def story_sentences(db: Database, story_seq: int, text: str) -> list[tuple[int, int, str]]:
    """The stored sentences of a story as (start, end, sentence text)."""
    rows = db.execute("SELECT start, end FROM sentences WHERE story_seq = ? ORDER BY idx", [story_seq]).fetchall()
    return [(s, e, text[s:e]) for s, e in rows]
