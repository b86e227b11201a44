"""Subcommands of the coding area: `codebook export|import FILE.qdc|presets`, and the .qdpx and
codings formats of `import` and `export` (dispatched from cli.story_commands)."""

from __future__ import annotations

import argparse

from cli.arguments import db_argument, import_limits, open_db


def cmd_import_qdpx(args: argparse.Namespace, consent: tuple[str, ...]) -> int:
    from coding.refi.qdpx_import import import_qdpx

    summary = import_qdpx(open_db(args), args.file, consent=consent, dry_run=args.dry_run,
                          limits=import_limits(args))
    verb = "would add" if args.dry_run else "added"
    print(f"import: {verb} {summary.stories} stories, {summary.codings} codings, {summary.codes} codes, "
          f"{summary.notes} memos, answers of {summary.answers} stories; {summary.duplicates} stories already there")
    for item in summary.skipped:
        print(f"import: skipped: {item}")
    return 0


def cmd_export_coding(args: argparse.Namespace) -> int:
    from stories.visibility import StoryFilter

    db = open_db(args)
    story_filter = StoryFilter(purpose=args.purpose)
    if args.format == "qdpx":
        from coding.refi.qdpx_export import export_qdpx

        s = export_qdpx(db, args.out, story_filter=story_filter)
        print(f"export: {s.stories} stories, {s.codes} codes, {s.codings} codings and {s.notes} memos "
              f"written to {args.out}")
        if s.skipped_codings:
            print(f"export: {s.skipped_codings} codings of codes outside the active codebook left out")
        return 0
    from coding.coding_export import export_codings

    count = export_codings(db, args.out, args.format, story_filter=story_filter)
    print(f"export: {count} codings written to {args.out}")
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    from coding.codebook.codes import active_codebook, create_codebook, list_codebooks
    from coding.codebook.presets import list_presets

    if args.action == "presets":
        for key, name, _ in list_presets(args.lang):
            print(f"{key}\t{name}")
        return 0
    db = open_db(args)
    if args.action == "new":
        codebook_id = create_codebook(db, args.name or "", args.preset, lang=args.lang)
        print(f"codebook: created codebook {codebook_id} from preset {args.preset} (now active)")
        return 0
    if args.action == "list":
        active = active_codebook(db)
        for codebook in list_codebooks(db):
            mark = "*" if codebook.id == active else " "
            print(f"{mark} {codebook.id}\t{codebook.name}\t{codebook.preset}")
        return 0
    if not args.file:
        raise ValueError(f"codebook {args.action} needs a FILE.qdc")
    if args.action == "export":
        from coding.refi.qdc import export_qdc

        codebook_id = args.codebook or active_codebook(db)
        if codebook_id is None:
            raise ValueError("there is no codebook to export yet")
        count = export_qdc(db, codebook_id, args.file, lang=args.lang)
        print(f"codebook: {count} codes written to {args.file}")
        return 0
    from coding.refi.qdc import import_qdc

    codebook_id = import_qdc(db, args.file, name=args.name, lang=args.lang)
    print(f"codebook: imported {args.file} as codebook {codebook_id} (now active)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from coding.codebook.presets import PRESETS

    codebook = sub.add_parser("codebook", help="codebooks: export or import REFI-QDA .qdc, start from a preset")
    codebook.add_argument("action", choices=("export", "import", "new", "list", "presets"))
    codebook.add_argument("file", nargs="?", help="the .qdc file (export, import)")
    codebook.add_argument("--codebook", type=int, help="codebook id to export (default: the active one)")
    codebook.add_argument("--preset", choices=PRESETS, default="kbh_plus", help="preset for `new`")
    codebook.add_argument("--name", help="name of the new or imported codebook")
    codebook.add_argument("--lang", choices=("da", "en"), default="da",
                          help="language of code names in the file (default: da)")
    db_argument(codebook)
    codebook.set_defaults(func=cmd_codebook)
