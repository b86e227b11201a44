"""The NLP index: sentences, lemma counts, per-story results, stop words, lemma overrides."""

import pytest
from sqlite_utils import Database

from stories.textindex.language import lemmatise
from stories.textindex.pipeline import analyse, analyse_many, index_stories, reindex_all, story_sentences
from coding.nlp.stopwords import InvalidStopWord, remove_stop_word, set_stop_word, stop_lemma_ids, stop_lemmas
from stories.model import Consent, Story
from stories.trust.permissions import Actor, PermissionDenied
from stories.storage import create_story, delete_story, purge_deleted, update_story

TEXT = "Vi lavede mad i køkkenet. Huset var fuldt! Vennerne skabte noget sammen med de unge."


def make_story(db, text=TEXT, lang="da", **kw) -> Story:
    story = Story(text=text, significance="Det betyder noget.", language=lang,
                  consent=Consent(internal=True, evaluation=True), **kw)
    return create_story(db, story)


def seq_of(db, story) -> int:
    return db.execute("SELECT seq FROM stories WHERE id = ?", [story.id]).fetchone()[0]


def test_analyse_sentences_are_offsets_into_the_text():
    result = analyse(TEXT)
    assert [TEXT[s:e] for s, e in result.sentences] == [
        "Vi lavede mad i køkkenet.", "Huset var fuldt!", "Vennerne skabte noget sammen med de unge."]


def test_analyse_lower_cases_before_lookup_and_counts_lemmas():
    result = analyse("Huset og huset og HUSENE. Vennerne gik.")
    assert result.lemma_counts["hus"] == 3
    assert result.lemma_counts["ven"] == 1
    assert result.lemma_counts["gå"] == 1
    assert result.words == 7


def test_overrides_fix_known_oddities_of_the_lookup_table():
    result = analyse("Det gik godt med maden.")
    assert result.lemma_counts["god"] == 1 and "godte" not in result.lemma_counts
    assert result.lemma_counts["med"] == 1 and "mede" not in result.lemma_counts
    assert lemmatise("Godt", "da") == "god"


@pytest.mark.real_lemmas
def test_real_danish_table_with_overrides():
    result = analyse("Huset var godt. Vi gik med de andre unge i køkkenet.", "da")
    assert {"hus", "god", "gå", "med", "køkken", "være"} <= set(result.lemma_counts)
    assert "godte" not in result.lemma_counts and "mede" not in result.lemma_counts
    assert result.known == result.words


@pytest.mark.parametrize("text", ["", "   ", "😀😀 🎉 👍", "123 456 !!!", "..."])
def test_texts_without_words_give_no_lemmas(text):
    result = analyse(text)
    assert result.words == 0
    assert not result.lemma_counts


def test_analyse_many_keeps_order_across_languages():
    results = analyse_many(["Huset er godt.", "The houses went well.", "Vennerne kom."], ["da", "en", "da"])
    assert results[0].lemma_counts["hus"] == 1
    assert results[1].lemma_counts["house"] == 1
    assert results[2].lemma_counts["ven"] == 1


def test_sentiment_reads_the_lexicon_with_negation():
    happy = analyse("Hun var glad og stolt.")
    unhappy = analyse("Hun var ikke glad.")
    neutral = analyse("Hun spiste en sandwich.")
    assert happy.sentiment > 0 and happy.sentiment_words == 2
    assert unhappy.sentiment < 0
    assert neutral.sentiment == 0 and neutral.sentiment_words == 0
    assert analyse("He was not happy.", "en").sentiment < 0


def test_a_third_language_is_mostly_unknown_words():
    german = analyse("Der Junge ging gestern mit seinem Vater in die Stadt und kaufte ein neues Fahrrad.")
    danish = analyse(TEXT)
    assert german.known < german.words / 2
    assert danish.known > danish.words / 2


def test_saving_a_story_stores_its_index(db):
    story = make_story(db)
    seq = seq_of(db, story)
    sentences = story_sentences(db, seq, TEXT)
    assert [s[2] for s in sentences][0] == "Vi lavede mad i køkkenet."
    lemmas = dict(db.execute(
        "SELECT l.lemma, sl.n FROM story_lemmas AS sl JOIN lemmas AS l ON l.id = sl.lemma_id WHERE sl.story_seq = ?",
        [seq]).fetchall())
    assert lemmas["hus"] == 1 and lemmas["køkken"] == 1
    words, sentiment = db.execute("SELECT words, sentiment FROM story_nlp WHERE story_seq = ?", [seq]).fetchone()
    assert words == 15 and isinstance(sentiment, float)


def test_editing_the_text_replaces_the_index(db):
    story = make_story(db)
    seq = seq_of(db, story)
    update_story(db, story.id, {"text": "Vennerne gik hjem. De var glade."})
    rows = db.execute("SELECT l.lemma FROM story_lemmas AS sl JOIN lemmas AS l ON l.id = sl.lemma_id"
                      " WHERE sl.story_seq = ?", [seq]).fetchall()
    assert {r[0] for r in rows} >= {"ven", "gå"} and "hus" not in {r[0] for r in rows}
    assert db.execute("SELECT count(*) FROM sentences WHERE story_seq = ?", [seq]).fetchone()[0] == 2


