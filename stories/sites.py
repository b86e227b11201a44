"""The organisation's sites (houses): managed by admins, linked to users.

Stories name their site as free text; the list of sites is what admins declared plus any
site a story names.
"""

from __future__ import annotations

from sqlite_utils import Database

from stories.trust import audit
from stories.errors import UserError
from stories.i18n import t
from stories.trust.permissions import SYSTEM, Actor, can_manage_sites, require
from stories.validation import CONTROL_RE, MAX_SHORT


class SiteInvalid(UserError, ValueError):
    """A site name is empty, too long or holds control characters."""

    def __init__(self):
        self.key, self.params = "trust.error.site_name", {"max": MAX_SHORT}
        super().__init__(t(self.key, "en", **self.params))


def validate_site(site: str) -> str:
    site = (site or "").strip()
    if not site or len(site) > MAX_SHORT or CONTROL_RE.search(site):
        raise SiteInvalid()
    return site


def list_sites(db: Database) -> list[str]:
    """The organisation's sites, and any other site named on a story, sorted."""
    rows = db.execute(
        "SELECT name FROM sites UNION SELECT DISTINCT site FROM stories WHERE site != '' ORDER BY 1 COLLATE NOCASE"
    ).fetchall()
    return [r[0] for r in rows]


def add_site(db: Database, name: str, *, actor: Actor = SYSTEM) -> str:
    from stories.db import write_transaction
    from stories.clock import now_iso

    require(can_manage_sites(actor), "manage_sites")
    name = validate_site(name)
    with write_transaction(db):
        db.conn.execute("INSERT OR IGNORE INTO sites(name, created_at) VALUES (?, ?)", [name, now_iso()])
        audit.log(db, actor, "site_add", name)
    return name


def remove_site(db: Database, name: str, *, actor: Actor = SYSTEM) -> None:
    """Forget a site in the list (stories keep the site they name)."""
    from stories.db import write_transaction

    require(can_manage_sites(actor), "manage_sites")
    with write_transaction(db):
        db.conn.execute("DELETE FROM sites WHERE name = ?", [name])
        audit.log(db, actor, "site_remove", name)
