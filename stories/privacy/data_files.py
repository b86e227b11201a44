"""The word lists shipped in ``stories/privacy/data/`` as gzipped text: one entry per line, "#" comments."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path


def gz_lines(path: Path, log: logging.Logger, missing: str) -> frozenset[str]:
    """The file's lines without comments and blanks; empty, with ``missing`` logged as a warning, when
    the file is absent."""
    if not path.is_file():
        log.warning("%s is missing: %s", path, missing)
        return frozenset()
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))
