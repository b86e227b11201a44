"""Domains of change per install: what the stories are sorted by before the most significant are chosen.

An install has 3–5 named domains (Danish and English names, a description), the fixed
"any other change" domain and, if it wants, a "negative change" domain. The KBH+ mechanisms
and the Most Significant Change default domains are presets. `stories.domain` names a
domain by its key; a domain a story uses cannot be deleted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from stories.trust import audit
from stories.msc.errors import MscInvalid
from stories.trust.permissions import SYSTEM, Actor, can_manage_domains, require
from stories.validation import CONTROL_RE

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
OTHER, NEGATIVE = "any_other_change", "negative_change"
MIN_NAMED, MAX_NAMED = 3, 5
MAX_NAME, MAX_DESCRIPTION = 80, 500
NEGATIVE_NAMES = ("Negativ forandring", "Negative change",
                  "Forandringer til det værre eller utilsigtede, negative følger, også når de hænger sammen med"
                  " indsatsen.",
                  "Changes for the worse or unintended negative consequences, also when they are linked to the"
                  " programme.")


@dataclass(frozen=True)
class Domain:
    key: str
    kind: str  # named, other or negative
    name_da: str
    name_en: str
    description_da: str = ""
    description_en: str = ""
    position: int = 0

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" else self.name_da

    def description(self, lang: str = "da") -> str:
        return self.description_en if lang == "en" else self.description_da


@dataclass(frozen=True)
class Preset:
    key: str
    name_da: str
    name_en: str
    domains: tuple[Domain, ...]

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" else self.name_da


def presets() -> list[Preset]:
    """The shipped domain presets (KBH+ mechanisms, Most Significant Change defaults)."""
    out = []
    for path in sorted(PRESETS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        domains = tuple(Domain(d["key"], "named", d["name_da"], d["name_en"], d.get("description_da", ""),
                               d.get("description_en", ""), i) for i, d in enumerate(data["domains"], start=1))
        out.append(Preset(data["key"], data["name_da"], data["name_en"], domains))
    return out


def _now() -> str:
    from stories.clock import now_iso

    return now_iso()


_KIND_ORDER = "CASE kind WHEN 'named' THEN 0 WHEN 'negative' THEN 1 ELSE 2 END"


def list_domains(db: Database) -> list[Domain]:
    """The install's domains: the named ones in order, then "negative change", then "any other change"."""
    rows = db.execute("SELECT key, kind, name_da, name_en, description_da, description_en, position FROM msc_domains"
                      f" ORDER BY {_KIND_ORDER}, position, key").fetchall()
    return [Domain(*r) for r in rows]


def domain_keys(db: Database) -> list[str]:
    return [d.key for d in list_domains(db)]


def get_domain(db: Database, key: str) -> Domain:
    found = [d for d in list_domains(db) if d.key == key]
    if not found:
        raise MscInvalid("msc.error.no_domain", value=str(key)[:80])
    return found[0]


def domain_names(db: Database, lang: str = "da") -> dict[str, str]:
    """key -> the domain's name in `lang`, for labels."""
    return {d.key: d.name(lang) for d in list_domains(db)}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def resolve_domain(domains: list[Domain], text: str | None) -> str | None:
    """The key of the domain `text` names (its key, Danish or English name, any case); None for empty text.

    Raises MscInvalid when the text names no domain.
    """
    wanted = _fold(text)
    if not wanted:
        return None
    for d in domains:
        if wanted in (_fold(d.key), _fold(d.name_da), _fold(d.name_en)):
            return d.key
    raise MscInvalid("msc.error.no_domain", value=str(text)[:80])


def domain_usage(db: Database) -> dict[str, int]:
    """How many stories (the bin included) use each domain."""
    return dict(db.execute("SELECT domain, count(*) FROM stories WHERE domain IS NOT NULL GROUP BY domain").fetchall())


def _clean(value: str | None) -> str:
    return " ".join(str(value or "").split())


def _check_text(name_da: str, name_en: str, description_da: str, description_en: str) -> tuple[str, str, str, str]:
    name_da, name_en = _clean(name_da), _clean(name_en)
    description_da, description_en = str(description_da or "").strip(), str(description_en or "").strip()
    if not name_da or not name_en:
        raise MscInvalid("msc.error.domain_name_required")
    if len(name_da) > MAX_NAME or len(name_en) > MAX_NAME:
        raise MscInvalid("msc.error.domain_name_long", max=MAX_NAME)
    if len(description_da) > MAX_DESCRIPTION or len(description_en) > MAX_DESCRIPTION:
        raise MscInvalid("msc.error.domain_description_long", max=MAX_DESCRIPTION)
    if any(CONTROL_RE.search(v) for v in (name_da, name_en, description_da, description_en)):
        raise MscInvalid("msc.error.control_characters")
    return name_da, name_en, description_da, description_en


def _slug(text: str) -> str:
    folded = _fold(text).replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")[:40] or "domain"


def _check_unique_names(domains: list[Domain], name_da: str, name_en: str, except_key: str | None = None) -> None:
    for d in domains:
        if d.key != except_key and (_fold(d.name_da) == _fold(name_da) or _fold(d.name_en) == _fold(name_en)):
            raise MscInvalid("msc.error.domain_exists", name=name_da)


