"""Subcommands for trust: users, erase, access, backup, restore, pii.

The command line is run by the machine's owner: it acts as a trusted system actor, named
after the operating-system user in the audit log.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from cli.arguments import db_argument, open_db
from stories.trust.permissions import Actor


def cli_actor() -> Actor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(f"cli:{who}", "system")


def read_password(args: argparse.Namespace) -> str:
    """From standard input with --password-stdin, else asked twice at the terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    from stories.trust.accounts import add_user

    user = add_user(open_db(args), args.name, args.role, read_password(args), sites=args.site or (),
                    actor=cli_actor())
    sites = ", ".join(user.sites) or "all sites"
    print(f"users: added {user.name} as {user.role} ({sites})")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from stories.trust.accounts import list_users

    for user in list_users(open_db(args), actor=cli_actor()):
        state = " (disabled)" if user.disabled else ""
        print(f"{user.name}\t{user.role}\t{', '.join(user.sites) or '*'}{state}")
    return 0


def cmd_users_set_role(args: argparse.Namespace) -> int:
    from stories.trust.accounts import set_role

    user = set_role(open_db(args), args.name, args.role, actor=cli_actor())
    print(f"users: {user.name} is now {user.role}")
    return 0


def cmd_users_set_password(args: argparse.Namespace) -> int:
    from stories.trust.accounts import set_password

    set_password(open_db(args), args.name, read_password(args), actor=cli_actor())
    print(f"users: password of {args.name} changed")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    from stories.trust.accounts import set_disabled

    user = set_disabled(open_db(args), args.name, not args.enable, actor=cli_actor())
    print(f"users: {user.name} {'disabled' if user.disabled else 'enabled'}")
    return 0


def _confirm(question: str, args: argparse.Namespace) -> bool:
    if args.yes or not sys.stdin.isatty():
        return True
    return input(question + " [y/N] ").strip().lower() in ("y", "yes", "j", "ja")


def cmd_erase(args: argparse.Namespace) -> int:
    from stories.trust.erasure import erase_story, erase_teller, find_story_ref, make_final, teller_story_count

    db = open_db(args)
    if args.story:
        story_id = find_story_ref(db, args.story)
        if not _confirm(f"Erase story {story_id} and everything on it?", args):
            print("erase: nothing erased")
            return 1
        count = erase_story(db, story_id, actor=cli_actor())
    else:
        count = teller_story_count(db, args.teller, actor=cli_actor())
        if not _confirm(f"Erase {count} stories about {args.teller} and everything on them?", args):
            print("erase: nothing erased")
            return 1
        count = erase_teller(db, args.teller, actor=cli_actor())
    print(f"erase: {count} stories erased with their codings, sentences, words, camp data and memos")
    if count and not make_final(db, vacuum=False, wait_seconds=0):
        print("erase: another connection is still reading; the erased text leaves the file when it stops"
              " (at the latest when the app starts again)", file=sys.stderr)
    return 0


def cmd_access(args: argparse.Namespace) -> int:
    from stories.trust.erasure import write_teller_report

    count = write_teller_report(open_db(args), args.teller, args.out, actor=cli_actor())
    print(f"access: {count} stories and everything on them written to {args.out}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from changestories.backup import backup

    path = backup(open_db(args), args.file, actor=cli_actor())
    print(f"backup: written to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from changestories.backup import check_backup, restore

    check_backup(args.file)  # before the target is even opened
    summary = restore(open_db(args), args.file, actor=cli_actor())
    print(f"restore: database replaced by {args.file} ({summary.stories} stories)")
    if summary.kept_copy:
        print(f"restore: the database as it was before is kept in {summary.kept_copy}")
    if summary.erased_again:
        print(f"restore: {summary.erased_again} stories erased after the backup was taken were erased again")
    return 0


def cmd_pii(args: argparse.Namespace) -> int:
    from stories.privacy.detection import find_personal_data, findings_to_json

    print(findings_to_json(find_personal_data(sys.stdin.read())))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="manage user accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    roles = ("admin", "facilitator", "staff", "evaluator")

    add = users_sub.add_parser("add", help="add a user (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=roles)
    add.add_argument("--site", action="append", help="a site the user works at (repeat; none: every site)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    db_argument(add)
    add.set_defaults(func=cmd_users_add)

    listing = users_sub.add_parser("list", help="list users")
    db_argument(listing)
    listing.set_defaults(func=cmd_users_list)

    set_role = users_sub.add_parser("set-role", help="change a user's role")
    set_role.add_argument("name")
    set_role.add_argument("role", choices=roles)
    db_argument(set_role)
    set_role.set_defaults(func=cmd_users_set_role)

    password = users_sub.add_parser("set-password", help="set a user's password")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    db_argument(password)
    password.set_defaults(func=cmd_users_set_password)

    disable = users_sub.add_parser("disable", help="stop a user from signing in (or --enable again)")
    disable.add_argument("name")
    disable.add_argument("--enable", action="store_true")
    db_argument(disable)
    disable.set_defaults(func=cmd_users_disable)

    erase = sub.add_parser("erase", help="erase everything held about a teller or one story (GDPR art. 17)")
    which = erase.add_mutually_exclusive_group(required=True)
    which.add_argument("--teller", help="the teller's pseudonym: all their stories")
    which.add_argument("--story", help="one story's id (or its first 8 characters)")
    erase.add_argument("--yes", action="store_true", help="do not ask at a terminal for confirmation")
    db_argument(erase)
    erase.set_defaults(func=cmd_erase)

    access = sub.add_parser("access", help="export everything held about a teller (GDPR art. 15)")
    access.add_argument("--teller", required=True, help="the teller's pseudonym")
    access.add_argument("--out", required=True, help="JSON file to write")
    db_argument(access)
    access.set_defaults(func=cmd_access)

    backup = sub.add_parser("backup", help="copy the database to FILE (safe while the app runs)")
    backup.add_argument("file", nargs="?", help="default: backups/<name>-<time>.db beside the database")
    db_argument(backup)
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database by a backup FILE (checked first)")
    restore.add_argument("file")
    db_argument(restore)
    restore.set_defaults(func=cmd_restore)

    pii = sub.add_parser("pii", help="find personal data in text on standard input; prints JSON")
    pii.set_defaults(func=cmd_pii)
