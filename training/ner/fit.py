"""One training run: augment the training sentences, hold a share out for choosing the
best checkpoint, and run ``spacy train`` with config.cfg. Used by train.py (the shipped
model) and cv.py (the cross-validation folds); the dev split is never used here.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from augment import augment  # noqa: E402
from convert import to_docbin  # noqa: E402

VALIDATION_SHARE = 0.1  # of the training sentences, for model-best (not augmented)


def split_validation(sentences: list, seed: int = 0) -> tuple[list, list]:
    rng = random.Random(seed)
    order = list(range(len(sentences)))
    rng.shuffle(order)
    n_val = int(len(sentences) * VALIDATION_SHARE)
    val = set(order[:n_val])
    return [s for i, s in enumerate(sentences) if i not in val], [s for i, s in enumerate(sentences) if i in val]


def fit(sentences: list, out: Path, overrides: list[str] = (), seed: int = 0) -> Path:
    """Train on ``sentences`` (augmented); returns the model-best folder."""
    train, val = split_validation(sentences, seed)
    out.mkdir(parents=True, exist_ok=True)
    print("train", to_docbin(augment(train, seed=seed), out / "train.spacy"), flush=True)
    print("validation", to_docbin(val, out / "val.spacy"), flush=True)
    rel = os.path.relpath(out, HERE)  # relative paths, run from this folder: the model's config.cfg records them
    cmd = [sys.executable, "-m", "spacy", "train", "config.cfg", "--output", f"{rel}/model",
           "--paths.train", f"{rel}/train.spacy", "--paths.dev", f"{rel}/val.spacy", *overrides]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=HERE)
    return out / "model" / "model-best"
