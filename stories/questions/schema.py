"""Tables of the question library (migration set "questions").

questions          one question of the install: key, kind, about the story or the teller,
                   required, "does not apply" allowed, current version, retired
question_versions  a question's wording (Danish, English) and options, one row per version;
                   an edit adds a version, so answers keep the wording they answered
forms              a form: 'staff', 'tell' or 'camp:<id>'
form_questions     which questions a form asks, in order
story_answers      one story's answer to one question (the version answered, a JSON value,
                   or "does not apply")
pattern_observations     (m002) an observation on a pattern between two questions' variables
pattern_interpretations  (m002) the observation's competing interpretations, one row each

m001 also moves the answers stored before the library (triangle weights in story_signifiers,
slider values in story_sliders) into story_answers, and mirrors every later write to those
tables (the camp and submit forms still write them) with triggers.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("questions")

# The KBH+ triad as the app asked it before the library (poles and wording frozen here).
_KBH_POLES = ("huset", "skabe_med_andre", "tillidsfulde_relationer")
_KBH_LABELS = {"huset": ("Huset", "The house"), "skabe_med_andre": ("Det at skabe med andre", "Creating with others"),
               "tillidsfulde_relationer": ("Tillidsfulde relationer", "Trusting relations")}
_TRIAD_KEY_SQL = ("CASE WHEN NEW.pole_a = 'huset' AND NEW.pole_b = 'skabe_med_andre'"
                  " AND NEW.pole_c = 'tillidsfulde_relationer' THEN 'kbh_mechanisms'"
                  " ELSE 'triad:' || NEW.pole_a || '|' || NEW.pole_b || '|' || NEW.pole_c END")


def _pole_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{k}' THEN '{da}'" for k, (da, _) in _KBH_LABELS.items())
    cases_en = " ".join(f"WHEN '{k}' THEN '{en}'" for k, (_, en) in _KBH_LABELS.items())
    return (f"json_object('key', NEW.{column}, 'da', CASE NEW.{column} {cases} ELSE NEW.{column} END,"
            f" 'en', CASE NEW.{column} {cases_en} ELSE NEW.{column} END)")


_STAMP = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"


@migrations()
def m001_question_library(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('triad', 'dyad', 'single', 'multiple', 'scale', 'text')),
            about TEXT NOT NULL DEFAULT 'story' CHECK (about IN ('story', 'teller')),
            required INTEGER NOT NULL DEFAULT 0,
            allow_na INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            retired_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE question_versions (
            question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            wording_da TEXT NOT NULL,
            wording_en TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            PRIMARY KEY (question_id, version)
        ) WITHOUT ROWID;
        CREATE TABLE forms (
            key TEXT PRIMARY KEY,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE form_questions (
            form_key TEXT NOT NULL REFERENCES forms(key) ON DELETE CASCADE,
            question_id INTEGER NOT NULL REFERENCES questions(id),
            position INTEGER NOT NULL,
            PRIMARY KEY (form_key, question_id)
        ) WITHOUT ROWID;
        CREATE TABLE story_answers (
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            question_id INTEGER NOT NULL REFERENCES questions(id),
            version INTEGER NOT NULL,
            value TEXT,
            not_applicable INTEGER NOT NULL DEFAULT 0,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (story_seq, question_id),
            FOREIGN KEY (question_id, version) REFERENCES question_versions(question_id, version),
            CHECK ((value IS NULL) = (not_applicable = 1))
        ) WITHOUT ROWID;
        CREATE INDEX idx_story_answers_question ON story_answers(question_id);
        """
    )
    triad_key, pole_a, pole_b, pole_c = _TRIAD_KEY_SQL, _pole_sql("pole_a"), _pole_sql("pole_b"), _pole_sql("pole_c")
    db.executescript(
        f"""
        CREATE TRIGGER story_signifiers_answer AFTER INSERT ON story_signifiers BEGIN
            INSERT INTO questions (key, kind, about, required, allow_na, version, created_at)
                SELECT {triad_key}, 'triad', 'story', 0, 0, 1, {_STAMP}
                WHERE NOT EXISTS (SELECT 1 FROM questions WHERE key = {triad_key});
            INSERT INTO question_versions (question_id, version, wording_da, wording_en, options, created_at)
                SELECT id, 1, 'Hvor ligger historien mellem de tre?', 'Where does the story sit between the three?',
                       json_object('poles', json_array({pole_a}, {pole_b}, {pole_c})), {_STAMP}
                FROM questions AS q WHERE key = {triad_key}
                AND NOT EXISTS (SELECT 1 FROM question_versions WHERE question_id = q.id);
            DELETE FROM story_answers WHERE story_seq = NEW.story_seq
                AND question_id = (SELECT id FROM questions WHERE key = {triad_key});
            INSERT INTO story_answers (story_seq, question_id, version, value, not_applicable, answered_at)
                SELECT NEW.story_seq, id, version, json_array(NEW.weight_a, NEW.weight_b, NEW.weight_c), 0, {_STAMP}
                FROM questions WHERE key = {triad_key};
        END;
        CREATE TRIGGER story_sliders_answer AFTER INSERT ON story_sliders BEGIN
            INSERT INTO questions (key, kind, about, required, allow_na, version, created_at)
                SELECT 'slider:' || NEW.slider, 'scale', 'story', 0, 0, 1, {_STAMP}
                WHERE NOT EXISTS (SELECT 1 FROM questions WHERE key = 'slider:' || NEW.slider);
            INSERT INTO question_versions (question_id, version, wording_da, wording_en, options, created_at)
                SELECT id, 1,
                       CASE NEW.slider WHEN 'change_size' THEN 'Hvor stor var forandringen for dig?' ELSE NEW.slider END,
                       CASE NEW.slider WHEN 'change_size' THEN 'How big was the change for you?' ELSE NEW.slider END,
                       json_object('min', 1, 'max', 10), {_STAMP}
                FROM questions AS q WHERE key = 'slider:' || NEW.slider
                AND NOT EXISTS (SELECT 1 FROM question_versions WHERE question_id = q.id);
            DELETE FROM story_answers WHERE story_seq = NEW.story_seq
                AND question_id = (SELECT id FROM questions WHERE key = 'slider:' || NEW.slider);
            INSERT INTO story_answers (story_seq, question_id, version, value, not_applicable, answered_at)
                SELECT NEW.story_seq, id, version, json(NEW.value), 0, {_STAMP}
                FROM questions WHERE key = 'slider:' || NEW.slider;
        END;
        """
    )
    # The answers stored before the library: replay them through the triggers (same rows, same values).
    db.executescript(
        """
        CREATE TEMP TABLE old_signifiers AS SELECT * FROM story_signifiers;
        DELETE FROM story_signifiers;
        INSERT INTO story_signifiers SELECT * FROM old_signifiers;
        DROP TABLE old_signifiers;
        CREATE TEMP TABLE old_sliders AS SELECT * FROM story_sliders;
        DELETE FROM story_sliders;
        INSERT INTO story_sliders SELECT * FROM old_sliders;
        DROP TABLE old_sliders;
        """
    )


@migrations()
def m002_pattern_observations(db: Database) -> None:
    """Sensemaking on the patterns (NarraFirma's catalysis): an observation on a pair of questions
    and its competing interpretations, written by an evaluator or facilitator."""
    db.executescript(
        """
        CREATE TABLE pattern_observations (
            id INTEGER PRIMARY KEY,
            variable_a TEXT NOT NULL,
            variable_b TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_pattern_observations_pair ON pattern_observations(variable_a, variable_b);
        CREATE TABLE pattern_interpretations (
            id INTEGER PRIMARY KEY,
            observation_id INTEGER NOT NULL REFERENCES pattern_observations(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_pattern_interpretations_observation ON pattern_interpretations(observation_id);
        """
    )
