"""What the command groups share: the --db argument and its database, the import limits, the language."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: $CHANGESTORIES_DB or data/changestories.db)")


def open_db(args: argparse.Namespace) -> Database:
    """The database --db names, opened and migrated (imported here: `--help` stays fast)."""
    from changestories.database import connect

    return connect(args.db)


def cli_language() -> str:
    """The command line's language: Danish when the user's locale is Danish (LANGUAGE,
    LC_ALL, LC_MESSAGES or LANG, as gettext reads them), else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "da" if value.lower().startswith("da") else "en"
    return "en"


def import_limits(args: argparse.Namespace):
    """The import limits, with the row limit the command line asks for."""
    from dataclasses import replace

    from stories.limits import DEFAULT_LIMITS

    return replace(DEFAULT_LIMITS, rows=args.max_rows) if args.max_rows else DEFAULT_LIMITS