def test_erasing_a_story_erases_its_index(db):
    story = make_story(db)
    seq = seq_of(db, story)
    delete_story(db, story.id)
    db.execute("UPDATE stories SET deleted_at = '2000-01-01T00:00:00+00:00' WHERE seq = ?", [seq])
    assert purge_deleted(db) == 1
    for table in ("sentences", "story_nlp", "story_lemma_json", "story_lemmas"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE story_seq = ?", [seq]).fetchone()[0] == 0


def test_index_versions_move_with_every_change(db):
    def version(key):
        return db.execute("SELECT value FROM nlp_state WHERE key = ?", [key]).fetchone()[0]

    before = (version("nlp_version"), version("stories_version"))
    make_story(db)
    after = (version("nlp_version"), version("stories_version"))
    assert after[0] != before[0] and after[1] != before[1]


def test_reindex_all_rebuilds_every_story(db):
    make_story(db)
    make_story(db, "Vennerne kom.")
    db.execute("DELETE FROM story_nlp")
    assert reindex_all(db) == 2
    assert db.execute("SELECT count(*) FROM story_nlp").fetchone()[0] == 2


def test_index_stories_in_big_batches(db, monkeypatch):
    import stories.textindex.pipeline

    monkeypatch.setattr(stories.textindex.pipeline, "WRITE_BATCH", 3)
    stories = [make_story(db, f"Huset nummer {i}. Vennerne kom.") for i in range(7)]
    seqs = [seq_of(db, s) for s in stories]
    index_stories(db, [(seq, "Huset er åbent.", "da") for seq in seqs])
    counts = db.execute("SELECT count(*) FROM story_nlp WHERE story_seq IN (%s)" % ",".join("?" * 7), seqs).fetchone()
    assert counts[0] == 7


def test_upgrade_backfills_stories_stored_before_the_migration(tmp_path):
    from stories.db import configure
    from changestories.schema import all_migration_sets

    db = configure(Database(tmp_path / "old.db"))
    sets = all_migration_sets()
    for migration_set in sets:
        if migration_set.name == "nlp":
            migration_set.apply(db, stop_before="m002_story_nlp_and_stop_words")
        elif migration_set.name == "stories":
            migration_set.apply(db)
    db.execute("INSERT INTO stories(id, text, created_at, updated_at) VALUES ('a', 'Huset var fuldt.', 'x', 'x')")
    db.conn.commit()
    for migration_set in sets:
        migration_set.apply(db)
    assert db.execute("SELECT words FROM story_nlp").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM story_lemmas").fetchone()[0] == 3


def test_stop_list_adds_and_keeps_words(db):
    make_story(db)
    assert "og" in stop_lemmas(db, "da")  # spaCy's list
    assert "ung" in stop_lemmas(db, "da")  # the preset domain list
    assert "sammen" not in stop_lemmas(db, "da")  # kept back out of spaCy's list
    set_stop_word(db, "Køkkenet", "da")
    assert {"køkkenet", "køkken"} <= stop_lemmas(db, "da")
    remove_stop_word(db, "køkkenet", "da")
    assert "køkken" not in stop_lemmas(db, "da")
    hus = db.execute("SELECT id FROM lemmas WHERE lemma = 'hus'").fetchone()[0]
    set_stop_word(db, "huset", "da")
    assert hus in stop_lemma_ids(db)


@pytest.mark.parametrize("word", ["", "   ", "to ord", "123", "a" * 41, "<script>"])
def test_invalid_stop_words_are_refused(db, word):
    with pytest.raises(InvalidStopWord):
        set_stop_word(db, word, "da")


@pytest.mark.parametrize("role", ["staff", "facilitator", "public"])
def test_only_evaluators_and_admins_edit_the_stop_list(db, role):
    with pytest.raises(PermissionDenied):
        set_stop_word(db, "hus", "da", actor=Actor("someone", role))
    set_stop_word(db, "hus", "da", actor=Actor("eva", "evaluator"))
    assert "hus" in stop_lemmas(db, "da")


@pytest.mark.parametrize("text", [
    "", "...", "Hej. Hej!", "?!Hej", "Hej.. hej", "Hej.\" Han gik.", "A. . B", "Slut.", "  Hej .  Nej ?  ",
    "¿Qué? Sí.", "x\n\ny. z", "1. 2. 3.", "Hej…hej. Nej", "!!", "Hej!!! (Nej.) Ja", "Vi kom. Vi gik! Hvorfor?",
    "Hun sagde: »Nej.« Så gik hun.", "Mr. Smith kom kl. 14.30. Det var sent.",
])
def test_sentences_are_exactly_the_sentencizers(text):
    """The index finds sentences with the Sentencizer's rule on tokenizer output, vectorised."""
    from stories.textindex.language import load_pipeline

    want = [(s.start_char, s.end_char) for s in load_pipeline("da")(text).sents]
    assert analyse(text).sentences == want
    assert analyse_many([text, "Og en til. Ja."], ["da", "da"])[0].sentences == want


@pytest.mark.parametrize("lang", ["da", "en"])
def test_stop_words_read_without_spacy_are_spacys_own(lang):
    """The themes page reads spaCy's stop list from its file (no spaCy import); the list is the same."""
    from spacy.util import get_lang_class

    from stories.textindex.language import spacy_stop_words

    assert spacy_stop_words(lang) == frozenset(get_lang_class(lang).Defaults.stop_words)
    assert len(spacy_stop_words(lang)) > 100


def test_stop_lemmas_before_indexing_do_not_import_spacy(tmp_path):
    """A fresh process reading the stop list of a language with no indexed story leaves spaCy unimported."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from sqlite_utils import Database; from changestories.database import connect;"
            "from coding.nlp.stopwords import stop_lemmas;"
            f"db = connect({str(tmp_path / 'x.db')!r}); words = stop_lemmas(db, 'en');"
            "print('og' in stop_lemmas(db, 'da'), 'the' in words, 'spacy' in sys.modules)")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "False"]


def test_loaded_pipelines_are_kept_out_of_full_collections():
    """After a one-time load its objects sit in the permanent generation (`stories.heap`)."""
    import gc

    from stories.textindex.language import load_pipeline

    load_pipeline("da")
    assert gc.get_freeze_count() > 0
