"""Train the Danish person-name NER model and install it in models/ner_da/.

Steps: name lexicon from the TRAIN split; ``fit.py`` augments the train split (name
swaps from the shipped name list, lower-cased copies), keeps 10 % of it out for choosing
the best checkpoint and runs ``spacy train`` with config.cfg (output/); model-best and the
lexicon are copied to models/ner_da/. The dev split is not used for training or for
choosing anything: thresholds come from cross-validation on train (cv.py, tune.py) and
dev is measured once at the end (evaluate.py, `make privacy-eval`).

    .venv/bin/python training/ner/train.py [--data DIR] [spaCy overrides...]

Extra arguments are passed to ``spacy train`` (e.g. ``--training.max_steps 2000``).
Takes about 10 minutes on 2 idle CPU cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from fit import fit  # noqa: E402
from lexicon import build_lexicon, write_lexicon  # noqa: E402

from stories.privacy.evaluation import read_iob2, uner_dir  # noqa: E402

DEFAULT_DATA = uner_dir() or REPO.parent / "shared" / "data" / "uner-da"
MODEL_DIR = REPO / "models" / "ner_da"
KEEP_IN_MODEL_DIR = {"README.md", "thresholds.json", "metrics.json"}


def describe_model(meta_path: Path) -> None:
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update({
        "name": "ner_da",
        "description": "Danish NER (PER/LOC/ORG) for finding people's names in change stories",
        "license": "CC BY-SA 4.0",
        "sources": [{"name": "Universal NER, UNER_Danish-DDT (train split)",
                     "author": "Mayhew et al., NAACL 2024; Plank et al., COLING 2020 (DaN+)",
                     "license": "CC BY-SA 4.0"}],
    })
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with da_ddt-ud-{train,dev}.iob2")
    args, overrides = ap.parse_known_args()

    output = HERE / "output" / "final"
    train_iob = args.data / "da_ddt-ud-train.iob2"
    if not train_iob.is_file():
        sys.exit(f"missing {train_iob}")

    t0 = time.time()
    write_lexicon(build_lexicon(train_iob), output / "name_lexicon.json")
    shutil.rmtree(output / "model", ignore_errors=True)
    best = fit(read_iob2(train_iob), output, overrides)
    minutes = (time.time() - t0) / 60

    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    for item in MODEL_DIR.iterdir():
        if item.name not in KEEP_IN_MODEL_DIR:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    shutil.copytree(best, MODEL_DIR, dirs_exist_ok=True)
    shutil.copy2(output / "name_lexicon.json", MODEL_DIR / "name_lexicon.json")
    describe_model(MODEL_DIR / "meta.json")
    (output / "train_minutes.txt").write_text(f"{minutes:.1f}\n")
    print(f"installed model in {MODEL_DIR} after {minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
