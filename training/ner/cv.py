"""Cross-validation on the TRAIN split: out-of-fold model scores for choosing thresholds.

The train split is cut into K folds. For each fold a model is trained (fit.py, with
augmentation) on the other folds, and a name lexicon is built from them; the fold's
sentences are then scored by that model. The scores (per token: probability of a
person name, of a place/organisation) go to output/cv/oof.jsonl with the fold's
lexicon, so tune.py can try thresholds on text no model or lexicon has seen, without
ever looking at the dev split.

The scores are also kept in the repo, in oof/ (gzip, token offsets and scores only, no corpus
text): tune.py and stage2.py read them from there when output/cv/ is absent, so choosing
thresholds or the second stage again needs no fold model trained first (22-32 minutes a fold on
two cores).

    .venv/bin/python training/ner/cv.py [--folds 3] [spaCy overrides...]
"""

from __future__ import annotations

import argparse
import gzip
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
KEPT_DIR = HERE / "oof"  # committed: the folds' scores, without the corpus text
SCORE_FILES = {False: "oof.jsonl", True: "oof_lower.jsonl"}


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


def keep_scores(k: int, lower: bool) -> Path:
    """The fold's scores (output/cv) as oof/fold{k}[_lower].jsonl.gz: offsets, not token text."""
    source = CV_DIR / f"fold{k}" / SCORE_FILES[lower]
    target = KEPT_DIR / f"fold{k}{'_lower' if lower else ''}.jsonl.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(target, "wb", mtime=0) as raw:  # mtime 0: the same scores give the same bytes
        for line in source.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            kept = {"index": row["index"], "offsets": [t[:2] for t in row["tokens"]],
                    "per": row["per"], "other": row["other"]}
            raw.write((json.dumps(kept, separators=(",", ":")) + "\n").encode("utf-8"))
    return target


def fold_scores(k: int, train: list, lower: bool = False):
    """The rows of the fold's out-of-fold scores: from output/cv if cv.py ran here, else
    the kept oof/ copy, whose tokens are cut from the (masked, maybe lower-cased) sentence."""
    from augment import lower_case

    from stories.privacy.detection import _mask_for_names

    fresh = CV_DIR / f"fold{k}" / SCORE_FILES[lower]
    if fresh.exists():
        for line in fresh.read_text(encoding="utf-8").splitlines():
            yield json.loads(line)
        return
    kept = KEPT_DIR / f"fold{k}{'_lower' if lower else ''}.jsonl.gz"
    with gzip.open(kept, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            sent = lower_case(train[row["index"]]) if lower else train[row["index"]]
            masked = _mask_for_names(sent.text)
            row["tokens"] = [(s, e, masked[s:e]) for s, e in row.pop("offsets")]
            yield row


def fold_lexicon_path(k: int, train: list, fold: list[int]) -> Path:
    """The fold's name lexicon (built without the fold), built here if cv.py did not run here."""
    path = CV_DIR / f"fold{k}" / "name_lexicon.json"
    if not path.exists():
        write_fold_lexicon(k, train, fold)
    return path


def write_fold_lexicon(k: int, train: list, fold: list[int]) -> Path:
    """The name lexicon of every sentence outside fold k, written to output/cv/fold{k}/."""
    path = CV_DIR / f"fold{k}" / "name_lexicon.json"
    write_lexicon(build_lexicon_from([s for s, f in zip(train, fold) if f != k]), path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--only", type=int, default=None, help="run one fold only")
    ap.add_argument("--lower-only", action="store_true", help="only score the folds in lower case again")
    ap.add_argument("--keep-only", action="store_true",
                    help="only copy the folds' scores from output/cv to oof/ (to commit)")
    ap.add_argument("--lexicons-only", action="store_true",
                    help="only rebuild the folds' lexicons (after a change to lexicon.py; no model is trained)")
    args, overrides = ap.parse_known_args()
    train = read_iob2(args.data / "da_ddt-ud-train.iob2")
    fold = folds_of(len(train), args.folds)
    for k in range(args.folds):
        if args.only is not None and k != args.only:
            continue
        if args.keep_only:
            print(keep_scores(k, False), keep_scores(k, True))
            continue
        if args.lexicons_only:
            write_fold_lexicon(k, train, fold)
            continue
        if args.lower_only:
            score_lower(k, train, fold)
            continue
        t0 = time.time()
        out = CV_DIR / f"fold{k}"
        rest = [s for s, f in zip(train, fold) if f != k]
        held = [(i, s) for i, (s, f) in enumerate(zip(train, fold)) if f == k]
        write_fold_lexicon(k, train, fold)
        best = fit(rest, out, overrides, seed=k)
        rows = score_fold(best, [s for _, s in held])
        with (out / "oof.jsonl").open("w", encoding="utf-8") as fh:
            for (i, _), row in zip(held, rows):
                fh.write(json.dumps({"index": i, **row}, ensure_ascii=False) + "\n")
        print(f"fold {k}: {len(held)} sentences scored in {(time.time() - t0) / 60:.1f} min", flush=True)
        score_lower(k, train, fold)
        keep_scores(k, False)
        keep_scores(k, True)


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
