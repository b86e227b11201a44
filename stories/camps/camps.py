"""Story camps (fortællecamps): creating, opening and closing a camp, and the camp's stories as its pages show them.

A facilitator creates a camp; participants join by its short code from a phone
(`stories.camps.access`) and submit without an account, under a display name they choose
(`stories.camps.submissions`).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from stories.errors import UserError
from stories.i18n import t
from stories.privacy.pseudonymised import Correction, StoryPseudonyms, corrections_for, needs_pseudonymisation
from stories.model import MECHANISMS, Story
from stories.msc.told import TOLD_COLUMNS, Told
from stories.trust.permissions import SYSTEM, Actor, can_run_camp, require
from stories.camps.signifiers import SignifierConfig
from stories.visibility import StoryFilter, filter_sql
from stories.validation import CONTROL_RE, FieldError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud and type
CODE_LENGTH = 6
DEFAULT_LEVELS = ("team", "house", "network")
MAX_NAME, MAX_PROMPT, MAX_DOMAIN, MAX_DOMAINS = 120, 1_000, 80, 8


class CampNotFound(UserError, LookupError):
    """No camp has that code (or it is not one the actor may run)."""


class CampClosed(UserError):
    """The camp no longer takes stories; the refused story's text travels with the error."""

    def __init__(self, camp: Camp, text: str = "", significance: str = ""):
        self.camp, self.text, self.significance = camp, text, significance
        super().__init__(f"camp {camp.code} is closed")


class CampInvalid(UserError, ValueError):
    """A camp or a camp submission failed validation; `errors` says which fields and why."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.key}" for e in errors))


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Camp:
    id: int
    code: str
    name: str
    held_on: str | None = None
    site: str = ""
    prompt: str = ""
    domains: tuple[str, ...] = ()
    levels: tuple[str, ...] = DEFAULT_LEVELS
    signifiers: SignifierConfig = field(default_factory=SignifierConfig)
    closes_at: str | None = None
    closed_at: str | None = None
    created_at: str = ""
    is_demo: bool = False

    def is_open(self, now: dt.datetime | None = None) -> bool:
        if self.closed_at:
            return False
        if self.closes_at and dt.datetime.fromisoformat(self.closes_at) <= (now or utc_now()):
            return False
        return True

    def level_name(self, level: int, lang: str = "da") -> str:
        name = self.levels[level - 1] if 0 < level <= len(self.levels) else str(level)
        return label("level", name, lang)


def label(kind: str, value: str, lang: str = "da") -> str:
    """A domain, pole, level or slider for people: the catalog's word for a known key, else the text itself."""
    if kind in ("domain", "pole") and value in MECHANISMS:
        return t(f"mechanism.{value}", lang)
    key = f"camps.{kind}.{value}"
    text = t(key, lang)
    return value if text == key else text


@dataclass
class CampDraft:
    """What the facilitator fills in to create (or edit) a camp."""

    name: str
    held_on: str | None = None
    site: str = ""
    prompt: str = ""
    domains: Sequence[str] = MECHANISMS
    levels: Sequence[str] = DEFAULT_LEVELS[:2]
    signifiers: SignifierConfig = field(default_factory=SignifierConfig)
    closes_at: str | None = None


def clean_line(value: str | None) -> str:
    return " ".join(str(value or "").split())


