"""Choose the detector's thresholds by cross-validation on the TRAIN split (never on dev).

Reads the out-of-fold model scores and fold lexicons written by cv.py, runs the rule
layer (``stories.privacy.detection.spans_from_scores``) with candidate thresholds on each
fold's sentences, and keeps the thresholds with the best person-token precision among
those whose out-of-fold recall (names fully covered) reaches RECALL_TARGET (and, when on,
UNSEEN_RECALL_TARGET on the names no other fold had: unseen.py), tried one threshold at a
time (coordinate search, a few rounds). The lower-case threshold is chosen the same way on
the fold sentences in lower case. Writes models/ner_da/thresholds.json.

    .venv/bin/python training/ner/tune.py
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from augment import lower_case  # noqa: E402
from cv import DEFAULT_DATA, fold_lexicon_path, fold_scores, folds_of  # noqa: E402

from stories.privacy.detection import MODEL_DIR, TokenScores, _mask_for_names, spans_from_scores  # noqa: E402
from stories.privacy.evaluation import evaluate_person_detection, read_iob2  # noqa: E402
from stories.privacy.name_rules import THRESHOLDS_FILE, NameLexicon, Thresholds  # noqa: E402
from unseen import unseen_name_recall  # noqa: E402

RECALL_TARGET = 0.95  # names fully covered, as the project promises; then the best precision
# ... and of the names no other fold had (training/ner/unseen.py), when above 0 (off). A young
# person's name is hardly ever one the news text has, and out of fold the search spends the recall it
# wins on such names on precision (0.951 of all names, 0.86 of the unseen). Tried at 0.90 (issue 10,
# 2026-12-03): out of fold 0.962 / 0.787 with 0.901 of the unseen, but the search then raised
# common_min_zipf and head_min_zipf, which news text, with few brands, apps and Danish institutions,
# cannot price: "Netflix", "Jobcentret" and "Mentor" became names in stories. Off until the folds can
# price those words.
UNSEEN_RECALL_TARGET = 0.0
# Not searched: min_name_count stays 1 (every listed name counts). News text has few of the names
# young people in Danish social work carry (the Muslim names in the list have no counts), so the
# train split cannot tell how many carriers a name needs; the product needs all of them.
GRID = {
    "per_min_prob": [0.1, 0.2, 0.3, 0.5, 0.7],
    # Not searched: other_min_prob stays 1.01 (the model's "not a person" never overrules the rules) and
    # initial_min_likeness 99 (a word no rule knows opening a sentence is no name by its likeness in the
    # lexicon). On 2026-12-04 a rule that found one more name out of fold sent the search to 0.97 and
    # 5.0 (out of fold 0.951 / 0.840 with the stage, against 0.826); but the model, trained on news, is
    # sure that young people's names from abroad are not people ("Nedim", "Eyob", "Prosper" at 0.97 to
    # 1.0), the used hard sets lost 0.017 of their Danish and English names, and "Tirana er en stor by"
    # made Tirana a person.
    "other_min_prob": [1.01],
    "initial_min_likeness": [99.0],
    # Not searched either: the two word-frequency thresholds from which a capitalised word no list has is
    # an everyday word (common_min_zipf 3.5) or a Danish compound (head_min_zipf 4.0, its last part). The
    # news text's unlisted names are of famous people, frequent in any corpus, and few are from the
    # countries young people's families come from, so the search lowers both for precision there
    # (2026-12-04: common_min_zipf to 2.0, then head_min_zipf to 3.5); in stories that makes a young
    # person's rarer name an everyday word or a compound (in the used hard sets "Alp", "kenji",
    # "alperen", "Damilola", "Roksolana Hnatiuk", "Siriporn Chaiyasit" were lost). Raising them made
    # "Netflix" and "Jobcentret" names (2026-12-03). Kept where the stories' tests hold.
    "common_min_zipf": [3.5],
    "head_min_zipf": [4.0],
    "common_per_min_prob": [0.3, 0.5, 0.7, 0.9, 0.97, 1.01],
}
LOWER_GRID = {"lower_min_count": [50, 100, 300, 1000, 3000, 10000, 10**9]}


class Folds:
    def __init__(self, data: Path, k: int, lower: bool = False, use: list[int] | None = None):
        train = read_iob2(data / "da_ddt-ud-train.iob2")
        fold = folds_of(len(train), k)
        self.items = []  # (sentence, scores, lexicon)
        for f in (range(k) if use is None else use):
            lex = NameLexicon.load(fold_lexicon_path(f, train, fold))
            for row in fold_scores(f, train, lower):
                sent = train[row["index"]]
                assert fold[row["index"]] == f
                if lower:
                    sent = lower_case(sent)
                scores = TokenScores([tuple(t) for t in row["tokens"]], row["per"], row["other"])
                self.items.append((sent, scores, lex))

    def measure(self, th: Thresholds) -> dict:
        found = []
        for sent, scores, lex in self.items:
            # the rules alone: the shipped second stage was fitted on these very words (stage2.py
            # runs after tune.py and is fitted to the thresholds chosen here)
            found.append(spans_from_scores(scores, _mask_for_names(sent.text), lex, "da", th, stage=None))
        it = iter(found)
        r = evaluate_person_detection([s for s, _, _ in self.items], lambda text: next(it))
        return {**{k: r[k] for k in ("name_recall", "token_precision", "gold_person_spans", "flagged_tokens")},
                **unseen_name_recall([s for s, _, _ in self.items], found, [lex for _, _, lex in self.items])}


def reaches(r: dict) -> bool:
    """The recall targets: all names, and (when on) the names no other fold had."""
    return r["name_recall"] >= RECALL_TARGET and (
        not UNSEEN_RECALL_TARGET or r.get("unseen_name_recall", 1.0) >= UNSEEN_RECALL_TARGET)


def better(a: dict, b: dict | None) -> bool:
    """a beats b: reaching the recall targets first, then precision (recall breaks ties); short of
    them, the recall (on the unseen names when that target is on)."""
    if b is None:
        return True
    short = "unseen_name_recall" if UNSEEN_RECALL_TARGET else "name_recall"
    key = lambda r: (reaches(r),  # noqa: E731
                     r["token_precision"] if reaches(r) else r.get(short, 0.0),
                     r["name_recall"])
    return key(a) > key(b)


def target_text() -> str:
    """The recall targets, as the figures' files say what chose them."""
    unseen = f" and names no other fold had fully covered >= {UNSEEN_RECALL_TARGET}" if UNSEEN_RECALL_TARGET else ""
    return f"names fully covered >= {RECALL_TARGET}{unseen}"


