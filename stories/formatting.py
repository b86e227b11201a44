"""Numbers, percentages, dates, times and plurals as people read them, in Danish or English.

Everything here goes through Babel (CLDR data): "0,82" and "66,7 %" in Danish, "0.82" and
"66.7%" in English; dates and times in the install's time zone (`CHANGESTORIES_TIMEZONE`,
default Europe/Copenhagen); relative times ("for 5 minutter siden"); and plural forms chosen
by the language's CLDR plural rule from catalog keys written `KEY#one` / `KEY#other`.
No page formats a number or a time by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from stories.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalog, t

TIMEZONE_ENV = "CHANGESTORIES_TIMEZONE"
DEFAULT_TIMEZONE = "Europe/Copenhagen"
# The Babel locale of each UI language: Danish as in Denmark, English as in the UK (day before month).
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}


def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang if lang in LANGUAGES else DEFAULT_LANGUAGE))


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def install_timezone() -> ZoneInfo:
    """The install's time zone: $CHANGESTORIES_TIMEZONE, else Europe/Copenhagen."""
    return _zone((os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE).strip() or DEFAULT_TIMEZONE)


def number(value: float | int | None, lang: str = DEFAULT_LANGUAGE, *, decimals: int | None = None,
           missing: str = "–") -> str:
    """A number with the language's separators: 12.345,6 (da) / 12,345.6 (en); `decimals` fixes the digits."""
    if value is None or value != value:  # None or NaN
        return missing
    if decimals is None:
        return babel_numbers.format_decimal(value, locale=_locale(lang))
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=_locale(lang), decimal_quantization=True)


def percent(fraction: float | None, lang: str = DEFAULT_LANGUAGE, *, decimals: int = 0, missing: str = "–") -> str:
    """A share (0.667) as a percentage: "67 %" (da) / "67%" (en); `decimals` adds digits ("66,7 %")."""
    if fraction is None or fraction != fraction:
        return missing
    locale = _locale(lang)
    base = locale.percent_formats[None].pattern  # "#,##0 %" (da), "#,##0%" (en)
    integer, _, rest = base.partition("0")
    pattern = integer + "0." + "0" * decimals + rest if decimals > 0 else base
    return babel_numbers.format_percent(fraction, format=pattern, locale=locale, decimal_quantization=True)


def _aware(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)  # stored times are UTC
    return value.astimezone(install_timezone())


def date(value: dt.date | dt.datetime | str | None, lang: str = DEFAULT_LANGUAGE, *, format: str = "medium",
         missing: str = "–") -> str:
    """A date: "1. dec. 2026" (da, medium) / "1 Dec 2026" (en); short, medium, long or full."""
    if value in (None, ""):
        return missing
    if isinstance(value, str):
        text = value.strip()
        value = dt.date.fromisoformat(text[:10]) if len(text) <= 10 else _aware(text)
    if isinstance(value, dt.datetime):
        value = _aware(value).date()
    return babel_dates.format_date(value, format=format, locale=_locale(lang))


class UnreadableDate(ValueError):
    """A typed date that is not a day, month and year in the language's order."""


