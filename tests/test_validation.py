import datetime as dt

import pytest

from stories.model import Consent, Story
from stories.validation import MAX_TEXT, StoryInvalid, validate


def story(**kw):
    kw.setdefault("text", "Han kom igen.")
    kw.setdefault("significance", "Fordi han stoler på os.")
    return Story(**kw)


def errors_of(s, **kw):
    with pytest.raises(StoryInvalid) as info:
        validate(s, **kw)
    return {(e.field, e.key) for e in info.value.errors}


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"text": ""}, ("text", "error.required")),
        ({"text": " \n\t "}, ("text", "error.required")),
        ({"significance": "   "}, ("significance", "error.required")),
        ({"text": "x" * (MAX_TEXT + 1)}, ("text", "error.too_long")),
        ({"text": "x" * 100_000}, ("text", "error.too_long")),
        ({"title": "t" * 201}, ("title", "error.too_long")),
        ({"text": "nul\x00byte"}, ("text", "error.control_characters")),
        ({"text": "bell\x07"}, ("text", "error.control_characters")),
        ({"text": "lone \ud800 surrogate"}, ("text", "error.invalid_characters")),
        ({"teller_pseudonym": "Mads Jensen"}, ("teller_pseudonym", "error.pseudonym")),
        ({"teller_role": "boss"}, ("teller_role", "error.choice")),
        ({"polarity": "happy"}, ("polarity", "error.choice")),
        ({"language": "sv"}, ("language", "error.choice")),
        ({"teller_mechanism": "magic"}, ("teller_mechanism", "error.choice")),
        ({"happened_on": "31-02-2026"}, ("happened_on", "error.date")),
        ({"happened_on": "2999-01-01"}, ("happened_on", "error.future_date")),
        ({"period_start": "2026-02-01", "period_end": "2026-01-01"}, ("period_end", "error.period_order")),
        ({"consent": Consent(internal=True, teller_under_15=True)}, ("consent", "error.guardian_required")),
        ({"extra": {"k" * 65: "v"}}, ("extra", "error.extra_value")),
    ],
)
def test_bad_input_is_named(fields, expected):
    assert expected in errors_of(story(**fields))


def test_every_problem_is_reported_at_once():
    found = errors_of(story(text="", significance="", teller_pseudonym="nope"))
    assert {f for f, _ in found} == {"text", "significance", "teller_pseudonym"}


def test_consent_required_for_forms():
    assert ("consent", "error.consent_required") in errors_of(story(), require_consent=True)
    validate(story(consent=Consent(internal=True)), require_consent=True)


def test_significance_optional_for_import():
    assert validate(story(significance=""), require_significance=False).significance == ""


def test_normalises_but_keeps_the_text():
    text = "  Første linje\r\nAnden linje 😀 עברית <i>x</i>  "
    out = validate(story(text=text, teller_pseudonym=" U-0142 "))
    assert out.text == "Første linje\nAnden linje 😀 עברית <i>x</i>"
    assert out.teller_pseudonym == "U-0142"


@pytest.mark.parametrize("code", ["U-0142", "S-02", "ung-123456", "P-0301"])
def test_pseudonym_codes_accepted(code):
    assert validate(story(teller_pseudonym=code)).teller_pseudonym == code


def test_today_is_fine():
    assert validate(story(happened_on=dt.date.today().isoformat())).happened_on
