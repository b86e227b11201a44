"""Measure person-name detection on the dev split and write models/ner_da/metrics.json.

Two figures are reported, over the full ``find_personal_data`` output (model +
rules) on each sentence's ``# text``:

* name_recall: gold person spans fully covered by person findings;
* token_precision: gold tokens flagged as person that lie in a gold person span.

The NER model's own PER output is measured the same way for comparison.

    .venv/bin/python training/ner/evaluate.py [--data DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from stories.privacy import detection as privacy  # noqa: E402
from stories.privacy.evaluation import evaluate_person_detection, read_iob2  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "uner-da"


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=privacy.MODEL_DIR / "metrics.json")
    ap.add_argument("--train-minutes", type=float, default=None)
    args = ap.parse_args()

    dev = read_iob2(args.data / "da_ddt-ud-dev.iob2")

    def full(text: str):
        return [(f.start, f.end) for f in privacy.find_personal_data(text) if f.kind == "person"]

    result = evaluate_person_detection(dev, full)
    det = privacy._detector()
    model_only = None
    if det.has_model:
        def model(text: str):
            return [(e.start_char, e.end_char) for e in det.nlp(text).ents if e.label_ == "PER"]
        model_only = evaluate_person_detection(dev, model)

    metrics = {
        "data": "UNER Danish-DDT dev split (da_ddt-ud-dev.iob2)",
        "sentences": len(dev),
        "gold_person_spans": result["gold_person_spans"],
        "name_recall": round(result["name_recall"], 4),
        "token_precision": round(result["token_precision"], 4),
        "flagged_tokens": result["flagged_tokens"],
        "model_only": None if model_only is None else {
            "name_recall": round(model_only["name_recall"], 4),
            "token_precision": round(model_only["token_precision"], 4),
        },
        "model_size_mb": round(dir_size_mb(privacy.MODEL_DIR), 2),
        "train_minutes": args.train_minutes,
        "missed_names": result["missed"],
    }
    if args.train_minutes is None and args.out.is_file():
        metrics["train_minutes"] = json.loads(args.out.read_text()).get("train_minutes")
    args.out.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in metrics.items() if k != "missed_names"}, indent=2))


if __name__ == "__main__":
    main()
