import datetime as dt

import pytest

from stories import formatting as fmt
from stories.i18n import LANGUAGES, catalog

NOW = dt.datetime(2026, 12, 1, 18, 14, 48, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def copenhagen(monkeypatch):
    monkeypatch.setenv(fmt.TIMEZONE_ENV, "Europe/Copenhagen")


@pytest.mark.parametrize("value,lang,decimals,expected", [
    (0.82, "da", 2, "0,82"),
    (0.82, "en", 2, "0.82"),
    (12345.678, "da", 1, "12.345,7"),
    (12345.678, "en", 1, "12,345.7"),
    (50000, "da", None, "50.000"),
    (50000, "en", None, "50,000"),
    (3, "da", 2, "3,00"),
    (None, "da", 2, "–"),
    (float("nan"), "en", 2, "–"),
])
def test_number(value, lang, decimals, expected):
    assert fmt.number(value, lang, decimals=decimals) == expected


@pytest.mark.parametrize("value,lang,decimals,expected", [
    (0.667, "da", 1, "66,7\xa0%"),
    (0.667, "en", 1, "66.7%"),
    (0.5, "da", 0, "50\xa0%"),
    (1, "en", 0, "100%"),
    (None, "en", 0, "–"),
])
def test_percent(value, lang, decimals, expected):
    assert fmt.percent(value, lang, decimals=decimals) == expected


@pytest.mark.parametrize("value,lang,expected", [
    ("2026-12-01", "da", "1. dec. 2026"),
    ("2026-12-01", "en", "1 Dec 2026"),
    (dt.date(2026, 3, 9), "da", "9. mar. 2026"),
    ("2026-12-31T23:30:00+00:00", "da", "1. jan. 2027"),  # after midnight in Copenhagen
    (None, "da", "–"),
])
def test_date(value, lang, expected):
    assert fmt.date(value, lang) == expected


@pytest.mark.parametrize("lang,expected", [("da", "1. dec. 2026 19.09"), ("en", "1 Dec 2026, 19:09")])
def test_datetime_is_shown_in_the_install_time_zone(lang, expected):
    assert fmt.datetime("2026-12-01T18:09:48+00:00", lang) == expected


def test_datetime_follows_the_configured_time_zone(monkeypatch):
    monkeypatch.setenv(fmt.TIMEZONE_ENV, "America/New_York")
    assert fmt.datetime("2026-12-01T18:09:48+00:00", "en") == "1 Dec 2026, 13:09"


def test_an_unknown_time_zone_falls_back_to_copenhagen(monkeypatch):
    monkeypatch.setenv(fmt.TIMEZONE_ENV, "Mars/Olympus")
    assert fmt.datetime("2026-12-01T18:09:48+00:00", "en") == "1 Dec 2026, 19:09"


@pytest.mark.parametrize("moment,lang,expected", [
    ("2026-12-01T18:09:48+00:00", "da", "for 5 minutter siden"),
    ("2026-12-01T18:09:48+00:00", "en", "5 minutes ago"),
    ("2026-11-28T18:14:48+00:00", "da", "for 3 dage siden"),
    ("2026-12-01T20:14:48+00:00", "en", "in 2 hours"),
])
def test_relative(moment, lang, expected):
    assert fmt.relative(moment, lang, now=NOW) == expected


@pytest.mark.parametrize("n,lang,expected", [
    (1, "da", "1 fortælling"),
    (2, "da", "2 fortællinger"),
    (0, "da", "0 fortællinger"),
    (1200, "da", "1.200 fortællinger"),
    (1, "en", "1 story"),
    (2, "en", "2 stories"),
    (1200, "en", "1,200 stories"),
    (1, "da", "1 uenighed"),
])
def test_plural(n, lang, expected):
    key = "count.disagreements" if expected.endswith("uenighed") else "count.stories"
    assert fmt.plural(key, n, lang) == expected


def test_every_plural_key_has_an_other_form():
    for lang in LANGUAGES:
        keys = [k for k in catalog(lang) if "#" in k]
        assert keys
        for key in keys:
            base, _, form = key.partition("#")
            assert form in ("zero", "one", "two", "few", "many", "other"), key
            assert f"{base}#other" in catalog(lang), key


@pytest.mark.parametrize("n_bytes,lang,expected", [
    (1_234_567, "da", "1,2 MB"),
    (1_234_567, "en", "1.2 MB"),
    (2_500_000_000, "da", "2,5 GB"),
    (4_200, "en", "4.2 kB"),
    (512, "da", "512 B"),
    (None, "en", "–"),
])
def test_file_size(n_bytes, lang, expected):
    assert fmt.file_size(n_bytes, lang) == expected


@pytest.mark.parametrize("lang,expected", [("da", ",."), ("en", ".,")])
def test_plotly_separators(lang, expected):
    assert fmt.plotly_separators(lang) == expected


@pytest.mark.parametrize("key,n,lang,expected", [
    ("coding.agreement.n_disagreements", 1, "da", "1 uenighed"),
    ("coding.agreement.n_disagreements", 3, "da", "3 uenigheder"),
    ("coding.agreement.n_disagreements", 1, "en", "1 disagreement"),
    ("coding.agreement.n_disagreements", 3, "en", "3 disagreements"),
    ("coding.code.coders_done", 1, "da", "kodet færdigt af 1 koder"),
    ("coding.code.coders_done", 2, "da", "kodet færdigt af 2 kodere"),
    ("coding.code.coders_done", 0, "en", "finished by 0 coders"),
    ("coding.agreement.hidden#one", 1, "en", None),
])
def test_plural_entries_of_the_pages(key, n, lang, expected):
    if expected is None:  # every plural entry has both forms in both languages
        base = key.split("#")[0]
        assert all(f"{base}#{form}" in catalog(language) for form in ("one", "other") for language in LANGUAGES)
    else:
        assert fmt.plural(key, n, lang) == expected


def test_no_catalog_entry_writes_a_plural_by_hand():
    hand_written = ("(er)", "(e)", "(s)", "(ies)", "(r)")
    found = [(lang, key) for lang in LANGUAGES for key, text in catalog(lang).items()
             if any(mark in text for mark in hand_written)]
    assert found == []


@pytest.mark.parametrize("lang,expected", [("da", "DD.MM.YYYY"), ("en", "DD/MM/YYYY")])
def test_date_input_format_follows_the_languages_short_date(lang, expected):
    assert fmt.date_input_format(lang) == expected