def add_domain(db: Database, name_da: str, name_en: str, description_da: str = "", description_en: str = "", *,
               actor: Actor = SYSTEM) -> Domain:
    """A new named domain at the end of the list (at most MAX_NAMED)."""
    from stories.db import write_transaction

    require(can_manage_domains(actor), "manage_domains")
    name_da, name_en, description_da, description_en = _check_text(name_da, name_en, description_da, description_en)
    with write_transaction(db):
        domains = list_domains(db)
        named = [d for d in domains if d.kind == "named"]
        if len(named) >= MAX_NAMED:
            raise MscInvalid("msc.error.too_many_domains", max=MAX_NAMED)
        _check_unique_names(domains, name_da, name_en)
        key, base, n = _slug(name_da), _slug(name_da), 1
        while key in {d.key for d in domains}:
            n += 1
            key = f"{base}_{n}"
        position = max((d.position for d in named), default=0) + 1
        db.conn.execute("INSERT INTO msc_domains (key, kind, name_da, name_en, description_da, description_en,"
                        " position, created_at) VALUES (?, 'named', ?, ?, ?, ?, ?, ?)",
                        [key, name_da, name_en, description_da, description_en, position, _now()])
        audit.log(db, actor, "msc_domain", key, change="add")
    return get_domain(db, key)


def update_domain(db: Database, key: str, name_da: str, name_en: str, description_da: str = "",
                  description_en: str = "", *, actor: Actor = SYSTEM) -> Domain:
    """New names or descriptions for a domain (its key, which stories refer to, stays)."""
    from stories.db import write_transaction

    require(can_manage_domains(actor), "manage_domains")
    name_da, name_en, description_da, description_en = _check_text(name_da, name_en, description_da, description_en)
    with write_transaction(db):
        get_domain(db, key)
        _check_unique_names(list_domains(db), name_da, name_en, except_key=key)
        db.conn.execute("UPDATE msc_domains SET name_da = ?, name_en = ?, description_da = ?, description_en = ?"
                        " WHERE key = ?", [name_da, name_en, description_da, description_en, key])
        audit.log(db, actor, "msc_domain", key, change="edit")
    return get_domain(db, key)


def _refuse_if_used(db: Database, domain: Domain) -> None:
    used = domain_usage(db).get(domain.key, 0)
    if used:
        raise MscInvalid("msc.error.domain_in_use", name=domain.name_da, n=used)
    camps = db.execute("SELECT count(*) FROM camps WHERE EXISTS (SELECT 1 FROM json_each(camps.domains)"
                       " WHERE value = ?)", [domain.key]).fetchone()[0] if db["camps"].exists() else 0
    if camps:
        raise MscInvalid("msc.error.domain_in_camp", name=domain.name_da, n=camps)


def delete_domain(db: Database, key: str, *, actor: Actor = SYSTEM) -> None:
    """Remove a domain no story uses; "any other change" stays, and at least MIN_NAMED named ones stay."""
    from stories.db import write_transaction

    require(can_manage_domains(actor), "manage_domains")
    with write_transaction(db):
        domain = get_domain(db, key)
        if domain.kind == "other":
            raise MscInvalid("msc.error.domain_fixed")
        _refuse_if_used(db, domain)
        if domain.kind == "named" and sum(d.kind == "named" for d in list_domains(db)) <= MIN_NAMED:
            raise MscInvalid("msc.error.too_few_domains", min=MIN_NAMED)
        db.conn.execute("DELETE FROM msc_domains WHERE key = ?", [key])
        audit.log(db, actor, "msc_domain", key, change="delete")


def set_negative_domain(db: Database, enabled: bool, *, actor: Actor = SYSTEM) -> None:
    """Ask for negative changes as their own domain, or stop (refused while stories use it)."""
    from stories.db import write_transaction

    require(can_manage_domains(actor), "manage_domains")
    with write_transaction(db):
        present = any(d.key == NEGATIVE for d in list_domains(db))
        if enabled and not present:
            db.conn.execute("INSERT INTO msc_domains (key, kind, name_da, name_en, description_da, description_en,"
                            " position, created_at) VALUES (?, 'negative', ?, ?, ?, ?, 90, ?)",
                            [NEGATIVE, *NEGATIVE_NAMES, _now()])
        elif not enabled and present:
            _refuse_if_used(db, get_domain(db, NEGATIVE))
            db.conn.execute("DELETE FROM msc_domains WHERE key = ?", [NEGATIVE])
        else:
            return
        audit.log(db, actor, "msc_domain", NEGATIVE, change="on" if enabled else "off")


def apply_preset(db: Database, preset_key: str, *, actor: Actor = SYSTEM) -> list[Domain]:
    """Make a preset's domains the named domains; a domain in use that the preset lacks is refused by name."""
    from stories.db import write_transaction

    require(can_manage_domains(actor), "manage_domains")
    chosen = next((p for p in presets() if p.key == preset_key), None)
    if chosen is None:
        raise MscInvalid("msc.error.no_preset", value=str(preset_key)[:80])
    wanted = {d.key for d in chosen.domains}
    with write_transaction(db):
        usage = domain_usage(db)
        for d in list_domains(db):
            if d.kind == "named" and d.key not in wanted:
                _refuse_if_used(db, d)
                db.conn.execute("DELETE FROM msc_domains WHERE key = ?", [d.key])
        for d in chosen.domains:
            db.conn.execute(
                "INSERT INTO msc_domains (key, kind, name_da, name_en, description_da, description_en, position,"
                " created_at) VALUES (?, 'named', ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
                " name_da = excluded.name_da, name_en = excluded.name_en, description_da = excluded.description_da,"
                " description_en = excluded.description_en, position = excluded.position",
                [d.key, d.name_da, d.name_en, d.description_da, d.description_en, d.position, _now()])
        audit.log(db, actor, "msc_domain", preset_key, change="preset", in_use=sum(usage.values()))
    return list_domains(db)