def _check_draft(draft: CampDraft) -> CampDraft:
    errors: list[FieldError] = []
    name, site, prompt = clean_line(draft.name), clean_line(draft.site), str(draft.prompt or "").strip()
    domains = tuple(dict.fromkeys(clean_line(d) for d in draft.domains if clean_line(d)))
    levels = tuple(clean_line(v) for v in draft.levels if clean_line(v))
    if not name:
        errors.append(FieldError("name", "error.required"))
    for fld, value, limit in (("name", name, MAX_NAME), ("site", site, MAX_NAME), ("prompt", prompt, MAX_PROMPT)):
        if len(value) > limit:
            errors.append(FieldError(fld, "error.too_long", {"max": limit, "n": len(value)}))
        if CONTROL_RE.search(value):
            errors.append(FieldError(fld, "error.control_characters"))
    if len(domains) > MAX_DOMAINS or any(len(d) > MAX_DOMAIN or CONTROL_RE.search(d) for d in domains):
        errors.append(FieldError("domains", "camps.error.domains", {"max": MAX_DOMAINS, "len": MAX_DOMAIN}))
    if not levels or len(levels) > 5 or any(len(v) > MAX_DOMAIN for v in levels):
        errors.append(FieldError("levels", "camps.error.levels"))
    held_on = draft.held_on or None
    if held_on:
        try:
            held_on = dt.date.fromisoformat(str(held_on)).isoformat()
        except ValueError:
            errors.append(FieldError("held_on", "error.date", {"value": held_on}))
    closes_at = draft.closes_at or None
    if closes_at:
        try:
            moment = dt.datetime.fromisoformat(str(closes_at))
            closes_at = iso_utc(moment if moment.tzinfo else moment.astimezone())
        except ValueError:
            errors.append(FieldError("closes_at", "error.date", {"value": closes_at}))
    if errors:
        raise CampInvalid(errors)
    return replace(draft, name=name, site=site, prompt=prompt, domains=domains, levels=levels,
                   held_on=held_on, closes_at=closes_at)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str | None) -> str:
    """What a person typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum())


def _row_to_camp(row) -> Camp:
    r = dict(row)
    return Camp(
        id=r["id"], code=r["code"], name=r["name"], held_on=r["held_on"], site=r["site"], prompt=r["prompt"],
        domains=tuple(json.loads(r["domains"])), levels=tuple(json.loads(r["levels"])),
        signifiers=SignifierConfig.from_json(r["signifiers"]), closes_at=r["closes_at"],
        closed_at=r["closed_at"], created_at=r["created_at"], is_demo=bool(r["is_demo"]),
    )


def select_camps(db: Database, where: str, params: list) -> list[Camp]:
    cursor = db.execute(f"SELECT * FROM camps WHERE {where}", params)
    names = [d[0] for d in cursor.description]
    return [_row_to_camp(dict(zip(names, r))) for r in cursor.fetchall()]


def _may_run(actor: Actor, camp: Camp) -> bool:
    return can_run_camp(actor) and (not actor.sites or not camp.site or camp.site in actor.sites)


def create_camp(db: Database, draft: CampDraft, *, actor: Actor = SYSTEM, code: str | None = None) -> Camp:
    """A new camp with a fresh join code; it is open until closed (or its closing time)."""
    from stories.db import write_transaction

    require(can_run_camp(actor), "run_camp")
    d = _check_draft(draft)
    if actor.sites and d.site not in actor.sites:
        raise CampInvalid([FieldError("site", "error.choice", {"value": d.site})])
    with write_transaction(db):
        code = code or new_code()
        while db.execute("SELECT 1 FROM camps WHERE code = ?", [code]).fetchone():
            code = new_code()
        cursor = db.conn.execute(
            "INSERT INTO camps (code, name, held_on, site, prompt, domains, levels, signifiers, closes_at,"
            " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [code, d.name, d.held_on, d.site, d.prompt, json.dumps(list(d.domains), ensure_ascii=False),
             json.dumps(list(d.levels), ensure_ascii=False), d.signifiers.to_json(), d.closes_at,
             iso_utc(utc_now()), actor.name],
        )
    return get_camp(db, cursor.lastrowid)


def update_camp(db: Database, camp_id: int, draft: CampDraft, *, actor: Actor = SYSTEM) -> Camp:
    """Change a camp's description, domains, levels, signifier questions or closing time."""
    from stories.db import write_transaction

    camp = get_camp(db, camp_id, actor=actor)
    d = _check_draft(draft)
    with write_transaction(db):
        db.conn.execute(
            "UPDATE camps SET name = ?, held_on = ?, site = ?, prompt = ?, domains = ?, levels = ?, signifiers = ?,"
            " closes_at = ? WHERE id = ?",
            [d.name, d.held_on, d.site, d.prompt, json.dumps(list(d.domains), ensure_ascii=False),
             json.dumps(list(d.levels), ensure_ascii=False), d.signifiers.to_json(), d.closes_at, camp.id],
        )
    return get_camp(db, camp_id)


