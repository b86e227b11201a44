"""The audit log reads like a log a person wrote: local time in words, the action as a
sentence, the details as words (never JSON), in Danish and English."""

import datetime as dt

import pytest

from stories.trust import audit
from stories.trust.audit import AuditEntry
from stories.trust.audit_text import describe, detail_words, sentence
from stories.trust.permissions import Actor

AT = "2026-12-01T18:09:48+00:00"
NOW = dt.datetime(2026, 12, 1, 18, 14, 48, tzinfo=dt.UTC)


def entry(action: str, target: str = "", **detail) -> AuditEntry:
    return AuditEntry(1, AT, "lead", "admin", action, target, detail)


@pytest.mark.parametrize("lang, when, ago, who, says", [
    ("da", "1. dec. 2026 19.09", "for 5 minutter siden", "lead (administrator)", "lead loggede ind (med adgangskode)."),
    ("en", "1 Dec 2026, 19:09", "5 minutes ago", "lead (administrator)", "lead signed in (with a password)."),
])
def test_a_sign_in_in_words(lang, when, ago, who, says):
    line = describe(entry("sign_in", via="password"), lang, now=NOW)
    assert (line.when, line.ago, line.who, line.says) == (when, ago, who, says)


@pytest.mark.parametrize("lang, action, target, detail, expected", [
    ("da", "export", "", {"fmt": "csv", "n": 3, "purpose": "evaluation", "pseudonymised": True},
     "lead eksporterede fortællinger (som CSV, 3 fortællinger, pseudonymiseret, til formålet Ekstern evaluering)."),
    ("en", "export", "", {"fmt": "csv", "n": 1, "purpose": "evaluation", "pseudonymised": False},
     "lead exported stories (as CSV, 1 story, not pseudonymised, for the purpose External evaluation)."),
    ("da", "role_change", "kim", {"new": "staff", "old": "evaluator"}, "lead ændrede rollen for kim (til medarbejder, fra evaluator)."),
    ("en", "read_stories", "", {"ids": ["a", "b"], "n": 2}, "lead read a list of stories (2 stories)."),
    ("da", "msc_round", "4", {"change": "close"}, "lead ændrede udvælgelsesrunde nr. 4 (lukket)."),
    ("da", "erase", "", {"stories": 1200}, "lead slettede en fortællers fortællinger (1.200 fortællinger)."),
    ("en", "sign_out", "", {}, "lead signed out."),
])
def test_actions_and_details_as_sentences(lang, action, target, detail, expected):
    assert sentence(entry(action, target, **dict(sorted(detail.items()))), lang) == expected


def test_an_unknown_detail_is_key_and_value_never_json():
    assert detail_words({"colour": "blue", "via": "password"}, "da") == ["colour: blue", "med adgangskode"]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_action_has_a_sentence_in_every_language(lang):
    from stories.i18n import catalog

    missing = [a for a in audit.ACTIONS if f"audit.says.{a}" not in catalog(lang)]
    assert missing == []


def test_entries_read_back_from_the_log_are_described(db):
    audit.log(db, Actor("lead", "admin"), "user_add", "kim", role="staff")
    [logged] = audit.read_log(db, actor=Actor("lead", "admin"), action="user_add")
    assert describe(logged, "da").says == "lead oprettede brugeren kim (som medarbejder)."
