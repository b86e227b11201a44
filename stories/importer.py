"""Importing stories from CSV or XLSX: all or nothing, idempotent, with a report.

Only the column `text` is required; other columns are matched to story fields by name
(English or Danish), and unknown columns are kept as extra attributes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from stories.errors import UserError
from stories.heap import paused_collector
from stories.limits import DEFAULT_LIMITS, ImportLimits
from stories.model import Consent, Story
from stories.trust.permissions import SYSTEM, Actor, can_import, require
from stories.msc.domains import list_domains, resolve_domain
from stories.msc.errors import MscInvalid
from stories.msc.exchange import FLAT_COLUMNS as CYCLE_COLUMNS
from stories.bulk_create import create_stories
from stories.tabular import cell_text, read_table
from stories.validation import StoryInvalid, validate

FIELD_ALIASES = {
    "text": ("text", "story", "historie", "fortaelling", "fortælling", "hvad_skete_der"),
    "title": ("title", "titel", "overskrift"),
    "significance": ("significance", "betydning", "hvorfor_vigtigt", "why_important"),
    "difference": ("difference", "forskel"),
    "teller_role": ("teller_role", "role", "rolle", "fortaellerrolle"),
    "teller_pseudonym": ("teller_pseudonym", "pseudonym", "teller", "fortaeller"),
    "recorded_by": ("recorded_by", "registreret_af", "skrevet_af"),
    "site": ("site", "sted", "hus", "house"),
    "programme": ("programme", "program", "indsats"),
    "session_type": ("session_type", "sessionstype", "aktivitet"),
    "happened_on": ("happened_on", "date", "dato"),
    "period_start": ("period_start", "periode_start"),
    "period_end": ("period_end", "periode_slut"),
    "language": ("language", "sprog"),
    "polarity": ("polarity", "polaritet"),
    "teller_mechanism": ("teller_mechanism", "mechanism", "mekanisme"),
    "domain": ("domain", "domæne", "forandringsdomæne", "domain_of_change"),
    "consent_internal": ("consent_internal", "samtykke_intern"),
    "consent_evaluation": ("consent_evaluation", "samtykke_evaluering"),
    "consent_publication": ("consent_publication", "samtykke_publikation"),
    "teller_under_15": ("teller_under_15", "under_15"),
    "guardian_consent": ("guardian_consent", "foraeldresamtykke"),
}
# Export columns that are not story input: ignored on import so an export re-imports cleanly.
IGNORED = {"id", "created_at", "updated_at", "deleted_at", "is_demo", "source", "consent_version", "consent_withdrawn_at",
           *CYCLE_COLUMNS}
VALUE_ALIASES = {
    "teller_role": {"ung": "young_person", "young person": "young_person", "medarbejder": "staff",
                    "forælder": "parent_network", "forælder/netværk": "parent_network", "netværk": "parent_network",
                    "parent": "parent_network", "samarbejdspartner": "partner", "partner": "partner",
                    "andet": "other", "anden": "other"},
    "polarity": {"positiv": "positive", "negativ": "negative", "blandet": "mixed"},
    "language": {"dansk": "da", "danish": "da", "engelsk": "en", "english": "en"},
}
TRUE = {"1", "true", "yes", "ja", "x", "y", "j", "sand"}
FALSE = {"0", "false", "no", "nej", "n", "falsk", ""}


class ImportFailed(UserError):
    """The file has bad rows; nothing was imported. `report` names every one."""

    def __init__(self, report: "ImportReport"):
        self.report = report
        lines = ", ".join(str(e.line) for e in report.errors[:20])
        more = f" (+{len(report.errors) - 20} more)" if len(report.errors) > 20 else ""
        super().__init__(f"{len(report.errors)} bad row(s), nothing imported: line {lines}{more}")


@dataclass
class RowError:
    line: int
    field: str
    key: str
    params: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)


def normalise_header(header: str) -> str:
    folded = unicodedata.normalize("NFKC", header).strip().lower()
    folded = folded.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[\s\-./]+", "_", folded)


def map_headers(headers: list[str]) -> dict[str, str]:
    """header -> story field, or 'extra:<header>' for unknown columns."""
    lookup = {normalise_header(alias): name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
    mapping = {}
    for header in headers:
        if not header.strip():
            continue
        key = normalise_header(header)
        if key in lookup and lookup[key] not in mapping.values():
            mapping[header] = lookup[key]
        elif key in IGNORED:
            continue
        else:
            mapping[header] = f"extra:{header.strip()}"
    return mapping


def parse_date(value: str) -> str | None:
    """ISO dates and Danish day-first dates (31-12-2025, 31.12.2025, 31/12/2025) to ISO."""
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value  # validation names it as a bad date


def _flag(value: str, line: int, name: str, errors: list[RowError]) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered not in FALSE:
        errors.append(RowError(line, name, "error.boolean", {"value": value[:40]}))
    return False


def row_to_story(line: int, values: dict, mapping: dict[str, str], default_consent: tuple[str, ...],
                 errors: list[RowError]) -> Story | None:
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for header, target in mapping.items():
        text = cell_text(values.get(header, ""))
        if target.startswith("extra:"):
            if text.strip():
                extra[target[6:]] = text
        else:
            fields[target] = text
    for name, aliases in VALUE_ALIASES.items():
        if name in fields:
            lowered = fields[name].strip().lower()
            fields[name] = aliases.get(lowered, lowered)
    for name in ("happened_on", "period_start", "period_end"):
        if name in fields:
            fields[name] = parse_date(fields[name])
    before = len(errors)
    consent = Consent(**{p: p in default_consent for p in ("internal", "evaluation", "publication")})
    for column, attr in (("consent_internal", "internal"), ("consent_evaluation", "evaluation"),
                         ("consent_publication", "publication"), ("teller_under_15", "teller_under_15"),
                         ("guardian_consent", "guardian")):
        if column in fields:
            setattr(consent, attr, _flag(fields.pop(column), line, column, errors))
    consent.version = "import"
    if not fields.get("teller_role"):
        fields.pop("teller_role", None)
    if not fields.get("language"):
        fields.pop("language", None)
    fields["polarity"] = fields.get("polarity") or None
    story = Story(**{"text": "", **fields}, extra=extra, consent=consent, source="import")
    try:
        story = validate(story, require_significance=False)
    except StoryInvalid as exc:
        errors.extend(RowError(line, e.field, e.key, e.params) for e in exc.errors)
    return story if len(errors) == before else None


def import_key(story: Story) -> str:
    """The same story content gives the same key, so importing a file twice adds nothing."""
    payload = story.to_row()
    for volatile in ("id", "created_at", "updated_at", "deleted_at"):
        payload.pop(volatile, None)
    if payload.get("domain") is None:
        payload.pop("domain", None)  # a row without a domain keeps the key it had before domains existed
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"import:{digest}"


def import_file(db: Database, path: str | Path, *, actor: Actor = SYSTEM, dry_run: bool = False,
                consent: tuple[str, ...] = ("internal",), data: bytes | None = None,
                limits: ImportLimits = DEFAULT_LIMITS,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import every row of a CSV/XLSX file, or none: raises ImportFailed naming each bad row
    (UnreadableFile or LimitExceeded when the file itself cannot be read within the limits).

    Reading, checking and the NLP index happen before any write; the rows are then written
    in short transactions (`bulk_create.create_stories`), shown all at once when the last one
    commits. `progress(done, total)` is called as the stories are written.
    """
    require(can_import(actor), "import")
    # Reading and checking make objects per cell and per story that live until the write:
    # full garbage collections would walk them again and again (`stories.heap`).
    with paused_collector():
        return _import_file(db, path, actor=actor, dry_run=dry_run, consent=consent, data=data, limits=limits,
                            progress=progress)


