"""The change story record, following Most Significant Change practice."""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

TELLER_ROLES = ("young_person", "staff", "parent_network", "partner", "other")
POLARITIES = ("positive", "negative", "mixed")
SOURCES = ("form", "camp", "import")
LANGUAGES = ("da", "en")
# The teller's own choice of mechanism: the KBH+ mechanisms (keys shared with the codebook preset).
MECHANISMS = ("huset", "skabe_med_andre", "tillidsfulde_relationer")
CONSENT_PURPOSES = ("internal", "evaluation", "publication")
CONSENT_VERSION = "2026-1"


@dataclass
class Consent:
    """What the teller agreed to, per purpose, and a withdrawal if there is one."""

    internal: bool = False
    evaluation: bool = False
    publication: bool = False
    teller_under_15: bool = False
    guardian: bool = False
    version: str = CONSENT_VERSION
    withdrawn_at: str | None = None

    def covers(self, purpose: str) -> bool:
        if self.withdrawn_at:
            return False
        if self.teller_under_15 and not self.guardian:
            return False
        return bool(getattr(self, purpose))


@dataclass
class Story:
    """One change story. `text` is "what happened?"; `significance` is "why does it matter?"."""

    text: str
    significance: str = ""
    title: str = ""
    difference: str = ""
    teller_role: str = "other"
    teller_pseudonym: str = ""
    recorded_by: str = ""
    site: str = ""
    programme: str = ""
    session_type: str = ""
    happened_on: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    language: str = "da"
    polarity: str | None = None
    teller_mechanism: str = ""
    source: str = "form"
    domain: str | None = None  # the domain of change (a key of `msc_domains`), chosen by the teller or staff
    extra: dict[str, str] = field(default_factory=dict)
    consent: Consent = field(default_factory=Consent)
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    is_demo: bool = False

    def to_row(self) -> dict[str, Any]:
        """The `stories` table row for this story (without seq and the idempotency keys)."""
        row = {name: getattr(self, name) for name in _PLAIN_FIELDS}
        row["extra"] = json.dumps(self.extra, ensure_ascii=False, sort_keys=True)
        row["is_demo"] = int(self.is_demo)
        c = self.consent
        row.update(
            consent_internal=int(c.internal),
            consent_evaluation=int(c.evaluation),
            consent_publication=int(c.publication),
            teller_under_15=int(c.teller_under_15),
            guardian_consent=int(c.guardian),
            consent_version=c.version,
            consent_withdrawn_at=c.withdrawn_at,
        )
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Story:
        names = {f.name for f in fields(cls)} - {"extra", "consent", "is_demo"}
        story = cls(**{k: row[k] for k in names if k in row})
        story.extra = json.loads(row.get("extra") or "{}")
        story.is_demo = bool(row.get("is_demo"))
        story.consent = Consent(
            internal=bool(row.get("consent_internal")),
            evaluation=bool(row.get("consent_evaluation")),
            publication=bool(row.get("consent_publication")),
            teller_under_15=bool(row.get("teller_under_15")),
            guardian=bool(row.get("guardian_consent")),
            version=row.get("consent_version") or "",
            withdrawn_at=row.get("consent_withdrawn_at"),
        )
        return story

    def stamped(self, id: str, at: str) -> Story:
        """A copy with this id, created and updated `at`: what `dataclasses.replace` would give,
        without running `__init__` again over every field (an import stamps every story)."""
        story = copy.copy(self)
        story.id, story.created_at, story.updated_at = id, at, at
        return story

    def to_dict(self) -> dict[str, Any]:
        """A plain dict of every field, consent nested: for JSON export."""
        return asdict(self)


# Fields stored as plain columns (computed once: `fields()` is slow in a loop).
_PLAIN_FIELDS = tuple(f.name for f in fields(Story) if f.name not in ("extra", "consent"))
# Fields a user may set (everything but identity and timestamps).
EDITABLE_FIELDS = tuple(
    f.name for f in fields(Story) if f.name not in ("id", "created_at", "updated_at", "deleted_at", "is_demo")
)
