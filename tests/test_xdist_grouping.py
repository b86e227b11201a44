"""`make test` runs the suite on two pytest-xdist workers with `--dist loadgroup`, and relies on it:
the two Danish walks through every page (`xdist_group("danish_walks")`) must run on one worker, one
after the other, or their two servers and two browsers starve each other on CI's two cores.

pytest 9.2 silently broke that grouping (pytest-dev/pytest-xdist#1386: the worker's node-id suffix no
longer takes effect, and grouped tests are dealt out like any others); pyproject.toml keeps pytest
below 9.2 until a pytest-xdist release fixes it. This test notices if the grouping breaks again.
"""

from __future__ import annotations

import subprocess
import sys

GROUPED = '''
import os
import pytest

pytestmark = pytest.mark.xdist_group("walks")


@pytest.mark.parametrize("i", range(4))
def test_records_its_worker(i):
    with open("workers.txt", "a") as out:
        out.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
'''


def test_loadgroup_runs_a_group_on_one_worker(tmp_path):
    for name in ("test_first_walk.py", "test_second_walk.py"):
        (tmp_path / name).write_text(GROUPED)
    (tmp_path / "test_other.py").write_text("def test_other():\n    pass\n")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
                             "--dist", "loadgroup", "."], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    workers = (tmp_path / "workers.txt").read_text().split()
    assert len(workers) == 8
    assert len(set(workers)) == 1, f"the group was dealt out to {sorted(set(workers))}"