def _import_file(db: Database, path: str | Path, *, actor: Actor, dry_run: bool, consent: tuple[str, ...],
                 data: bytes | None, limits: ImportLimits,
                 progress: Callable[[int, int], None] | None) -> ImportReport:
    table = read_table(path, data, limits=limits)
    mapping = map_headers(table.headers)
    report = ImportReport(rows=len(table.rows), dry_run=dry_run,
                          extra_columns=[m[6:] for m in mapping.values() if m.startswith("extra:")])
    if "text" not in mapping.values():
        report.errors.append(RowError(1, "text", "error.no_text_column"))
        raise ImportFailed(report)
    items: list[tuple[Story, str]] = []
    domains = list_domains(db)
    for line, values in table.rows:
        story = row_to_story(line, values, mapping, consent, report.errors)
        if story is not None and story.domain:
            try:
                story = replace(story, domain=resolve_domain(domains, story.domain))
            except MscInvalid as exc:
                report.errors.append(RowError(line, "domain", exc.key, exc.params))
                story = None
        if story is not None:
            items.append((story, import_key(story)))
    del table  # the parsed cells are not needed any more: their memory is reused for the writes
    if report.errors:
        raise ImportFailed(report)
    if dry_run:
        keys = [k for _, k in items]
        known = {r[0] for r in db.execute(
            "SELECT import_key FROM stories WHERE import_key IN (SELECT value FROM json_each(?))", [json.dumps(keys)])}
        report.duplicates = len(keys) - len(set(keys) - known)
        report.added = len(set(keys) - known)
        return report
    items = [(s if s.source == "import" else replace(s, source="import"), k) for s, k in items]
    added = create_stories(db, items, actor=actor, progress=progress)
    report.added = len(added)
    report.duplicates = len(items) - len(added)
    return report
