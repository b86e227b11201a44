"""Demo data of the Most Significant Change cycle (fictional): the demo stories' domains."""

from __future__ import annotations

from sqlite_utils import Database


def load_demo_msc(db: Database) -> str:
    """Demo stories take the mechanism their teller chose as their domain (when the install has it)."""
    from stories.db import write_transaction

    with write_transaction(db):
        cursor = db.conn.execute("UPDATE stories SET domain = teller_mechanism WHERE is_demo = 1 AND domain IS NULL"
                                 " AND teller_mechanism IN (SELECT key FROM msc_domains)")
    return f"{cursor.rowcount} demo stories given a domain"
