"""Tables of the NLP index: sentences and lemma counts per story (migration set "nlp")."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("nlp")


@migrations()
def m001_sentences_and_lemmas(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE sentences (
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            PRIMARY KEY (story_seq, idx)
        ) WITHOUT ROWID;
        CREATE TABLE lemmas (
            id INTEGER PRIMARY KEY,
            lemma TEXT NOT NULL UNIQUE
        );
        CREATE TABLE story_lemmas (
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            lemma_id INTEGER NOT NULL REFERENCES lemmas(id),
            n INTEGER NOT NULL,
            PRIMARY KEY (story_seq, lemma_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_story_lemmas_lemma ON story_lemmas(lemma_id);
        """
    )
