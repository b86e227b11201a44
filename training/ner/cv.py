"""Cross-validation on the TRAIN split: out-of-fold model scores for choosing thresholds.

The train split is cut into K folds. For each fold a model is trained (fit.py, with
augmentation) on the other folds, and a name lexicon is built from them; the fold's
sentences are then scored by that model. The scores (per token: probability of a
person name, of a place/organisation) go to output/cv/oof.jsonl with the fold's
lexicon, so tune.py can try thresholds on text no model or lexicon has seen, without
ever looking at the dev split.

    .venv/bin/python training/ner/cv.py [--folds 3] [spaCy overrides...]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from fit import fit  # noqa: E402
from lexicon import build_lexicon_from, write_lexicon  # noqa: E402

from stories.privacy.evaluation import read_iob2, uner_dir  # noqa: E402

DEFAULT_DATA = uner_dir() or REPO.parent / "shared" / "data" / "uner-da"
CV_DIR = HERE / "output" / "cv"


def folds_of(n: int, k: int, seed: int = 0) -> list[int]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold = [0] * n
    for rank, i in enumerate(order):
        fold[i] = rank % k
    return fold


def score_fold(model_dir: Path, sentences: list) -> list[dict]:
    import spacy

    from stories.privacy.detection import _mask_for_names, score_tokens

    nlp = spacy.load(model_dir)
    rows = []
    for sent in sentences:
        masked = _mask_for_names(sent.text)
        scores = score_tokens(masked, nlp, True)
        rows.append({"tokens": scores.tokens, "per": [round(p, 4) for p in scores.per],
                     "other": [round(o, 4) for o in scores.other]})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--only", type=int, default=None, help="run one fold only")
    ap.add_argument("--lower-only", action="store_true", help="only score the folds in lower case again")
    ap.add_argument("--lexicons-only", action="store_true",
                    help="only rebuild the folds' lexicons (after a change to lexicon.py; no model is trained)")
    args, overrides = ap.parse_known_args()
    train = read_iob2(args.data / "da_ddt-ud-train.iob2")
    fold = folds_of(len(train), args.folds)
    for k in range(args.folds):
        if args.only is not None and k != args.only:
            continue
        if args.lexicons_only:
            write_lexicon(build_lexicon_from([s for s, f in zip(train, fold) if f != k]),
                          CV_DIR / f"fold{k}" / "name_lexicon.json")
            continue
        if args.lower_only:
            score_lower(k, train, fold)
            continue
        t0 = time.time()
        out = CV_DIR / f"fold{k}"
        rest = [s for s, f in zip(train, fold) if f != k]
        held = [(i, s) for i, (s, f) in enumerate(zip(train, fold)) if f == k]
        write_lexicon(build_lexicon_from(rest), out / "name_lexicon.json")
        best = fit(rest, out, overrides, seed=k)
        rows = score_fold(best, [s for _, s in held])
        with (out / "oof.jsonl").open("w", encoding="utf-8") as fh:
            for (i, _), row in zip(held, rows):
                fh.write(json.dumps({"index": i, **row}, ensure_ascii=False) + "\n")
        print(f"fold {k}: {len(held)} sentences scored in {(time.time() - t0) / 60:.1f} min", flush=True)
        score_lower(k, train, fold)


def score_lower(k: int, train: list, fold: list[int]) -> None:
    """The fold's sentences in lower case, scored by the fold's model (for the lower-case rule)."""
    from augment import lower_case

    out = CV_DIR / f"fold{k}"
    held = [(i, lower_case(s)) for i, (s, f) in enumerate(zip(train, fold)) if f == k]
    rows = score_fold(out / "model" / "model-best", [s for _, s in held])
    with (out / "oof_lower.jsonl").open("w", encoding="utf-8") as fh:
        for (i, _), row in zip(held, rows):
            fh.write(json.dumps({"index": i, **row}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
