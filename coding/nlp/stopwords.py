"""Stop words: spaCy's lists plus a domain list that evaluators edit in the app.

A domain entry either adds a word ('stop': "ung" says little in stories about young
people) or takes one of spaCy's words back out ('keep': "sammen" and "lave" carry the
mechanism "creating with others"). Stop words are applied when a view reads the stored
lemma counts, so editing the list changes every view at once, without re-indexing.

How the preset list was chosen (migrations m003 and m005 of the "nlp" set): on the demo
stories (36 Danish, 12 English; the benchmark's seed-style stories reuse their sentences),
the lemmas left after spaCy's list were ranked by the share of stories they occur in. The
top of that list was generic verbs of staff writing - lave (15 of 36 stories), gå (15),
sidde (9), stå (9), tage (5), sætte (4), begynde (4) - and days and months ("i onsdags",
"i august"), which say when, not what changed; they are stop words now, with their usual
companions (komme, få, sige, se, give, kigge, prøve; the English list likewise). "lave" is
no longer kept back ('keep'), "sammen" still is. Word lists are made per story language
(the themes page picks one language, Danish by default), so Danish and English lemmas
never share a list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from stories.textindex.language import SUPPORTED, lemma_overrides, spacy_stop_words
from stories.textindex.pipeline import bump_version
from stories.errors import UserError
from stories.trust.permissions import SYSTEM, Actor, can_manage_codebook, require

MAX_WORD = 40
KINDS = ("stop", "keep")


class InvalidStopWord(UserError):
    """A stop word must be one word of letters (at most 40)."""


@dataclass(frozen=True)
class StopEntry:
    lang: str
    word: str
    lemma: str
    kind: str
    added_by: str


def domain_entries(db: Database, lang: str | None = None) -> list[StopEntry]:
    sql = "SELECT lang, word, lemma, kind, added_by FROM stop_words"
    params: list = []
    if lang:
        sql += " WHERE lang = ?"
        params.append(lang)
    return [StopEntry(*r) for r in db.execute(sql + " ORDER BY lang, kind, word", params).fetchall()]


def clean_word(word: str) -> str:
    word = (word or "").strip().lower()
    if not word or len(word) > MAX_WORD or not re.fullmatch(r"[^\W\d_]+", word):
        raise InvalidStopWord(word)
    return word


def set_stop_word(db: Database, word: str, lang: str, kind: str = "stop", *, actor: Actor = SYSTEM) -> StopEntry:
    """Add (or change) a domain entry. The lemma is looked up now, so views need no lemma table."""
    from stories.textindex.language import lemmatise
    from stories.db import write_transaction
    from stories.clock import now_iso

    require(can_manage_codebook(actor), "edit_stop_words")
    if lang not in SUPPORTED or kind not in KINDS:
        raise ValueError(f"unknown language or kind: {lang!r}, {kind!r}")
    word = clean_word(word)
    entry = StopEntry(lang, word, lemmatise(word, lang), kind, actor.name)
    with write_transaction(db):
        db.conn.execute(
            "INSERT OR REPLACE INTO stop_words(lang, word, lemma, kind, added_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [lang, word, entry.lemma, kind, actor.name, now_iso()],
        )
        bump_version(db, "stop_version")
    return entry


def remove_stop_word(db: Database, word: str, lang: str, *, actor: Actor = SYSTEM) -> None:
    from stories.db import write_transaction

    require(can_manage_codebook(actor), "edit_stop_words")
    with write_transaction(db):
        db.conn.execute("DELETE FROM stop_words WHERE lang = ? AND word = ?", [lang, (word or "").strip().lower()])
        bump_version(db, "stop_version")


def _spacy_stop_lemmas(db: Database, lang: str) -> set[str]:
    row = db.execute("SELECT value FROM nlp_state WHERE key = ?", [f"stop_lemmas:{lang}"]).fetchone()
    if row:
        return set(json.loads(row[0]))
    return set(spacy_stop_words(lang))  # before any story of the language is indexed: the forms alone


def stop_lemmas(db: Database, lang: str) -> set[str]:
    """Every lemma that views leave out for this language."""
    result = _spacy_stop_lemmas(db, lang)
    overrides = lemma_overrides(lang)
    for entry in domain_entries(db, lang):
        words = {entry.word, entry.lemma, overrides.get(entry.word, entry.word)}
        if entry.kind == "stop":
            result |= words
        else:
            result -= words
    return result


def stop_lemma_ids(db: Database, langs: tuple[str, ...] = SUPPORTED) -> np.ndarray:
    """Ids of the stop lemmas of the languages (sorted), plus one-letter lemmas."""
    words = sorted(set().union(*(stop_lemmas(db, lang) for lang in langs)))
    ids: set[int] = set()
    for i in range(0, len(words), 500):
        chunk = words[i : i + 500]
        ids.update(r[0] for r in db.execute(
            f"SELECT id FROM lemmas WHERE lemma IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    ids.update(r[0] for r in db.execute("SELECT id FROM lemmas WHERE length(lemma) < 2").fetchall())
    return np.array(sorted(ids), dtype=np.int64)
