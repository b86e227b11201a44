"""The `changestories` command line: `serve`, and each command group's subcommands.

Errors exit non-zero with a one-line message, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from cli import (camp_commands, coding_commands, msc_commands, search_commands, story_commands, themes_commands,
                 trust_commands)
from cli.arguments import cli_language, db_argument
from stories.errors import UserError

ROOT = Path(__file__).resolve().parent.parent

# Modules with a `register(subparsers)` function adding their subcommands, in help order.
COMMAND_MODULES = [story_commands, search_commands, trust_commands, coding_commands, themes_commands,
                   camp_commands, msc_commands]


def cmd_serve(args: argparse.Namespace) -> int:
    from changestories.database import connect
    from stories.db import resolve_db_path
    from stories.environment import check_environment
    from stories.trust.erasure import make_final

    check_environment()  # an unusable setting stops here, in one line, before the server starts
    path = resolve_db_path(args.db).resolve()
    if path.is_dir():
        raise ValueError(f"the database {path} is a folder, not a file")
    from stories.storage import purge_deleted

    db = connect(path)  # create and migrate before the first page loads
    purged = purge_deleted(db)  # the bin keeps deleted stories for 30 days, no longer
    make_final(db, vacuum=False, wait_seconds=0)  # an erasure another reader held up leaves the file now
    db.conn.close()
    if purged:
        print(f"changestories: erased {purged} stories deleted more than 30 days ago", flush=True)
    env = dict(os.environ, CHANGESTORIES_DB=str(path))
    address = args.address
    if args.lan:
        from stories.camps.address import LAN_ENV, lan_url

        address = "0.0.0.0"  # every network interface: phones on the same Wi-Fi or hotspot
        phones = lan_url(args.port)
        if phones:
            env[LAN_ENV] = phones
            print(f"changestories: phones on this network open {phones}", flush=True)
        else:
            print("changestories: no network found yet; join the Wi-Fi or start the hotspot, then restart,"
                  " or type the address on the camp page", flush=True)
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
        "--server.port", str(args.port), "--server.address", address,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]
    print(f"changestories: serving http://{address}:{args.port} with {path}", flush=True)
    os.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from here
    os.execvpe(command[0], command, env)  # become the server: signals reach Streamlit itself


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="changestories", description="Collect, code and understand change stories.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="start the app")
    db_argument(serve)
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", default="localhost", help="the address to listen on (default: this machine only)")
    serve.add_argument("--lan", action="store_true",
                       help="for a camp: listen on the local network and give camp links this machine's network address")
    serve.set_defaults(func=cmd_serve)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except (UserError, ValueError, OSError, sqlite3.DatabaseError) as exc:
        from stories.i18n import error_message

        print(f"changestories: error: {error_message(exc, cli_language())}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
