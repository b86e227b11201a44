"""UI strings: one catalog per language, Danish by default, English on request.

A catalog is the folder `locales/<lang>/`; each area keeps its strings in its own file
there (core.json, coding.json, ...), and the files are merged. A key may live in one
file only, and every language must have the same keys (a test checks both).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"


class DuplicateKey(ValueError):
    """A message key is defined in two files of the same catalog."""


@functools.lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise DuplicateKey(f"{key} in {path.name} is also in another {lang} file")
            merged[key] = value
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The message for `key` in `lang` (falling back to Danish, then the key itself)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**params) if params else text


def choice_label(kind: str, value: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Label of a fixed choice, e.g. choice_label("teller_role", "staff", "en")."""
    if not value:
        return t("choice.none", lang)
    return t(f"{kind}.{value}", lang)


def error_message(exc: BaseException, lang: str = DEFAULT_LANGUAGE) -> str:
    """A user error as one line in `lang`: from the catalogs when it carries a message `key`
    (limits shown as numbers of that language, e.g. 50.000), else its own first line."""
    key = getattr(exc, "key", None)
    if isinstance(key, str) and key in catalog(DEFAULT_LANGUAGE):
        params = dict(getattr(exc, "params", None) or {})
        if key.startswith("limit.") and isinstance(params.get("max"), int):
            from babel.numbers import format_decimal

            params["max"] = format_decimal(params["max"], locale=lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
        text = t(key, lang, **params)
    else:
        text = str(exc)
    lines = text.strip().splitlines()
    return lines[0] if lines else type(exc).__name__
