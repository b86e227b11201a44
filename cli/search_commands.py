"""`changestories search "QUERY" [--limit N] [--json]`: the browse page's search on the command line.

The same query as the page: full-text match ranked by bm25, withdrawn and deleted stories
left out; `--site` searches as staff of those sites would, `--purpose` keeps only stories
whose consent covers that purpose.
"""

from __future__ import annotations

import argparse
import json

from cli.arguments import db_argument, open_db

PREVIEW = 80


def cmd_search(args: argparse.Namespace) -> int:
    from cli.trust_commands import cli_actor
    from stories.storage import stories_by_seq
    from stories.visibility import StoryFilter
    from stories.search import ranked_seqs
    from stories.trust.permissions import Actor

    if args.limit < 0:
        raise ValueError("--limit must be 0 or more")
    actor = Actor(cli_actor().name, "staff", frozenset(args.site)) if args.site else cli_actor()
    db = open_db(args)
    try:
        seqs = ranked_seqs(db, StoryFilter(search=args.query, purpose=args.purpose), actor=actor)
        shown = list(zip(seqs, stories_by_seq(db, seqs[: args.limit])))
    finally:
        db.conn.close()
    if args.json:
        print(json.dumps({"query": args.query, "count": len(seqs), "stories": [
            {"seq": seq, "id": s.id, "title": s.title, "happened_on": s.happened_on, "site": s.site,
             "teller_role": s.teller_role, "text": s.text} for seq, s in shown]}, ensure_ascii=False, indent=2))
        return 0
    print(f"search: {len(seqs)} stories match {args.query!r}")
    for seq, story in shown:
        text = " ".join(story.text.split())
        preview = text[:PREVIEW] + ("…" if len(text) > PREVIEW else "")
        when = story.happened_on or (story.created_at or "")[:10]
        print(f"#{seq}\t{when}\t{story.site}\t{story.title}\t{preview}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    search = sub.add_parser("search", help="search stories as the browse page does (best match first)")
    search.add_argument("query", help="words to find (every word must occur; word beginnings match)")
    search.add_argument("--limit", type=int, default=20, help="stories to print (default 20)")
    search.add_argument("--json", action="store_true", help="print JSON: the count and the stories shown")
    search.add_argument("--site", action="append", default=[], help="search as staff of this site (repeat for more)")
    search.add_argument("--purpose", choices=("internal", "evaluation", "publication"),
                        help="only stories whose consent covers this purpose")
    db_argument(search)
    search.set_defaults(func=cmd_search)
