"""`make privacy-eval` (training/ner/evaluate.py): the dev split can be left out while working,
and every hard set, the newest too, is measured."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from stories.privacy.evaluation import HARD_DIR, REPO, read_hard

SCRIPT = REPO / "training" / "ner" / "evaluate.py"


def _evaluate():
    spec = importlib.util.spec_from_file_location("privacy_evaluate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_hard_set_is_measured_and_readable():
    module = _evaluate()
    on_disk = {p.stem for p in HARD_DIR.glob("*.txt")}
    assert set(module.HARD_SETS) == on_disk and "heldout18" in module.HARD_SETS
    assert all(read_hard(HARD_DIR / f"{name}.txt") for name in module.HARD_SETS)


def test_the_report_says_when_dev_was_left_out():
    module = _evaluate()
    text = module.report({"dev": None, "dev_skipped": True, "hard": {}})
    assert "UNER dev: left out (--no-dev)" in text


def test_write_needs_every_figure():
    done = subprocess.run([sys.executable, str(SCRIPT), "--no-dev", "--write"], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert done.returncode == 2 and "--write needs every figure" in done.stderr
