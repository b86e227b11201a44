"""Theme results kept per process under the data's version.

`data_version` changes whenever anything a theme view shows may have changed: a story (its
counter, bumped by triggers), the NLP index, the stop list, codings or who coded (coding m003's
counter), reconciliations, or whether evaluators see stories before review. A result kept under
it is never stale for the data; results that depend on more than the data (the personal data
staff corrected, which pseudonymised quotes and titles read) are not kept at all.
"""

from __future__ import annotations

from sqlite_utils import Database

from coding.codings import codings_version
from coding.kept_results import KeptResults
from coding.nlp.lemma_matrix import state

ENTRIES = 64

_RESULTS: KeptResults = KeptResults(ENTRIES)


def data_version(db: Database) -> tuple:
    """Changes whenever anything a theme view shows may have changed."""
    info = state(db)
    # the number of codings (the classifier retrains on it) and their version (a counter the
    # triggers of coding m003 bump on every change): no pass over the codings' rows
    codings = (db.execute("SELECT count(*) FROM codings").fetchone()[0], codings_version(db))
    reconciled = db.execute("SELECT count(*), total(story_seq) FROM reconciliations").fetchone()
    review = db.execute("SELECT value FROM settings WHERE key = 'review_required'").fetchone()
    return (info.get("corpus_token"), info.get("stories_version"), info.get("nlp_version"),
            info.get("stop_version"), tuple(codings), tuple(reconciled), review[0] if review else None)


def kept(key: tuple, compute):
    """The result kept under `key` (which must hold a `data_version`), else `compute()`, kept."""
    return _RESULTS.get(key, compute)


def clear() -> None:
    _RESULTS.clear()
