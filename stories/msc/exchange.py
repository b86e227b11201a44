"""A story's place in the Most Significant Change cycle, as exports carry it.

JSON gets per story `period`, `selections` (one entry for every round it was read in: process,
level, panel, chosen or not, votes or score, reasons), `highest_level` and `verification`
(status, by, when, how, note); CSV and XLSX get the same as columns (`selections` as JSON text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from stories.msc.history import highest_level, highest_level_name, readings
from stories.msc.periods import story_periods
from stories.msc.verification import status, verifications

FLAT_COLUMNS = ("period", "highest_level", "selections", "verification_status", "verification_by",
                "verification_on", "verification_how", "verification_note")


def export_fields(db: Database, story_ids: Sequence[str], *, pseudonymise: bool = False) -> dict[str, dict]:
    """story id -> the cycle's fields for a JSON export (`pseudonymise`: reasons with personal data replaced)."""
    from stories.msc.reading import hide_names

    periods = story_periods(db, story_ids)
    seq_of = dict(db.execute("SELECT id, seq FROM stories WHERE id IN (SELECT value FROM json_each(?))",
                             [json.dumps(list(story_ids))]).fetchall())
    seqs = list(seq_of.values())
    read = readings(db, seqs) if db.execute("SELECT 1 FROM msc_rounds LIMIT 1").fetchone() else {}
    checked = verifications(db, seqs)
    out = {}
    for sid in story_ids:
        seq = seq_of.get(sid)
        entries = read.get(seq, [])
        selections = [e.as_dict() for e in entries]
        if pseudonymise:
            for entry in selections:
                entry["reasons"] = hide_names(entry["reasons"]) if entry["reasons"] else None
                entry["discussion"] = hide_names(entry["discussion"]) if entry["discussion"] else None
        found = checked.get(seq)
        state = status(any(e.chosen for e in entries), found)
        verification = {"status": state, "by": found.checked_by if found else None,
                        "on": found.checked_on if found else None, "how": found.method if found else None,
                        "note": (hide_names(found.note) if pseudonymise else found.note) if found else None}
        out[sid] = {"period": periods.get(sid), "selections": selections, "highest_level": highest_level(entries),
                    "highest_level_name": highest_level_name(entries), "verification": verification}
    return out


def flat_fields(fields: dict) -> dict:
    """The same fields as CSV/XLSX cells."""
    verification = fields.get("verification") or {}
    return {
        "period": fields.get("period") or "",
        "highest_level": fields.get("highest_level_name") or "",
        "selections": json.dumps(fields["selections"], ensure_ascii=False) if fields.get("selections") else "",
        "verification_status": verification.get("status") or "",
        "verification_by": verification.get("by") or "",
        "verification_on": verification.get("on") or "",
        "verification_how": verification.get("how") or "",
        "verification_note": verification.get("note") or "",
    }


def reasons_note(fields: dict) -> str | None:
    """The panels' reasons for choosing a story, as one plain-text note (None: nobody chose it)."""
    lines = [f"{e['level_name']} – {e['panel']} ({e['process']}): {e['reasons']}"
             for e in fields.get("selections") or () if e["chosen"] and e["reasons"]]
    if not lines:
        return None
    status = (fields.get("verification") or {}).get("status")
    head = "Most Significant Change" + (f" ({status})" if status else "")
    return "\n".join([head, *lines])