def parse_date(text: str, lang: str = DEFAULT_LANGUAGE) -> dt.date | None:
    """A date as a person types it, in the language's order: "1.12.2026", "01-12-26", "1/12/2026" (da and en:
    day first); ISO "2026-12-01" too. Empty text is None; anything else raises UnreadableDate."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if len([part for part in "".join(c if c.isdigit() else " " for c in text).split()]) != 3:
        raise UnreadableDate(text)
    try:
        return babel_dates.parse_date(text, locale=_locale(lang), format="short")
    except (ValueError, IndexError) as exc:
        raise UnreadableDate(text) from exc


class UnreadableTime(ValueError):
    """A typed time of day that is not hours (0-23) and minutes (0-59)."""


def parse_time(text: str) -> dt.time | None:
    """A time of day as a person types it: "16:00", "16.00" (Danish), "16", "9.5" is refused, "0930".
    Empty text is None; anything else raises UnreadableTime."""
    text = (text or "").strip()
    if not text:
        return None
    parts = text.replace(".", ":").split(":")
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) in (3, 4):
        parts = [parts[0][:-2], parts[0][-2:]]
    if len(parts) == 1:
        parts.append("00")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[1]) != 2 or len(parts[0]) > 2:
        raise UnreadableTime(text)
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise UnreadableTime(text)
    return dt.time(hour, minute)


def time_of_day(value: dt.time, lang: str = DEFAULT_LANGUAGE) -> str:
    """A time of day as the language writes it short: "16.00" (da) / "16:00" (en)."""
    return babel_dates.format_time(value, format="short", locale=_locale(lang))


def datetime(value: dt.datetime | str | None, lang: str = DEFAULT_LANGUAGE, *, format: str = "medium",
             missing: str = "–") -> str:
    """A moment in the install's time zone: "1. dec. 2026 19.09" (da) / "1 Dec 2026, 19:09" (en)."""
    if value in (None, ""):
        return missing
    moment = _aware(value)
    locale = _locale(lang)
    day = babel_dates.format_date(moment.date(), format=format, locale=locale)
    clock = babel_dates.format_time(moment, format="short", locale=locale)
    return str(locale.datetime_formats[format]).format(clock, day)  # "{1} {0}": the day, then the time


def relative(value: dt.datetime | str | None, lang: str = DEFAULT_LANGUAGE, *, now: dt.datetime | None = None,
             missing: str = "–") -> str:
    """How long ago (or until): "for 5 minutter siden" (da) / "5 minutes ago" (en)."""
    if value in (None, ""):
        return missing
    moment = _aware(value)
    reference = _aware(now) if now is not None else dt.datetime.now(install_timezone())
    return babel_dates.format_timedelta(moment - reference, add_direction=True, threshold=1.0,
                                        locale=_locale(lang))


def file_size(n_bytes: int | None, lang: str = DEFAULT_LANGUAGE, *, missing: str = "–") -> str:
    """A file's size in decimal units with the language's separators: "1,2 MB" (da) / "1.2 MB" (en)."""
    if n_bytes is None:
        return missing
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if abs(n_bytes) >= size:
            return f"{number(n_bytes / size, lang, decimals=1)} {unit}"
    return f"{number(n_bytes, lang)} B"


def plotly_separators(lang: str = DEFAULT_LANGUAGE) -> str:
    """Plotly's `separators` layout setting for the language: the decimal mark, then the thousands mark."""
    symbols = _locale(lang).number_symbols.get("latn", _locale(lang).number_symbols)
    return symbols["decimal"] + symbols["group"]


def date_input_format(lang: str = DEFAULT_LANGUAGE) -> str:
    """The `format` of st.date_input that matches the language's short date: "DD.MM.YYYY" (da), "DD/MM/YYYY" (en).

    Streamlit accepts the orders YYYY/MM/DD, DD/MM/YYYY and MM/DD/YYYY with "/", "-" or "." between.
    """
    pattern = str(_locale(lang).date_formats["short"].pattern)  # "dd.MM.y" (da_DK), "dd/MM/y" (en_GB)
    separator = next((c for c in pattern if c in "/-."), "/")
    order = [c for c in pattern.lower() if c in "dmy"]
    first = {"d": "DD", "m": "MM", "y": "YYYY"}
    parts = list(dict.fromkeys(first[c] for c in order))
    if parts not in (["YYYY", "MM", "DD"], ["DD", "MM", "YYYY"], ["MM", "DD", "YYYY"]):
        parts = ["DD", "MM", "YYYY"]
    return separator.join(parts)


def plural_form(n: float | int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The CLDR plural category of `n` in `lang`: "one" or "other" for Danish and English."""
    return _locale(lang).plural_form(abs(n))


def plural(key: str, n: int, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The catalog text `KEY#<category>` for `n`, with `{n}` formatted for the language.

    plural("count.stories", 1) -> "1 fortælling"; plural("count.stories", 1200) -> "1.200 fortællinger".
    """
    form = plural_form(n, lang)
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    chosen = f"{key}#{form}" if f"{key}#{form}" in catalog(lang) else f"{key}#other"
    return t(chosen, lang, n=number(n, lang), **params)
