"""What every command group shares: the --db argument and the command line's language."""

from __future__ import annotations

import argparse
import os


def db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: $CHANGESTORIES_DB or data/changestories.db)")


def cli_language() -> str:
    """The command line's language: Danish when the user's locale is Danish (LANGUAGE,
    LC_ALL, LC_MESSAGES or LANG, as gettext reads them), else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "da" if value.lower().startswith("da") else "en"
    return "en"
