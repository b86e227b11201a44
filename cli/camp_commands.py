"""Subcommands for story camps: list camps, write a camp's report or its feedback as DOCX."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.arguments import db_argument, open_db


def _camp(db, code: str):
    from stories.camps.camps import CampNotFound, normalise_code, select_camps

    camps = select_camps(db, "code = ?", [normalise_code(code)])
    if not camps:
        raise CampNotFound(f"no camp has the code {normalise_code(code)!r}")
    return camps[0]


def cmd_camps(args: argparse.Namespace) -> int:
    from stories.camps.camps import camp_stories, list_camps

    db = open_db(args)
    for camp in list_camps(db):
        state = "open" if camp.is_open() else "closed"
        print(f"{camp.code}\t{camp.held_on or '-'}\t{state}\t{len(camp_stories(db, camp.id))} stories\t{camp.name}")
    return 0


def cmd_camp_report(args: argparse.Namespace) -> int:
    from stories.camps.report import camp_report_docx, feedback_docx

    db = open_db(args)
    camp = _camp(db, args.code)
    make = feedback_docx if args.feedback else camp_report_docx
    Path(args.out).write_bytes(make(db, camp.id, args.lang))
    print(f"camp-report: {'feedback' if args.feedback else 'report'} of {camp.code} written to {args.out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    camps = sub.add_parser("camps", help="list story camps: code, date, open or closed, stories, name")
    db_argument(camps)
    camps.set_defaults(func=cmd_camps)

    report = sub.add_parser("camp-report", help="write a camp's report (stories, selection, signifiers) as DOCX")
    report.add_argument("code", help="the camp's join code")
    report.add_argument("--out", required=True, help="the .docx file to write")
    report.add_argument("--lang", choices=("da", "en"), default="da")
    report.add_argument("--feedback", action="store_true", help="write the tellers' feedback instead")
    db_argument(report)
    report.set_defaults(func=cmd_camp_report)
