"""Validating and normalising a story before it is stored.

Errors carry a message key from the catalogs (`locales/`) and its parameters, so the
page shows them in the user's language and the CLI in English.
"""

from __future__ import annotations

from stories.errors import UserError

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from stories.model import LANGUAGES, MECHANISMS, POLARITIES, SOURCES, TELLER_ROLES, Story

MAX_TEXT = 20_000
MAX_LONG = 10_000
MAX_SHORT = 200
MAX_EXTRA_KEY = 64
MAX_EXTRA_VALUE = 1_000
MAX_EXTRAS = 50
PSEUDONYM_RE = re.compile(r"^[A-Za-zÆØÅæøå]{1,5}-\d{2,8}$")
# C0 controls other than tab and newline, DEL, and C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

LONG_FIELDS = {"text": MAX_TEXT, "significance": MAX_LONG, "difference": MAX_LONG}
SHORT_FIELDS = ("title", "teller_pseudonym", "recorded_by", "site", "programme", "session_type")


@dataclass(frozen=True)
class FieldError:
    field: str
    key: str
    params: dict = field(default_factory=dict)


class StoryInvalid(UserError, ValueError):
    """A story failed validation; `errors` says which fields and why."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.key}" for e in errors))


def clean_text(value: str | None) -> str:
    """Line endings to LF and surrounding white space trimmed; inner text kept exactly."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise(story: Story) -> Story:
    changes = {name: clean_text(getattr(story, name)) for name in (*LONG_FIELDS, *SHORT_FIELDS)}
    changes["teller_mechanism"] = clean_text(story.teller_mechanism)
    for name in ("happened_on", "period_start", "period_end"):
        changes[name] = clean_text(getattr(story, name)) or None
    changes["extra"] = {clean_text(k): clean_text(v) for k, v in (story.extra or {}).items() if clean_text(k)}
    changes["polarity"] = story.polarity or None
    changes["domain"] = clean_text(story.domain) or None
    return replace(story, **changes)


def _text_problem(value: str) -> str | None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "error.invalid_characters"
    if CONTROL_RE.search(value):
        return "error.control_characters"
    return None


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def validate(
    story: Story, *, require_significance: bool = True, require_consent: bool = False, today: dt.date | None = None
) -> Story:
    """Return the normalised story, or raise StoryInvalid listing every problem."""
    story = normalise(story)
    today = today or dt.date.today()
    errors: list[FieldError] = []

    if not story.text:
        errors.append(FieldError("text", "error.required"))
    if require_significance and not story.significance:
        errors.append(FieldError("significance", "error.required"))
    for name, limit in LONG_FIELDS.items():
        if len(getattr(story, name)) > limit:
            errors.append(FieldError(name, "error.too_long", {"max": limit, "n": len(getattr(story, name))}))
    for name in SHORT_FIELDS:
        if len(getattr(story, name)) > MAX_SHORT:
            errors.append(FieldError(name, "error.too_long", {"max": MAX_SHORT, "n": len(getattr(story, name))}))
    for name in (*LONG_FIELDS, *SHORT_FIELDS):
        problem = _text_problem(getattr(story, name))
        if problem:
            errors.append(FieldError(name, problem))

    if story.teller_pseudonym and not PSEUDONYM_RE.match(story.teller_pseudonym):
        errors.append(FieldError("teller_pseudonym", "error.pseudonym"))
    choices = {
        "teller_role": TELLER_ROLES,
        "language": LANGUAGES,
        "source": SOURCES,
    }
    for name, allowed in choices.items():
        if getattr(story, name) not in allowed:
            errors.append(FieldError(name, "error.choice", {"value": getattr(story, name)}))
    if story.polarity is not None and story.polarity not in POLARITIES:
        errors.append(FieldError("polarity", "error.choice", {"value": story.polarity}))
    if story.teller_mechanism and story.teller_mechanism not in MECHANISMS:
        errors.append(FieldError("teller_mechanism", "error.choice", {"value": story.teller_mechanism}))

    dates = {}
    for name in ("happened_on", "period_start", "period_end"):
        value = getattr(story, name)
        if value is None:
            continue
        parsed = _parse_date(value)
        if parsed is None:
            errors.append(FieldError(name, "error.date", {"value": value}))
        elif parsed > today + dt.timedelta(days=1):
            errors.append(FieldError(name, "error.future_date", {"value": value}))
        else:
            dates[name] = parsed
    if "period_start" in dates and "period_end" in dates and dates["period_start"] > dates["period_end"]:
        errors.append(FieldError("period_end", "error.period_order"))

    if len(story.extra) > MAX_EXTRAS:
        errors.append(FieldError("extra", "error.too_many_extras", {"max": MAX_EXTRAS}))
    for key, value in story.extra.items():
        if len(key) > MAX_EXTRA_KEY or len(value) > MAX_EXTRA_VALUE or _text_problem(key) or _text_problem(value):
            errors.append(FieldError("extra", "error.extra_value", {"key": key[:MAX_EXTRA_KEY]}))

    if require_consent and not (story.consent.internal or story.consent.evaluation or story.consent.publication):
        errors.append(FieldError("consent", "error.consent_required"))
    if story.consent.teller_under_15 and not story.consent.guardian:
        errors.append(FieldError("consent", "error.guardian_required"))

    if errors:
        raise StoryInvalid(errors)
    return story
