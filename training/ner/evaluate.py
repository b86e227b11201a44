"""`make privacy-eval`: how well people's names are found, on text the detector was not tuned on.

Prints, for the full detector (``find_personal_data``: model + rules):

* the cross-validation figures on the train split that chose the rule thresholds
  (models/ner_da/thresholds.json, written by tune.py) and the learned second stage and its
  threshold (models/ner_da/name_stage.json, written by stage2.py);
* the UNER Danish-DDT dev split, measured once: names fully covered (recall), person-token
  precision, and the NER model alone for comparison (skipped when ../shared is absent);
* the fictional hard sentences in training/ner/hard/ (develop.txt, used while writing the
  rules, and heldout.txt, never used to choose anything), per language, with the false
  flags by kind of word; heldout2.txt was written before the learned second stage
  (name_stage.json) was first measured on it, heldout3.txt before the gate and the names from
  other countries were chosen (by cross-validation on train) and measured once at the end;
  heldout4.txt before the NER model's training with names from other countries, the second stage's
  hyphen feature and the vetoes on games and camelCase brands (``name_vetoes``), measured once;
  heldout5.txt before the rules for lower-case names from other countries and for brands and
  places after prepositions, measured once; heldout6.txt before the folds' out-of-fold scores were
  rebuilt and anything was chosen on them; heldout7.txt by a writer who read neither the rules nor
  the lists, while the rules for lower-case names no list has were written (chosen on develop,
  heldout5 and heldout6), measured once at the end; heldout8.txt to heldout18.txt by other writers
  who read neither, each before anything was measured on it, measured once at the end of its round.

With --write, the figures go to models/ner_da/metrics.json. --no-dev leaves the dev split out and
--sets measures only the hard sets named (while working: dev is measured once, at the end).

    .venv/bin/python training/ner/evaluate.py [--data DIR] [--write] [--no-dev] [--sets develop ...]
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
from stories.privacy.evaluation import (  # noqa: E402
    HARD_DIR, evaluate_hard, evaluate_person_detection, read_hard, read_iob2, uner_dir,
)
from stories.privacy.name_rules import THRESHOLDS_FILE  # noqa: E402
from stories.privacy.name_stage import STAGE_FILE  # noqa: E402

HARD_SETS = ("develop", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7",
             "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15",
             "heldout16", "heldout17", "heldout18")


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def persons(text: str, lang: str = "da") -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in privacy.find_personal_data(text, lang) if f.kind == "person"]


def dev_figures(data: Path) -> dict | None:
    path = data / "da_ddt-ud-dev.iob2"
    if not path.is_file():
        return None
    dev = read_iob2(path)
    full = evaluate_person_detection(dev, persons)
    out = {"data": "UNER Danish-DDT dev split (da_ddt-ud-dev.iob2)", "sentences": len(dev),
           "gold_person_spans": full["gold_person_spans"], "name_recall": round(full["name_recall"], 4),
           "token_precision": round(full["token_precision"], 4), "flagged_tokens": full["flagged_tokens"],
           "missed_names": full["missed"]}
    det = privacy._detector()
    if det.has_model:
        def model(text: str):
            return [(e.start_char, e.end_char) for e in det.nlp(text).ents if e.label_ == "PER"]
        alone = evaluate_person_detection(dev, model)
        out["model_only"] = {"name_recall": round(alone["name_recall"], 4),
                             "token_precision": round(alone["token_precision"], 4)}
    return out


def hard_figures(name: str) -> dict:
    result = evaluate_hard(read_hard(HARD_DIR / f"{name}.txt"), persons)
    return {
        "languages": {lang: {"gold_person_spans": r["gold_person_spans"], "name_recall": round(r["name_recall"], 4),
                             "token_precision": round(r["token_precision"], 4), "missed": r["missed"],
                             "false_tokens": r["false_tokens"]} for lang, r in result["languages"].items()},
        "false_flags": result["false_flags"],
        "false_flag_rate": round(result["false_flag_rate"], 4),
    }


def _unseen(cv: dict) -> str:
    """The recall on names no other fold had (training/ner/unseen.py), where it was measured."""
    if "unseen_name_recall" not in cv:
        return ""
    return (f"; of the {cv['unseen_person_spans']} names no other fold had, fully covered "
            f"{cv['unseen_name_recall']:.3f}")


def report(metrics: dict) -> str:
    lines = []
    cv = metrics.get("cv")
    if cv:
        lines.append(f"Thresholds chosen by {cv['chosen_by']}")
        lines.append(f"  cross-validation (train): names fully covered {cv['cv']['name_recall']:.3f}, "
                     f"person-token precision {cv['cv']['token_precision']:.3f}{_unseen(cv['cv'])}; in lower case "
                     f"{cv['cv_lower_case']['name_recall']:.3f} / {cv['cv_lower_case']['token_precision']:.3f}")
    stage = metrics.get("stage")
    if stage:
        lines.append(f"Second stage ({stage['setting']}, threshold {stage['threshold']}) chosen by {stage['chosen_by']}")
        lines.append(f"  cross-validation (train), whole detector: names fully covered {stage['cv']['name_recall']:.3f}, "
                     f"person-token precision {stage['cv']['token_precision']:.3f}{_unseen(stage['cv'])} (rules alone "
                     f"{stage['cv_rules_alone']['name_recall']:.3f} / {stage['cv_rules_alone']['token_precision']:.3f}); "
                     f"in lower case {stage['cv_lower_case']['name_recall']:.3f} / "
                     f"{stage['cv_lower_case']['token_precision']:.3f}")
    dev = metrics.get("dev")
    if dev:
        lines.append(f"UNER dev ({dev['sentences']} sentences, {dev['gold_person_spans']} names): names fully covered "
                     f"{dev['name_recall']:.3f}, person-token precision {dev['token_precision']:.3f}"
                     + (f"; model alone {dev['model_only']['name_recall']:.3f} / {dev['model_only']['token_precision']:.3f}"
                        if dev.get("model_only") else ""))
    elif metrics.get("dev_skipped"):
        lines.append("UNER dev: left out (--no-dev)")
    else:
        lines.append("UNER dev: ../shared/data/uner-da not found, skipped")
    for name, hard in metrics["hard"].items():
        lines.append(f"Hard sentences, {name}:")
        for lang, r in hard["languages"].items():
            lines.append(f"  {lang}: {r['gold_person_spans']} names, fully covered {r['name_recall']:.3f}, "
                         f"person-token precision {r['token_precision']:.3f}; missed {r['missed']}")
        flags = ", ".join(f"{k} {v['flagged']}/{v['words']}" for k, v in hard["false_flags"].items())
        lines.append(f"  false flags by kind: {flags} (all: {hard['false_flag_rate']:.3f})")
        examples = sorted({w for v in hard["false_flags"].values() for w in v["examples"]})
        lines.append(f"  flagged: {', '.join(examples) or '-'}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=uner_dir() or REPO.parent / "shared" / "data" / "uner-da")
    ap.add_argument("--write", action="store_true", help="write models/ner_da/metrics.json")
    ap.add_argument("--no-dev", action="store_true",
                    help="leave out the UNER dev split (it is measured once, at the end of a round)")
    ap.add_argument("--sets", nargs="+", choices=HARD_SETS, default=list(HARD_SETS), metavar="SET",
                    help=f"the hard sentence sets to measure (default: all of {', '.join(HARD_SETS)})")
    args = ap.parse_args()
    if args.write and (args.no_dev or len(args.sets) < len(HARD_SETS)):
        ap.error("--write needs every figure: leave out --no-dev and --sets")
    metrics: dict = {"model_size_mb": round(dir_size_mb(privacy.MODEL_DIR), 2)}
    th_path = privacy.MODEL_DIR / THRESHOLDS_FILE
    if th_path.is_file():
        metrics["cv"] = json.loads(th_path.read_text(encoding="utf-8"))
    stage_path = privacy.MODEL_DIR / STAGE_FILE
    if stage_path.is_file():
        stage = json.loads(stage_path.read_text(encoding="utf-8"))
        metrics["stage"] = {k: v for k, v in stage.items() if k not in ("trees", "features")}
    metrics["dev"] = None if args.no_dev else dev_figures(args.data)
    if args.no_dev:
        metrics["dev_skipped"] = True
    metrics["hard"] = {name: hard_figures(name) for name in args.sets}
    print(report(metrics))
    if args.write:
        out = privacy.MODEL_DIR / "metrics.json"
        out.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
