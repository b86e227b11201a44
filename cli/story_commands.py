"""Subcommands for stories: demo, import, export."""

from __future__ import annotations

import argparse

from cli.arguments import cli_language, db_argument, import_limits, open_db
from cli.progress import progress_line
from stories.i18n import t


def cmd_demo(args: argparse.Namespace) -> int:
    from changestories.demo import load_demo

    report = load_demo(open_db(args))
    print(f"demo: {report.stories_added} fictional demo stories added")
    for name, result in report.extras.items():
        print(f"demo: {name}: {result}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from stories.importer import ImportFailed, import_file

    purposes = tuple(p.strip() for p in args.consent.split(",") if p.strip())
    if str(args.file).lower().endswith(".qdpx"):  # a REFI-QDA project: coding area
        from cli.coding_commands import cmd_import_qdpx

        return cmd_import_qdpx(args, purposes)
    db = open_db(args)
    progress = None if args.dry_run else progress_line("import", "stories written")
    try:
        report = import_file(db, args.file, dry_run=args.dry_run, consent=purposes, limits=import_limits(args),
                             progress=progress)
    except ImportFailed as exc:
        for error in exc.report.errors:
            print(f"line {error.line}: {error.field}: {t(error.key, cli_language(), **error.params)}")
        raise
    verb = "would add" if report.dry_run else "added"
    print(f"import: {report.rows} rows read, {verb} {report.added}, {report.duplicates} already there")
    if report.extra_columns:
        print(f"import: kept as extra attributes: {', '.join(report.extra_columns)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from stories.exporter import export_stories
    from stories.visibility import StoryFilter

    if args.format in ("qdpx", "codings-csv", "codings-xlsx"):  # coding area
        from cli.coding_commands import cmd_export_coding

        return cmd_export_coding(args)
    count = export_stories(open_db(args), args.out, args.format, story_filter=StoryFilter(purpose=args.purpose))
    print(f"export: {count} stories written to {args.out}")
    return 0


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return number


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="load fictional demo stories")
    db_argument(demo)
    demo.set_defaults(func=cmd_demo)

    imp = sub.add_parser("import", help="import stories from a CSV, XLSX or REFI-QDA .qdpx file (all or nothing)")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check the file and report, store nothing")
    imp.add_argument("--consent", default="internal",
                     help="consent purposes for rows without consent columns (default: internal)")
    imp.add_argument("--max-rows", type=positive_int, metavar="N",
                     help="refuse a file with more than N stories (default: 50000, see README)")
    db_argument(imp)
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="export stories")
    exp.add_argument("--format", required=True, choices=("csv", "xlsx", "json", "qdpx", "codings-csv", "codings-xlsx"))
    exp.add_argument("--out", required=True)
    exp.add_argument("--purpose", choices=("internal", "evaluation", "publication"),
                     help="only stories whose consent covers this purpose")
    db_argument(exp)
    exp.set_defaults(func=cmd_export)
