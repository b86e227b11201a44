"""Train the learned second stage (``stories/privacy/name_stage.py``) on out-of-fold scores of TRAIN.

cv.py leaves, for each of the 3 folds of the train split, the scores of a model that never saw
the fold and a lexicon built without it. For every capitalised word of every train sentence this
script computes the second stage's features (``stories/privacy/name_features.py``) from those
out-of-fold scores, with the rule layer's verdict as one of them, and the gold answer (inside a
person's name or not). Then, still on train only:

* settings (trees, depth, learning rate) and the decision threshold are chosen by nested
  cross-validation: for each fold a stage is fitted on the other two folds' words and applied to
  the fold; the whole detector (rules, stage, spans, propagation) is scored on the fold's
  sentences; the setting and threshold with the best person-token precision among those with
  the recall targets of tune.py win;
* the chosen setting is fitted on all the folds' words and written, with its threshold and the
  cross-validation figures, to models/ner_da/name_stage.json.

The dev split is not read.

    .venv/bin/python training/ner/stage2.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from augment import lower_case  # noqa: E402
from cv import DEFAULT_DATA, fold_lexicon_path, fold_scores, folds_of  # noqa: E402
from tune import better, target_text  # noqa: E402 - one rule for "a beats b" in every search
from unseen import unseen_name_recall  # noqa: E402

from stories.privacy.detection import (  # noqa: E402
    TokenScores, _mask_for_names, kin_or_title, propagate_unvetoed, rule_flags, spans_from_scores, stage_overrides,
    without_vetoed,
)
from stories.privacy.evaluation import Sentence, evaluate_person_detection, read_iob2  # noqa: E402
from stories.privacy.name_features import FEATURES, is_candidate, stage_may_add, token_features, vector  # noqa: E402
from stories.privacy.name_rules import NameLexicon, current_thresholds  # noqa: E402
from stories.privacy.name_spans import spans_from_flags  # noqa: E402
from stories.privacy.name_stage import MODEL_DIR, STAGE_FILE, NameStage, _Tree  # noqa: E402
from stories.privacy.name_vetoes import vetoed  # noqa: E402

SETTINGS = [  # (trees, depth, learning rate)
    (100, 3, 0.1),
    (200, 3, 0.05),
    (150, 4, 0.05),
    (300, 2, 0.1),
]
THRESHOLDS = [round(0.005 * k, 3) for k in range(2, 121)]
EXTEND = [(a, m) for a in (0.5, 0.8) for m in (0.0, 0.02)]  # (extend_anchor, extend_min) tried
# gated_min tried: the probability at which the stage adds a word the rules hold back (a frequent
# unlisted word, a name-word opening a sentence). Not below 0.5: such words are the ones news text
# cannot teach (brands, roles, "Hans mor"), so the stage must find a name more likely than not.
GATED = [0.5, 0.6, 0.7, 0.8, 0.9]
DROPPED: tuple[str, ...] = ()  # features left out (set by --drop, for comparing feature sets by CV)


@dataclass
class Item:
    fold: int
    sentence: Sentence
    masked: str
    scores: TokenScores
    lexicon: NameLexicon
    flags: list[bool]  # the rule layer's
    candidates: list[int]  # token indices the stage decides
    rows: list[list[float]]
    labels: list[int]
    may_add: list[bool]  # per candidate: may the stage flag it (see name_features.stage_may_add)
    vetoes: list[bool]  # per token: surely not a name (name_vetoes)
    overrides: list[bool]  # per token: a person's whatever the stage says (detection.stage_overrides)


def gold_labels(sentence: Sentence, tokens: list[tuple[int, int, str]]) -> list[int]:
    gold = [(s, e) for s, e, _ in sentence.spans("PER")]
    return [int(any(s < te and ts < e for s, e in gold)) for ts, te, _ in tokens]


def load_items(data: Path, k: int = 3, lower: bool = False) -> list[Item]:
    train = read_iob2(data / "da_ddt-ud-train.iob2")
    fold = folds_of(len(train), k)
    th = current_thresholds()
    items = []
    for f in range(k):
        lex = NameLexicon.load(fold_lexicon_path(f, train, fold))  # built without the fold
        for row in fold_scores(f, train, lower):
            assert fold[row["index"]] == f
            sent = train[row["index"]]
            if lower:
                sent = lower_case(sent)
            masked = _mask_for_names(sent.text)
            scores = TokenScores([tuple(t) for t in row["tokens"]], row["per"], row["other"])
            spans = spans_from_scores(scores, masked, lex, "da", th, stage=None)
            flags = rule_flags(scores, spans)
            cands = [i for i, (_, _, w) in enumerate(scores.tokens) if is_candidate(w, "da")]
            may_add = [stage_may_add(scores.tokens, masked, i, lex, th, "da") for i in cands]
            rows = [vector(token_features(scores.tokens, masked, scores.per, scores.other, flags, i, lex, th, "da"))
                    for i in cands]
            gold = gold_labels(sent, scores.tokens)
            overrides = stage_overrides(scores.tokens, masked, flags, kin_or_title(scores.tokens, masked, lex, "da", th),
                                        "da", th)
            items.append(Item(f, sent, masked, scores, lex, flags, cands, rows, [gold[i] for i in cands], may_add,
                              vetoed(scores.tokens, masked, lex, "da", th), overrides))
    return items


def measure(items: list[Item], probs: list[list[float]] | None, threshold: float,
            extend: tuple[float | None, float] = (None, 0.0), gated: float | None = None) -> dict:
    """The whole detector on the items' sentences, the stage's probabilities given (None: rules alone)."""
    found = []
    stage = NameStage((), 0.0, 1.0, (), threshold, *extend, gated)
    for n, it in enumerate(items):
        if probs is None:
            spans = spans_from_flags(it.scores.tokens, it.masked, it.flags)
        else:
            decided = stage.decide(it.scores.tokens, it.masked, it.flags, dict(zip(it.candidates, probs[n])),
                                   dict(zip(it.candidates, it.may_add)))
            # as the shipped detector does (detection.spans_from_scores): its overrides, then the vetoes
            decided = without_vetoed([d or o for d, o in zip(decided, it.overrides)], it.vetoes)
            spans = spans_from_flags(it.scores.tokens, it.masked, decided)
        found.append(propagate_unvetoed(it.scores, it.masked, spans, it.lexicon, it.vetoes))
    seq = iter(found)
    r = evaluate_person_detection([it.sentence for it in items], lambda text: next(seq))
    return {**{k: r[k] for k in ("name_recall", "token_precision", "gold_person_spans", "flagged_tokens")},
            **unseen_name_recall([it.sentence for it in items], found, [it.lexicon for it in items])}


def fit(items: list[Item], setting: tuple[int, int, float], seed: int = 0):
    from sklearn.ensemble import GradientBoostingClassifier

    n_trees, depth, rate = setting
    X = [_columns(row) for it in items for row in it.rows]
    y = [lab for it in items for lab in it.labels]
    clf = GradientBoostingClassifier(n_estimators=n_trees, max_depth=depth, learning_rate=rate, subsample=0.8,
                                     min_samples_leaf=10, random_state=seed)
    clf.fit(X, y)
    return clf


def used_features() -> tuple[str, ...]:
    return tuple(f for f in FEATURES if f not in DROPPED)


def _columns(row: list[float]) -> list[float]:
    if not DROPPED:
        return row
    return [v for f, v in zip(FEATURES, row) if f not in DROPPED]


def to_stage(clf, threshold: float, extend: tuple[float | None, float] = (None, 0.0),
             gated: float | None = None) -> NameStage:
    """The fitted scikit-learn ensemble as a plain NameStage (checked against scikit-learn's own scores)."""
    import numpy as np

    prior = float(clf.init_.class_prior_[1])
    init = float(np.log(prior / (1 - prior)))
    trees = []
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        trees.append(_Tree(tuple(int(f) if l >= 0 else -1 for f, l in zip(t.feature, t.children_left)),
                           tuple(float(x) for x in t.threshold), tuple(int(x) for x in t.children_left),
                           tuple(int(x) for x in t.children_right), tuple(float(v) for v in t.value[:, 0, 0])))
    return NameStage(used_features(), init, float(clf.learning_rate), tuple(trees), threshold, *extend, gated)


def check_export(clf, stage: NameStage, rows: list[list[float]]) -> None:
    import numpy as np

    sample = rows[:2000]
    ours = np.array([stage.probability(dict(zip(FEATURES, r))) for r in sample])
    theirs = clf.predict_proba([_columns(r) for r in sample])[:, 1]
    assert np.allclose(ours, theirs, atol=1e-6), float(np.abs(ours - theirs).max())


def nested_probs(items: list[Item], setting, k: int = 3, apply_to: list[Item] | None = None) -> list[list[float]]:
    """Each fold's words scored by a stage fitted on the other folds' words (of ``items``)."""
    targets = items if apply_to is None else apply_to
    probs: list[list[float]] = [[] for _ in targets]
    for f in range(k):
        clf = fit([it for it in items if it.fold != f], setting, seed=f)
        for n, it in enumerate(targets):
            if it.fold == f and it.rows:
                probs[n] = list(clf.predict_proba([_columns(r) for r in it.rows])[:, 1])
    return probs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--dry-run", action="store_true", help="print the cross-validation, write nothing")
    ap.add_argument("--drop", default="", help="comma-separated features to leave out")
    ap.add_argument("--settings", default="", help="indices into SETTINGS to try (default: all)")
    args = ap.parse_args()
    global DROPPED
    DROPPED = tuple(f for f in args.drop.split(",") if f)
    settings = [SETTINGS[int(i)] for i in args.settings.split(",") if i] or SETTINGS
    t0 = time.time()
    items = load_items(args.data)
    n_words = sum(len(it.rows) for it in items)
    print(f"{len(items)} sentences, {n_words} capitalised words, {sum(sum(it.labels) for it in items)} in names "
          f"({time.time() - t0:.0f} s)", flush=True)
    rules = measure(items, None, 0.0)
    print("rules alone (out-of-fold):", rules, flush=True)
    best = None
    for setting in settings:
        probs = nested_probs(items, setting)
        for t in THRESHOLDS:
            r = measure(items, probs, t)
            if better(r, best and best[2]):
                best = (setting, t, r, (None, 0.0), probs)
        print(f"setting {setting}: best so far {best[:4]}", flush=True)
    setting, threshold, cv, _, probs = best
    for extend in EXTEND:  # span level, on the chosen setting's out-of-fold probabilities
        for t in THRESHOLDS:
            if t < threshold / 2 or t > threshold * 4:
                continue
            r = measure(items, probs, t, extend)
            if better(r, cv):
                threshold, cv, best = t, r, (setting, t, r, extend, probs)
        print(f"extension {extend}: best so far {best[:4]}", flush=True)
    extend = best[3]
    # Then the gate, with the threshold again. The gate is always kept (from 0.5 up): news text has
    # few of the words it holds back (brands, roles, "Hans mor"), so no gate can look as good as a
    # gate there, while stories are full of them.
    base, gated, cv = threshold, None, None
    for g in GATED:
        for t in THRESHOLDS:
            if t < base / 2 or t > base * 4:
                continue
            r = measure(items, probs, t, extend, g)
            if better(r, cv):
                threshold, cv, gated = t, r, g
        print(f"gated_min {g}: best so far {threshold} {gated} {cv}", flush=True)
    print("chosen:", setting, threshold, extend, gated, cv, flush=True)
    lower_items = load_items(args.data, lower=True)
    cv_lower = measure(lower_items, nested_probs(items, setting, apply_to=lower_items), threshold, extend, gated)
    print("lower case (out-of-fold):", cv_lower, flush=True)
    clf = fit(items, setting)
    stage = to_stage(clf, threshold, extend, gated)
    check_export(clf, stage, [row for it in items for row in it.rows])
    if args.dry_run:
        return
    out = stage.to_dict()
    out.update({
        "setting": {"trees": setting[0], "max_depth": setting[1], "learning_rate": setting[2]},
        "chosen": "settings, threshold, then the span extension, then the gate (gated_min, from 0.5), each with "
                  "the threshold, by the out-of-fold figures",
        "chosen_by": f"nested cross-validation on the UNER Danish-DDT train split (3 folds, {len(items)} sentences, "
                     f"{n_words} capitalised words; out-of-fold NER models and lexicons): best person-token precision "
                     f"with {target_text()}",
        "cv": cv,
        "cv_lower_case": cv_lower,
        "cv_rules_alone": rules,
        "source": "scikit-learn GradientBoostingClassifier, exported as plain JSON by training/ner/stage2.py",
    })
    path = MODEL_DIR / STAGE_FILE
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB) after {(time.time() - t0) / 60:.1f} min")


if __name__ == "__main__":
    main()
