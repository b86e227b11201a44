"""Names fully covered among the names no fold model or lexicon has seen.

Out of fold, a name of the news text is often one the other folds have too (the same politicians,
athletes and artists), and the model and the lexicon learnt it there. A young person's name in a
change story is almost never one of them, so the recall that matters for the product is the one on
names whose words the other folds never had as a person's: measured here beside the usual one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stories.privacy.evaluation import Sentence
from stories.privacy.name_rules import NameLexicon


def unseen_name_recall(sentences: Sequence[Sentence], found: Sequence[Iterable[tuple[int, int]]],
                       lexicons: Sequence[NameLexicon]) -> dict:
    """For each sentence, the spans found and the lexicon of the folds its model was trained on:
    how many gold names have no word the lexicon knows as a person's, and how many of those are
    fully covered."""
    n = covered = 0
    for sent, spans, lex in zip(sentences, found, lexicons):
        spans = list(spans)
        for start, end, _ in sent.spans("PER"):
            words = [t for t in sent.tokens if start <= t.start and t.end <= end]
            if any(_seen(t.text, lex) for t in words):
                continue
            n += 1
            covered += all(any(s <= t.start and t.end <= e for s, e in spans) for t in words)
    return {"unseen_person_spans": n, "unseen_name_recall": covered / n if n else 0.0}


def _seen(word: str, lex: NameLexicon) -> bool:
    """The lexicon has the word as a person's, as written or capitalised (the folds in lower case)."""
    return any(lex.person.get(form, (0, 0))[0] > 0 for form in (word, word.capitalize()))
