"""Train the Danish person-name NER model and install it in models/ner_da/.

Steps: IOB2 -> DocBin (corpus/), name lexicon from the TRAIN split only,
``spacy train`` with config.cfg (output/), copy model-best + lexicon to
models/ner_da/, then evaluate on dev (evaluate.py writes metrics.json).

    .venv/bin/python training/ner/train.py [--data DIR] [--skip-eval] [spaCy overrides...]

Extra arguments are passed to ``spacy train`` (e.g. ``--training.max_steps 2000``).
Takes about 5-10 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from convert import convert  # noqa: E402
from lexicon import build_lexicon, write_lexicon  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "uner-da"
MODEL_DIR = REPO / "models" / "ner_da"
KEEP_IN_MODEL_DIR = {"README.md"}


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
    ap.add_argument("--skip-eval", action="store_true", help="do not run evaluate.py afterwards")
    args, overrides = ap.parse_known_args()

    corpus, output = HERE / "corpus", HERE / "output"
    train_iob, dev_iob = args.data / "da_ddt-ud-train.iob2", args.data / "da_ddt-ud-dev.iob2"
    for path in (train_iob, dev_iob):
        if not path.is_file():
            sys.exit(f"missing {path}")

    t0 = time.time()
    print("train", convert(train_iob, corpus / "train.spacy"))
    print("dev", convert(dev_iob, corpus / "dev.spacy"))
    write_lexicon(build_lexicon(train_iob), output / "name_lexicon.json")

    run = output / "model"
    shutil.rmtree(run, ignore_errors=True)
    # relative paths, run from this folder: they are recorded in the model's config.cfg
    cmd = [sys.executable, "-m", "spacy", "train", "config.cfg", "--output", "output/model",
           "--paths.train", "corpus/train.spacy", "--paths.dev", "corpus/dev.spacy", *overrides]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=HERE)
    minutes = (time.time() - t0) / 60

    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    for item in MODEL_DIR.iterdir():
        if item.name not in KEEP_IN_MODEL_DIR:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    shutil.copytree(run / "model-best", MODEL_DIR, dirs_exist_ok=True)
    shutil.copy2(output / "name_lexicon.json", MODEL_DIR / "name_lexicon.json")
    describe_model(MODEL_DIR / "meta.json")
    (output / "train_minutes.txt").write_text(f"{minutes:.1f}\n")
    print(f"installed model in {MODEL_DIR} after {minutes:.1f} min", flush=True)

    if not args.skip_eval:
        subprocess.run([sys.executable, str(HERE / "evaluate.py"), "--data", str(args.data),
                        "--train-minutes", f"{minutes:.1f}"], check=True)


if __name__ == "__main__":
    main()
