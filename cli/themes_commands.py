"""Command line for the themes area: `changestories reindex` and `changestories theme-report`."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.arguments import db_argument, open_db


def cmd_reindex(args: argparse.Namespace) -> int:
    from cli.progress import progress_line
    from stories.textindex.pipeline import reindex_all

    db = open_db(args)
    # In short transactions, one batch at a time: the app stays usable while it runs.
    n = reindex_all(db, progress=progress_line("reindex", "stories"))
    print(f"changestories: re-indexed {n} stories")
    return 0


def cmd_theme_report(args: argparse.Namespace) -> int:
    from coding.themes.groups import Selection
    from coding.themes.report import theme_report
    from stories.visibility import StoryFilter

    db = open_db(args)
    story_filter = StoryFilter(sites=args.site or (), date_from=args.date_from, date_to=args.date_to)
    data = theme_report(db, Selection(story_filter), purpose=args.purpose, lang=args.lang, title=args.title or "")
    Path(args.out).write_bytes(data)
    print(f"changestories: wrote {args.out}")
    return 0


def register(sub) -> None:
    reindex = sub.add_parser("reindex", help="run the NLP index again over every story (after a lexicon change)")
    db_argument(reindex)
    reindex.set_defaults(func=cmd_reindex)
    report = sub.add_parser("theme-report", help="write a theme report (DOCX) for a board or a funder")
    db_argument(report)
    report.add_argument("--out", required=True, help="the .docx file to write")
    report.add_argument("--purpose", required=True, choices=("internal", "evaluation", "publication"),
                        help="only stories whose consent covers this purpose")
    report.add_argument("--from", dest="date_from", help="first day (YYYY-MM-DD)")
    report.add_argument("--to", dest="date_to", help="last day (YYYY-MM-DD)")
    report.add_argument("--site", action="append", help="only this site (repeat for more)")
    report.add_argument("--lang", default="da", choices=("da", "en"))
    report.add_argument("--title", help="the report's title")
    report.set_defaults(func=cmd_theme_report)
