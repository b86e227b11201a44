"""Running a bench step in a fresh process (cold caches, its own peak memory), and the app under AppTest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_fresh(module: str, *args: str) -> dict:
    """`python -m MODULE ARGS...` in a new process; the JSON object on its last line of output."""
    output = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True)
    if output.returncode:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def bench_app(db_path: str | Path, timeout: float):
    """The whole app (app.py) under AppTest on `db_path`, signed in as an admin, after its first run."""
    os.environ["CHANGESTORIES_DB"] = str(db_path)
    os.environ["CHANGESTORIES_AUTH"] = "off"
    from streamlit.testing.v1 import AppTest

    from stories.trust.permissions import Actor

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.session_state["actor"] = Actor("bench", "admin")
    at.run()
    return at