def get_camp(db: Database, camp_id: int, *, actor: Actor = SYSTEM) -> Camp:
    """A camp the actor may run (PermissionDenied for roles that run no camps)."""
    require(can_run_camp(actor), "run_camp")
    camps = select_camps(db, "id = ?", [camp_id])
    if not camps or not _may_run(actor, camps[0]):
        raise CampNotFound(str(camp_id))
    return camps[0]


def list_camps(db: Database, *, actor: Actor = SYSTEM) -> list[Camp]:
    """The camps the actor may run, newest first."""
    if not can_run_camp(actor):
        return []
    return [c for c in select_camps(db, "1 ORDER BY COALESCE(held_on, created_at) DESC, id DESC", [])
            if _may_run(actor, c)]


def close_camp(db: Database, camp_id: int, *, actor: Actor = SYSTEM) -> Camp:
    from stories.db import write_transaction

    camp = get_camp(db, camp_id, actor=actor)
    with write_transaction(db):
        db.conn.execute("UPDATE camps SET closed_at = COALESCE(closed_at, ?) WHERE id = ?",
                        [iso_utc(utc_now()), camp.id])
    return get_camp(db, camp_id)


def reopen_camp(db: Database, camp_id: int, *, actor: Actor = SYSTEM) -> Camp:
    """Open the camp again; a closing time that has passed is cleared too."""
    from stories.db import write_transaction

    camp = get_camp(db, camp_id, actor=actor)
    closes_at = camp.closes_at if camp.closes_at and dt.datetime.fromisoformat(camp.closes_at) > utc_now() else None
    with write_transaction(db):
        db.conn.execute("UPDATE camps SET closed_at = NULL, closes_at = ? WHERE id = ?", [closes_at, camp.id])
    return get_camp(db, camp_id)


def camp_story_as_seen(db: Database, story: Told, notes: Sequence[str] = (), *, actor: Actor = SYSTEM,
                       purpose: str | None = None, lang: str | None = None) -> tuple[Told, list[str]]:
    """A camp story and texts about it (a group's reasons) as `actor` may see them for `purpose`:
    with names replaced when `needs_pseudonymisation` says so. The teller's name on the wall is
    always one of them, wherever it stands (a reason that says "Lynets historie"), whether or not
    the detector takes it for a name: it is what the room knows the teller by."""
    if not needs_pseudonymisation(actor, purpose):
        return story, list(notes)
    original = Story(text=story.text, title=story.title, significance=story.significance, id=story.id)
    wall_name = (story.display_name or "").strip()
    known = [Correction("add", "person", wall_name)] if wall_name else []
    pseudonyms = StoryPseudonyms(original, [*corrections_for(db, original.id), *known], lang,
                                 notes=[story.display_name, *notes])
    shown = replace(story, title=pseudonyms.field("title"), text=pseudonyms.field("text"),
                    significance=pseudonyms.field("significance"), display_name=pseudonyms.note(0))
    return shown, [pseudonyms.note(i + 1) for i in range(len(notes))]


def camp_stories(db: Database, camp_id: int, *, domain: str | None = None, seqs: Sequence[int] | None = None,
                 actor: Actor = SYSTEM, purpose: str | None = None, lang: str | None = None) -> list[Told]:
    """The camp's stories that may be used for internal learning, oldest first; pseudonymised
    when `needs_pseudonymisation(actor, purpose)` (a report or feedback for publication).

    Not permission-checked: the camp's pages reach a camp by its code or by a facilitator's choice.
    """
    where, params = filter_sql(StoryFilter(purpose="internal"), SYSTEM)
    sql = (f"SELECT {TOLD_COLUMNS.format(domain='c.domain')} FROM camp_stories AS c"
           f" JOIN stories AS s ON s.seq = c.story_seq WHERE c.camp_id = ? AND {where}")
    params = [camp_id, *params]
    if domain is not None:
        sql += " AND c.domain = ?"
        params.append(domain)
    if seqs is not None:
        sql += f" AND s.seq IN ({','.join('?' * len(seqs)) or 'NULL'})"
        params.extend(seqs)
    found = [Told(*r) for r in db.execute(sql + " ORDER BY s.seq", params).fetchall()]
    return [camp_story_as_seen(db, story, actor=actor, purpose=purpose, lang=lang)[0] for story in found]
