"""What the server loads as it starts, on a thread of its own, so that the first visitor after a
restart does not wait for it: the privacy NER model and name lexicon with the word frequencies
(every page that pseudonymises or checks a story for personal data; about two seconds),
spaCy's pipelines and lemma tables (saving and re-indexing stories), and scikit-learn (the
coding page's code suggestions).

Everything here is loaded once per process and cached by its own module; a page that needs
something before the warm-up reached it loads it itself (the caches are locked), so the warm-up
only ever saves time. Nothing is downloaded.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

SAMPLE = "Mads og Fatima gik en tur i parken i går."


def warm_up() -> None:
    """Load the one-time resources now (in this thread)."""
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


def start_warm_up() -> threading.Thread:
    """`warm_up` on a daemon thread (a failure is logged: the pages then load what they need)."""
    def run() -> None:
        try:
            warm_up()
        except Exception:  # pragma: no cover - the pages load the same resources themselves
            log.exception("warm-up failed; pages load their resources on first use")

    thread = threading.Thread(target=run, name="changestories-warm-up", daemon=True)
    thread.start()
    return thread
