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


@migrations()
def m002_story_nlp_and_stop_words(db: Database) -> None:
    """Per-story NLP results, the editable domain stop list, and a version for caches.

    - `story_nlp`: one row per indexed story: word counts, the share of words the
      lexicons know (a story in a third language knows few), the AFINN sentiment, and
      its lemma counts packed as two little-endian int32 arrays (ids sorted, counts),
      so a view loads the lemma counts of 50,000 stories in one quick read.
    - `stop_words`: the domain stop list evaluators edit (`kind` 'stop' adds a word to
      spaCy's list, 'keep' takes a word of spaCy's list back out).
    - `nlp_state`: a random corpus token and counters that caches key on; triggers bump
      `stories_version` on any change to a story row.
    - `story_lemmas` becomes a view over `story_lemma_json` (a JSON object lemma id ->
      count per story): a hundred rows per story cost more to write than the rest of the
      indexing, and the views read the packed arrays instead. (The JSON lives in its own
      table so that reading the packed arrays stays a small read.)
    """
    import secrets

    db.executescript(
        """
        CREATE TABLE story_nlp (
            story_seq INTEGER PRIMARY KEY REFERENCES stories(seq) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            words INTEGER NOT NULL,
            known INTEGER NOT NULL,
            sentiment REAL NOT NULL,
            sentiment_words INTEGER NOT NULL,
            lemma_ids BLOB NOT NULL,
            lemma_counts BLOB NOT NULL
        );
        CREATE TABLE story_lemma_json (
            story_seq INTEGER PRIMARY KEY REFERENCES stories(seq) ON DELETE CASCADE,
            lemmas TEXT NOT NULL
        );
        CREATE TABLE stop_words (
            lang TEXT NOT NULL,
            word TEXT NOT NULL,
            lemma TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'stop' CHECK (kind IN ('stop', 'keep')),
            added_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (lang, word)
        ) WITHOUT ROWID;
        CREATE TABLE nlp_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        DROP TABLE story_lemmas;
        CREATE VIEW story_lemmas(story_seq, lemma_id, n) AS
            SELECT n.story_seq, CAST(j.key AS INTEGER), j.value
            FROM story_lemma_json AS n, json_each(n.lemmas) AS j;
        CREATE TRIGGER nlp_stories_ai AFTER INSERT ON stories BEGIN
            UPDATE nlp_state SET value = value + 1 WHERE key = 'stories_version';
        END;
        CREATE TRIGGER nlp_stories_au AFTER UPDATE ON stories BEGIN
            UPDATE nlp_state SET value = value + 1 WHERE key = 'stories_version';
        END;
        CREATE TRIGGER nlp_stories_ad AFTER DELETE ON stories BEGIN
            UPDATE nlp_state SET value = value + 1 WHERE key = 'stories_version';
        END;
        """
    )
    db.conn.executemany(
        "INSERT INTO nlp_state(key, value) VALUES (?, ?)",
        [("corpus_token", secrets.token_hex(8)), ("stories_version", "0"), ("nlp_version", "0"),
         ("stop_version", "0")],
    )
    seeds = [("da", w, "stop") for w in ("ung", "bare", "rigtig", "faktisk", "helt", "når")]
    seeds += [("da", w, "keep") for w in ("lave", "sammen")]
    seeds += [("en", w, "stop") for w in ("young", "really", "just")]
    db.conn.executemany(
        "INSERT INTO stop_words(lang, word, lemma, kind, added_by) VALUES (?, ?, ?2, ?, 'preset')", seeds
    )
    # Stories stored before this migration get their per-story results now.
    from stories.textindex.pipeline import reindex_all

    reindex_all(db)


