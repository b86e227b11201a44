"""Subcommands of the Most Significant Change cycle: domains of change, reporting periods, meta-monitoring."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.arguments import db_argument, open_db


def cmd_domains(args: argparse.Namespace) -> int:
    from stories.msc import domains as d

    db = open_db(args)
    if args.action == "add":
        domain = d.add_domain(db, args.name_da, args.name_en, args.description_da, args.description_en)
        print(f"domains: added {domain.key}")
    elif args.action == "delete":
        d.delete_domain(db, args.key)
        print(f"domains: deleted {args.key}")
    elif args.action == "preset":
        d.apply_preset(db, args.key)
        print(f"domains: preset {args.key} applied")
    elif args.action == "negative":
        d.set_negative_domain(db, args.key != "off")
        print(f"domains: negative change {'off' if args.key == 'off' else 'on'}")
    usage = d.domain_usage(db)
    for domain in d.list_domains(db):
        print(f"{domain.key}\t{domain.kind}\t{usage.get(domain.key, 0)} stories\t{domain.name_da} / {domain.name_en}")
    return 0


def cmd_periods(args: argparse.Namespace) -> int:
    from stories.msc import periods as p

    db = open_db(args)
    if args.action == "add":
        period = p.add_period(db, args.name, args.starts_on, args.ends_on)
        print(f"periods: added {period.name}")
    elif args.action == "delete":
        p.delete_period(db, p.find_period(db, args.name).id)
        print(f"periods: deleted {args.name}")
    counts = p.period_counts(db)
    for period in p.list_periods(db):
        print(f"{period.name}\t{period.starts_on}\t{period.ends_on}\t{counts.get(period.id, 0)} stories")
    return 0


def _db_here(parser: argparse.ArgumentParser) -> None:
    """--db after the action too (without overwriting one given before it)."""
    parser.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def register(sub: argparse._SubParsersAction) -> None:
    domains = sub.add_parser("domains", help="list or change the domains of change (add, delete, preset, negative)")
    db_argument(domains)
    actions = domains.add_subparsers(dest="action")
    add = actions.add_parser("add", help="add a named domain")
    _db_here(add)
    add.add_argument("name_da")
    add.add_argument("name_en")
    add.add_argument("--description-da", default="")
    add.add_argument("--description-en", default="")
    for name, helptext in (("delete", "delete a domain no story uses (by key)"),
                           ("preset", "use a preset's domains: kbh_plus or msc_default"),
                           ("negative", "ask for negative changes: on or off")):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("key")
        _db_here(action)
    domains.set_defaults(func=cmd_domains)

    periods = sub.add_parser("periods", help="list, add or delete reporting periods")
    db_argument(periods)
    actions = periods.add_subparsers(dest="action")
    add = actions.add_parser("add", help="add a period: NAME FROM TO (dates YYYY-MM-DD)")
    for name in ("name", "starts_on", "ends_on"):
        add.add_argument(name)
    _db_here(add)
    delete = actions.add_parser("delete", help="delete a period no selection has started in")
    delete.add_argument("name")
    _db_here(delete)
    periods.set_defaults(func=cmd_periods)

    selections = sub.add_parser("selections", help="list selection processes, or with --process ID each round's"
                                                   " chosen stories and the panels' reasons")
    db_argument(selections)
    selections.add_argument("--process", type=int, metavar="ID", help="the process to show (ids from the list)")
    selections.add_argument("--json", action="store_true", help="print JSON")
    selections.set_defaults(func=cmd_selections)

    monitor = sub.add_parser("monitor", help="the cycle's figures: stories per period, site, domain and teller role,"
                                             " selection rate per level, feedback sent, stories awaiting selection")
    db_argument(monitor)
    monitor.add_argument("--json", action="store_true", help="every figure as JSON")
    monitor.add_argument("--csv", metavar="FILE", help="also write stories per period x site x domain x role as CSV")
    monitor.set_defaults(func=cmd_monitor)


def cmd_monitor(args: argparse.Namespace) -> int:
    import json

    from stories.msc.monitor import cells_csv, monitor

    figures = monitor(open_db(args))
    if args.csv:
        Path(args.csv).write_bytes(cells_csv(figures))
    if args.json:
        print(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"stories: {figures.stories}; told by young people: {figures.told_by_young_people}"
          f" ({_percent(figures.share_told_by_young_people)}); negative changes: {figures.negative}"
          f" ({_percent(figures.share_negative)}); without a domain: {figures.without_domain}")
    for period in figures.periods:
        print(f"period {period.period}: {period.stories} stories, {period.awaiting_selection} awaiting selection,"
              f" {period.without_domain} without a domain")
    for level in figures.levels:
        print(f"{level.process} · level {level.level} {level.level_name}: {level.chosen} of {level.read} chosen"
              f" ({_percent(level.rate)}), feedback sent {level.feedback_sent} times")
    return 0


def cmd_selections(args: argparse.Namespace) -> int:
    """Selection processes, or one process's rounds: each panel's chosen story with its reasons."""
    import json

    from cli.trust_commands import cli_actor
    from stories.msc.process import get_process, levels, list_processes
    from stories.msc.results import results
    from stories.msc.rounds import rounds

    db = open_db(args)
    try:
        if args.process is None:
            listed = [(p, rounds(db, p.id)) for p in list_processes(db)]
            if args.json:
                print(json.dumps([{"id": p.id, "kind": p.kind, "name": p.name, "method": p.method,
                                   "rounds": len(rs), "open_rounds": sum(r.is_open for r in rs)}
                                  for p, rs in listed], ensure_ascii=False, indent=2))
                return 0
            print(f"selections: {len(listed)} processes")
            for p, rs in listed:
                print(f"#{p.id}\t{p.kind}\t{p.method}\t{len(rs)} rounds, {sum(r.is_open for r in rs)} open\t{p.name}")
            return 0
        process = get_process(db, args.process)
        names = {level.level: level.name for level in levels(db, process)}
        found = results(db, process.id, actor=cli_actor())
    finally:
        db.conn.close()
    out = [{"level": r.round.level, "level_name": names.get(r.round.level, ""), "domain": r.round.domain,
            "open": r.round.is_open, "panels": [
                {"panel": pr.panel.name, "voters": max((n for _, _, n in pr.tally), default=0),
                 "chosen": None if pr.choice is None else {
                     "seq": pr.choice.story.seq, "id": pr.choice.story.id, "title": pr.choice.story.title,
                     "reasons": pr.choice.reasons, "discussion": pr.choice.discussion,
                     "recorded_at": pr.choice.recorded_at, "recorded_by": pr.choice.recorded_by}}
                for pr in r.panels]} for r in found]
    if args.json:
        print(json.dumps({"id": process.id, "name": process.name, "method": process.method, "rounds": out},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"selection #{process.id} {process.name}: {len(out)} rounds")
    for r in out:
        print(f"level {r['level']} {r['level_name']} · {r['domain']} · {'open' if r['open'] else 'closed'}")
        for panel in r["panels"]:
            chosen = panel["chosen"]
            if chosen is None:
                print(f"  {panel['panel']}: nothing chosen yet")
                continue
            reasons = " ".join(chosen["reasons"].split())
            print(f"  {panel['panel']}: chose #{chosen['seq']} {chosen['title']!r} because: {reasons}")
    return 0


def _percent(share) -> str:
    return "–" if share is None else f"{share:.0%}"
