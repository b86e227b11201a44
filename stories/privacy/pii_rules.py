"""Regular-expression detectors for structured personal data in Danish text.

Each detector yields ``(start, end, kind)`` character spans into the text:

* ``cpr``     - Danish CPR numbers, DDMMYY-XXXX or DDMMYYXXXX with a real date
* ``phone``   - Danish 8-digit phone numbers, optionally with +45 / 0045
* ``email``   - e-mail addresses
* ``address`` - street name + house number, optional floor/side, postcode + city
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Span = tuple[int, int, str]

# --- CPR -------------------------------------------------------------------
_CPR_RE = re.compile(r"(?<![\w-])(\d{2})(\d{2})(\d{2})(?:[-\u2010\u2011\u2013]?)(\d{4})(?![\w-])")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def valid_cpr_date(day: int, month: int, year2: int) -> bool:
    """True when DD/MM/YY is a calendar date in some century (1900s or 2000s)."""
    if not 1 <= month <= 12 or day < 1 or day > _DAYS_IN_MONTH[month - 1]:
        return False
    if month == 2 and day == 29:
        # leap in 1900+yy or 2000+yy (year 00 is a leap year as 2000)
        return year2 % 4 == 0
    return True


def find_cpr(text: str) -> Iterator[Span]:
    for m in _CPR_RE.finditer(text):
        dd, mm, yy = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if valid_cpr_date(dd, mm, yy):
            yield m.start(), m.end(), "cpr"


# --- Phone -----------------------------------------------------------------
# 8 digits as 22334455, 22 33 44 55, 2233 4455, 22-33-44-55 or 22.33.44.55
# ("2019-2021" and "24 12 2021" are years and dates, not phone numbers)
_NUMBER = (
    r"(?:\d{8}"
    r"|\d{2}(?P<s>[ .-])\d{2}(?P=s)\d{2}(?P=s)\d{2}"
    r"|\d{4} \d{4})"
)
_PHONE_RE = re.compile(
    r"(?<![\w+])(?<!\d[ .-])"
    r"(?:(?P<prefix>(?:\+|00)45|\(\+?45\))[ .-]?)?"
    r"(?P<num>" + _NUMBER + r")"
    r"(?![\w-])(?![ .-]?\d)"
)


def find_phone(text: str) -> Iterator[Span]:
    for m in _PHONE_RE.finditer(text):
        # Danish subscriber numbers never start with 0 or 1; with an explicit
        # country code we trust the match anyway.
        if m.group("prefix") or m.group("num")[0] not in "01":
            yield m.start(), m.end(), "phone"


# --- E-mail ----------------------------------------------------------------
_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])"
)


def find_email(text: str) -> Iterator[Span]:
    for m in _EMAIL_RE.finditer(text):
        yield m.start(), m.end(), "email"


# --- Street address --------------------------------------------------------
_UP = "A-ZÆØÅÄÖÜÉ"
_LOW = "a-zæøåäöüéèáíóú"
# Compound street names: "Nørrebrogade", "Jagtvej", "Rådhuspladsen", "Amagerbrogade"
_COMPOUND_SUFFIX = (
    r"(?:gade|gaden|vej|vejen|all[ée]|alleen|stræde|strædet|plads|pladsen|torv|torvet"
    r"|boulevard|vænge|vænget|parken|park|have|haven|vang|vangen|bakke|bakken"
    r"|stien|sti|toften|toft|kaj|kajen|dige|diget|gården|løkke|lund|høj|bro|broen)"
)
# Separate-word street types: "H.C. Andersens Boulevard", "Kongens Have", "Sankt Peders Stræde"
_WORD_SUFFIX = r"(?:Gade|Vej|All[ée]|Stræde|Plads|Torv|Boulevard|Vænge|Have|Park|Vang|Bakke|Kaj|Bro)"
_CAP_WORD = rf"[{_UP}][{_LOW}{_UP}.'-]*"
# Words that may stand before a one-word street name: "Gammel Kongevej", "Store Kongensgade"
_MODIFIER = (
    r"(?:Gammel|Gamle|Store|Lille|Ny|Nye|Nørre|Søndre|Østre|Vestre|Nordre|Øster|Vester|Sankt|Skt\."
    r"|Sct\.|Kongens|Dronningens|Prinsens|Lange|Korte|Indre|Ydre|Øvre|Nedre)"
)
_STREET = (
    rf"(?:(?:{_MODIFIER}\s){{0,2}}[{_UP}][{_LOW}-]+{_COMPOUND_SUFFIX}"
    rf"|(?:{_CAP_WORD}\s){{1,3}}{_WORD_SUFFIX})"
)
_HOUSE_NO = r"\d{1,4}(?:(?:[A-Za-z]|\s[A-Z])(?![\w]))?(?:\s?-\s?\d{1,4}(?:[A-Za-z](?![\w]))?)?"
_SIDE = r"(?:th|tv|mf|t\.h|t\.v)\.?"
_FLOOR = (
    rf"(?:(?:\d{{1,2}}\.?|st\.?|stuen|kl\.?|kælderen)\s?(?:sal\.?\s?)?{_SIDE}"
    rf"|\d{{1,2}}\.\s?sal\.?|stuen|kld\.)"
)
_POSTCODE_CITY = rf"\d{{4}}\s(?:{_CAP_WORD})(?:\s(?:[{_UP}]{{1,2}}\b|{_CAP_WORD}))?"
_ADDRESS_RE = re.compile(
    rf"(?<![\w]){_STREET}\s{_HOUSE_NO}"
    rf"(?:,?\s{_FLOOR})?"
    rf"(?:,?\s{_POSTCODE_CITY})?"
    r"(?![\w])"
)


# Capitalised words that may precede a street name but are not part of it
# ("I Kongens Have 4", "Bor Nørregade 3" at the start of a sentence).
_NOT_STREET_WORDS = {
    "I", "På", "Paa", "Til", "Fra", "Ved", "Over", "Under", "Mod", "Bor", "Boede", "Han",
    "Hun", "De", "Vi", "Jeg", "Du", "Den", "Det", "Og", "Eller", "Men", "Hos", "Om", "Efter",
    "Adresse", "Adressen", "Adr.", "Flyttet", "Flytter",
}


def find_address(text: str) -> Iterator[Span]:
    for m in _ADDRESS_RE.finditer(text):
        start, end = m.start(), m.end()
        while True:
            word = re.match(r"\S+\s", text[start:end])
            if not word or word.group().strip() not in _NOT_STREET_WORDS:
                break
            start += word.end()
        if not re.match(_STREET + r"\s", text[start:end]):
            continue
        # a trailing full stop belongs to the sentence unless it closes "th." etc.
        if text[end - 1] == "." and not re.search(rf"{_SIDE}$|\b(?:st|kl|kld|sal)\.$", text[start:end]):
            end -= 1
        yield start, end, "address"


def find_structured(text: str) -> list[Span]:
    """All structured findings, non-overlapping; earlier detectors win ties."""
    spans: list[Span] = []
    for finder in (find_email, find_cpr, find_phone, find_address):
        for s, e, kind in finder(text):
            if not any(s < e2 and s2 < e for s2, e2, _ in spans):
                spans.append((s, e, kind))
    return sorted(spans)