def search(folds: Folds, th: Thresholds, grid: dict, rounds: int = 3) -> tuple[Thresholds, dict]:
    best = folds.measure(th)
    print("start", asdict(th), best, flush=True)
    for r in range(rounds):
        changed = False
        for name, values in grid.items():
            for value in values:
                if getattr(th, name) == value:
                    continue
                cand = replace(th, **{name: value})
                result = folds.measure(cand)
                if better(result, best):
                    th, best, changed = cand, result, True
                    print(f"round {r}: {name}={value}", result, flush=True)
        if not changed:
            break
    return th, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--use", default="", help="folds to use, e.g. 0,1 (default: all)")
    args = ap.parse_args()
    use = [int(x) for x in args.use.split(",") if x] or None
    folds = Folds(args.data, args.folds, use=use)
    th, cv = search(folds, Thresholds(), GRID)
    th, cv_lower = search(Folds(args.data, args.folds, lower=True, use=use), th, LOWER_GRID, rounds=1)
    cv = folds.measure(th)  # again: lower_min_count, chosen last, also decides words in text as written
    n_used = len(use) if use else args.folds
    out = {
        "thresholds": asdict(th),
        "chosen_by": f"cross-validation on the UNER Danish-DDT train split ({n_used} of {args.folds} folds held out "
                     f"in turn, {len(folds.items)} sentences): best person-token precision with {target_text()}, "
                     f"out-of-fold models and lexicons",
        "cv": cv,
        "cv_lower_case": cv_lower,
    }
    path = MODEL_DIR / THRESHOLDS_FILE
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}", json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
