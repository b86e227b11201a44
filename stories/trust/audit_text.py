"""The audit log in words: when (local time, and how long ago), who did what as a sentence,
and the entry's details as words ("med adgangskode", "3 fortællinger", "som CSV").

The sentences and words live in the catalogs (`stories/locales/*/audit.json`): an action's
sentence is `audit.says.<action>`, a detail is `audit.detail.<key>` with `{value}`, and a
fixed value of a detail is `audit.value.<key>.<value>` (e.g. `audit.value.via.password`).
A detail the catalog does not know is shown as "key: value", never as JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stories import formatting
from stories.i18n import catalog, t
from stories.trust.audit import AuditEntry

# Details counted in stories (plural forms from the catalog).
STORY_COUNTS = ("n", "stories")
# Details that carry no words for a person (the ids are counted in `n`).
UNSHOWN = ("ids",)
ROLE_DETAILS = ("role", "old", "new")


@dataclass(frozen=True)
class AuditLine:
    when: str  # "1. dec. 2026 19.09"
    ago: str  # "for 5 minutter siden"
    who: str  # "lead (administrator)"
    says: str  # "lead loggede ind med adgangskode."


def _value(key: str, value, lang: str) -> str:
    words = catalog(lang)
    if isinstance(value, bool):
        return t(f"audit.value.{str(value).lower()}", lang)
    if key in ROLE_DETAILS and f"trust.role.{value}" in words:
        return t(f"trust.role.{value}", lang)
    if key == "purpose" and f"purpose.{value}" in words:
        return t(f"purpose.{value}", lang)
    if isinstance(value, int | float):
        return formatting.number(value, lang)
    if isinstance(value, list | tuple):
        return formatting.number(len(value), lang)
    text = str(value).upper() if key == "fmt" else str(value)
    return t(f"audit.value.{key}.{text}", lang) if f"audit.value.{key}.{text}" in words else text


def detail_words(detail: dict, lang: str = "da") -> list[str]:
    """The details of one entry as short phrases in `lang`, in the entry's order."""
    words = catalog(lang)
    phrases = []
    for key, value in detail.items():
        if key in UNSHOWN or value in (None, ""):
            continue
        if isinstance(value, bool) and f"audit.value.{key}.{str(value).lower()}" in words:
            phrases.append(t(f"audit.value.{key}.{str(value).lower()}", lang))
        elif key in STORY_COUNTS and isinstance(value, int):
            phrases.append(formatting.plural("count.stories", value, lang))
        elif f"audit.value.{key}.{value}" in words and not isinstance(value, bool | int | float):
            phrases.append(t(f"audit.value.{key}.{value}", lang))
        elif f"audit.detail.{key}" in words:
            phrases.append(t(f"audit.detail.{key}", lang, value=_value(key, value, lang)))
        else:
            phrases.append(f"{key}: {_value(key, value, lang)}")
    return phrases


def sentence(entry: AuditEntry, lang: str = "da") -> str:
    """What happened, as one sentence: "lead eksporterede fortællinger (3 fortællinger, som CSV)."."""
    key = f"audit.says.{entry.action}"
    if key in catalog(lang):
        text = t(key, lang, actor=entry.actor, target=entry.target or "–")
    else:
        text = f"{entry.actor}: {t(f'trust.audit.{entry.action}', lang)} {entry.target}".strip()
    details = detail_words(entry.detail or {}, lang)
    return text + (" (" + ", ".join(details) + ")" if details else "") + "."


def describe(entry: AuditEntry, lang: str = "da", *, now: dt.datetime | None = None) -> AuditLine:
    """One entry as a person would write it in a log, in `lang` and the install's time zone."""
    role = t(f"trust.role.{entry.role}", lang) if f"trust.role.{entry.role}" in catalog(lang) else entry.role
    return AuditLine(when=formatting.datetime(entry.at, lang), ago=formatting.relative(entry.at, lang, now=now),
                     who=f"{entry.actor} ({role})", says=sentence(entry, lang))
