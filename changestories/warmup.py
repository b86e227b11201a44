"""What the server loads as it starts, on a thread of its own, so that the first visitor after a
restart does not wait for it: the privacy NER model and name lexicon with the word frequencies
(every page that pseudonymises or checks a story for personal data; about two seconds),
spaCy's pipelines and lemma tables (saving and re-indexing stories), scikit-learn (the
coding page's code suggestions) and, from the database the server serves, what the first
visit of the themes or coding page would read (the stories x lemmas matrix, every story's
codes) and the code suggestion classifiers (trained on a thread of their own).

Everything here is loaded once per process and cached by its own module; a page that needs
something before the warm-up reached it loads it itself (the caches are locked), so the warm-up
only ever saves time. Nothing is downloaded.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

SAMPLE = "Mads og Fatima gik en tur i parken i går."


def warm_up(database: str | os.PathLike | None = None) -> None:
    """Load the one-time resources now (in this thread); with `database`, that database's too."""
    from stories.privacy.detection import find_personal_data
    from stories.textindex.language import SUPPORTED, load_lemma_table, load_pipeline

    find_personal_data(SAMPLE)  # the model, the lexicon and the word frequencies the rules read
    for lang in SUPPORTED:
        load_pipeline(lang)
        load_lemma_table(lang)
    # scikit-learn for the coding page's suggestions (importing it takes over a second: it
    # imports scipy.stats); the classifiers themselves are trained when the page first asks
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    if database is not None:
        warm_database(database)


def warm_database(path: str | os.PathLike) -> None:
    """The served database's lemma matrix and (story, code) pairs, kept per process as the themes
    page keeps them, and its code suggestion classifiers (trained in the background, once). A
    database not there yet is not created; one not migrated yet is left to the first page."""
    from coding.nlp.lemma_matrix import load_matrix
    from coding.themes.classifier import trained_models
    from coding.themes.code_stats import corpus_code_pairs
    from stories.db import open_database

    if not Path(path).is_file():
        return
    db = open_database(path)
    try:
        load_matrix(db)
        corpus_code_pairs(db)
        trained_models(db, wait=False)
    except sqlite3.OperationalError as error:  # e.g. tables a migration adds: the pages migrate, then load
        log.info("warm-up left the database to the first page: %s", error)
    finally:
        db.conn.close()


def start_warm_up(database: str | os.PathLike | None = None) -> threading.Thread:
    """`warm_up` on a daemon thread (a failure is logged: the pages then load what they need)."""
    def run() -> None:
        try:
            warm_up(database)
        except Exception:  # pragma: no cover - the pages load the same resources themselves
            log.exception("warm-up failed; pages load their resources on first use")

    thread = threading.Thread(target=run, name="changestories-warm-up", daemon=True)
    thread.start()
    return thread
