"""Theme views per language: the page picks one story language (Danish by default), so the word
list never mixes Danish and English lemmas; the preset stop list leaves out the generic verbs
and time words of staff writing, also in a database made before that preset."""

from sqlite_utils import Database

from changestories.database import connect
from changestories.schema import all_migration_sets
from coding.nlp.stopwords import set_stop_word, stop_lemmas
from stories.db import configure
from stories.trust.permissions import Actor
from tests.apptest import open_app, tables

ENGLISH_ONLY = {"house", "tell", "danish", "english", "kitchen"}
DANISH_ONLY = {"hus", "skole", "voksen", "køkken", "værksted"}


def word_table(at) -> set[str]:
    frames = tables(at)
    words = set()
    for frame in frames:
        first = frame.columns[0]
        words |= {str(w) for w in frame[first]}
    return words


def test_the_word_list_is_danish_by_default_and_english_on_choice(demo):
    at = open_app("app_pages/themes.py", actor=Actor("eva", "admin"), timeout=90)
    assert not at.exception
    assert at.radio(key="themes_language").value == "da"
    danish = word_table(at)
    assert danish & DANISH_ONLY and not danish & ENGLISH_ONLY
    assert not danish & {"lave", "gå", "stå", "onsdag"}  # generic verbs and time words are stop words
    at.radio(key="themes_language").set_value("en").run()
    assert not at.exception
    english = word_table(at)
    assert english & {"house", "kitchen"} and not english & DANISH_ONLY


def test_the_preset_stop_list_starts_with_generic_verbs_and_time_words(db):
    da, en = stop_lemmas(db, "da"), stop_lemmas(db, "en")
    assert {"lave", "gå", "stå", "sidde", "onsdag", "august", "morgen"} <= da
    assert {"tell", "go", "wednesday"} <= en
    assert "sammen" not in da  # still kept back: it carries "creating with others"


def test_an_older_database_gets_the_preset_and_keeps_an_evaluators_choice(tmp_path):
    db = configure(Database(tmp_path / "old.db"))
    for migration_set in all_migration_sets():
        if migration_set.name == "nlp":
            migration_set.apply(db, stop_before="m005_generic_verbs_and_time_words")
        else:
            migration_set.apply(db)
    assert "lave" not in stop_lemmas(db, "da")  # the earlier preset kept it
    set_stop_word(db, "gå", "da", "keep")  # an evaluator's own choice
    db.conn.close()
    upgraded = connect(tmp_path / "old.db")
    da = stop_lemmas(upgraded, "da")
    assert "lave" in da and "stå" in da and "gå" not in da