@migrations()
def m003_generic_time_words(db: Database) -> None:
    """Seed the domain stop list with generic words of time and counting that crowd every word
    cloud of change stories ("første gang", "i sidste uge"); evaluators can take them out again."""
    seeds = [("da", w) for w in ("gang", "uge", "dag", "år", "tid", "måned", "tre", "to", "første", "sidste")]
    seeds += [("en", w) for w in ("time", "day", "week", "year", "month", "people", "thing")]
    db.conn.executemany(
        "INSERT OR IGNORE INTO stop_words(lang, word, lemma, kind, added_by) VALUES (?, ?, ?2, 'stop', 'preset')", seeds
    )
    db.conn.execute("UPDATE nlp_state SET value = value + 1 WHERE key = 'stop_version'")


@migrations()
def m004_lemma_removals(db: Database) -> None:
    """Count removed lemmas (an erasure drops unused ones), so an import that looked lemma ids
    up before taking the write lock can check in one read that they all still stand."""
    db.executescript(
        """
        INSERT OR IGNORE INTO nlp_state(key, value) VALUES ('lemma_removals', '0');
        CREATE TRIGGER nlp_lemmas_ad AFTER DELETE ON lemmas BEGIN
            UPDATE nlp_state SET value = value + 1 WHERE key = 'lemma_removals';
        END;
        """
    )


# The generic verbs and time words of staff writing, measured on the demo stories: among the
# Danish lemmas left after spaCy's list, these verbs come in 10-40 % of the stories whatever
# they are about (lave 15 of 36, gå 15, sidde 9, stå 9, tage 5, sætte 4, begynde 4), and the
# days and months of "i onsdags", "i august" crowd every word cloud. See coding/nlp/stopwords.py.
GENERIC_VERBS = {
    "da": ("lave", "gå", "stå", "sidde", "tage", "sætte", "begynde", "komme", "få", "sige", "se", "give",
           "kigge", "prøve"),
    "en": ("make", "go", "stand", "sit", "take", "put", "start", "begin", "come", "get", "say", "see", "give",
           "tell", "try"),
}
TIME_WORDS = {
    "da": ("morgen", "aften", "eftermiddag", "formiddag", "bagefter", "weekend", "mandag", "tirsdag", "onsdag",
           "torsdag", "fredag", "lørdag", "søndag", "januar", "februar", "marts", "april", "maj", "juni", "juli",
           "august", "september", "oktober", "november", "december"),
    "en": ("morning", "evening", "afternoon", "afterwards", "weekend", "monday", "tuesday", "wednesday",
           "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
           "july", "august", "september", "october", "november", "december"),
}


@migrations()
def m005_generic_verbs_and_time_words(db: Database) -> None:
    """The domain stop list starts with the generic verbs and time words of staff writing
    ("lave", "gå", "stå", "i onsdags"); "lave" was a preset 'keep' and becomes a stop word
    unless an evaluator chose otherwise. Evaluators can take any of them out again."""
    seeds = [(lang, w) for words in (GENERIC_VERBS, TIME_WORDS) for lang, ws in words.items() for w in ws]
    db.conn.execute("UPDATE stop_words SET kind = 'stop' WHERE lang = 'da' AND word = 'lave' AND added_by = 'preset'")
    db.conn.executemany(
        "INSERT OR IGNORE INTO stop_words(lang, word, lemma, kind, added_by) VALUES (?, ?, ?2, 'stop', 'preset')", seeds
    )
    db.conn.execute("UPDATE nlp_state SET value = value + 1 WHERE key = 'stop_version'")


@migrations()
def m006_bulk_story_writes(db: Database) -> None:
    """A story inserted by a bulk write (`stories.bulk_insert`, a seq inside a range of the
    "stories" set's `stories_bulk_write`) bumps `stories_version` once per write, not once per row."""
    db.executescript(
        """
        DROP TRIGGER nlp_stories_ai;
        CREATE TRIGGER nlp_stories_ai AFTER INSERT ON stories
        WHEN NOT EXISTS (SELECT 1 FROM stories_bulk_write AS b WHERE new.seq BETWEEN b.first_seq AND b.last_seq) BEGIN
            UPDATE nlp_state SET value = value + 1 WHERE key = 'stories_version';
        END;
        """
    )
