"""Code suggestions for the story on screen: from each code's keywords, and from a classifier.

Keywords: a keyword matches a word of the story that equals it or, for keywords of four
letters or more, starts with it ("hus" matches "huset"), or a stored lemma of the story;
phrases ("høre til") match as text. Classifier: once MIN_STORIES stories carry a code,
a logistic regression on TF-IDF of the stored lemma counts of the coded stories (stop
words left out) scores it, and names the words that weigh most for it in this story.
A suggestion never codes by itself: `coding.codings.record_suggestion` records the
coder's answer (accepting creates the coding).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from coding.themes.classifier import trained_models
from stories.trust.permissions import SYSTEM, Actor
from stories.storage import stored_story

MIN_KEYWORD_HITS = 1
MIN_CLASSIFIER_SCORE = 0.35
PREFIX_MIN = 4


@dataclass(frozen=True)
class Suggestion:
    code_id: int
    score: float  # 0..1
    words: list[str]  # what triggered it
    source: str  # 'keywords' | 'classifier'


def keyword_hits(text: str, lemmas: set[str], keywords: list[str]) -> tuple[int, list[str]]:
    """(occurrences, words of the story that matched) of the keywords in a story."""
    lower = (text or "").lower()
    tokens = re.findall(r"[^\W\d_]+", lower)
    hits = 0
    matched: list[str] = []
    for keyword in keywords:
        keyword = keyword.strip().lower()
        if not keyword:
            continue
        if " " in keyword:
            n = len(re.findall(r"(?<!\w)" + re.escape(keyword) + r"(?!\w)", lower))
            found = [keyword] if n else []
        else:
            found = [t for t in tokens if t == keyword or (len(keyword) >= PREFIX_MIN and t.startswith(keyword))]
            n = len(found)
            if not n and keyword in lemmas:
                n, found = 1, [keyword]
        if n:
            hits += n
            matched.extend(w for w in dict.fromkeys(found) if w not in matched)
    return hits, matched


def keyword_score(hits: int) -> float:
    return 1.0 - math.exp(-hits / 3.0)


def story_lemmas(db: Database, seq: int) -> tuple[np.ndarray, np.ndarray, set[str]]:
    """The stored lemma ids, counts and lemma texts of one story."""
    row = db.execute("SELECT lemma_ids, lemma_counts FROM story_nlp WHERE story_seq = ?", [seq]).fetchone()
    if not row:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), set()
    ids = np.frombuffer(row[0], dtype="<i4")
    counts = np.frombuffer(row[1], dtype="<i4")
    names = set()
    id_list = ids.tolist()
    for i in range(0, len(id_list), 500):
        chunk = id_list[i : i + 500]
        names.update(r[0] for r in db.execute(f"SELECT lemma FROM lemmas WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return ids, counts, names


def suggest_codes(db: Database, story_id: str, *, actor: Actor = SYSTEM, coder: str | None = None,
                  limit: int = 5, model_words: bool = True) -> list[Suggestion]:
    """Codes worth considering for a story, best first, with a score and the words behind it.

    Codes the coder already gave the story, or already rejected for it, are not suggested.
    `model_words=False` leaves out the classifier's words (they may include names, which
    a pseudonymised view must not show); keyword matches are always named.
    """
    from coding.codebook.codes import active_codebook, codable_codes
    from stories.privacy.pseudonymised import needs_pseudonymisation

    story = stored_story(db, story_id, actor=actor)  # keywords are matched in the original text
    model_words = model_words and not needs_pseudonymisation(actor)
    seq = db.execute("SELECT seq FROM stories WHERE id = ?", [story_id]).fetchone()[0]
    codes = codable_codes(db, active_codebook(db))
    if not codes:
        return []
    skip: set[int] = set()
    if coder:
        skip |= {r[0] for r in db.execute("SELECT code_id FROM codings WHERE story_seq = ? AND coder = ?", [seq, coder])}
        skip |= {r[0] for r in db.execute(
            "SELECT code_id FROM suggestion_events WHERE story_seq = ? AND coder = ? AND accepted = 0", [seq, coder])}
    ids, counts, lemmas = story_lemmas(db, seq)
    models = trained_models(db)
    result = []
    for code in codes:
        if code.id in skip:
            continue
        keywords = code.keywords(story.language) or code.keywords("da") + code.keywords("en")
        hits, words = keyword_hits(story.text, lemmas, keywords)
        model = models.models.get(code.id) if models is not None else None  # None: still learning
        if model is not None and len(ids):
            score, found = models.score(code.id, ids, counts)
            if score >= MIN_CLASSIFIER_SCORE:
                shown = [w for w in found if w not in words] if model_words else []
                result.append(Suggestion(code.id, score, shown + words, "classifier"))
            continue
        if hits >= MIN_KEYWORD_HITS:
            result.append(Suggestion(code.id, keyword_score(hits), words, "keywords"))
    result.sort(key=lambda s: (-s.score, s.code_id))
    return result[:limit]

