import json
import re

import pytest

from stories.i18n import LANGUAGES, LOCALES_DIR, catalog, t

ROOT = LOCALES_DIR.parents[1]


def test_catalogs_have_the_same_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["da"] - keys["en"] == set(), "keys missing in English"
    assert keys["en"] - keys["da"] == set(), "keys missing in Danish"


def test_catalog_files_pair_up_and_no_key_is_defined_twice():
    for lang in LANGUAGES:
        seen = {}
        for path in sorted((LOCALES_DIR / lang).glob("*.json")):
            for key in json.loads(path.read_text(encoding="utf-8")):
                assert key not in seen, f"{key} in {path.name} and {seen.get(key)}"
                seen[key] = path.name
    assert {p.name for p in (LOCALES_DIR / "da").glob("*.json")} == {p.name for p in (LOCALES_DIR / "en").glob("*.json")}


def test_every_literal_key_in_the_code_exists():
    pattern = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")
    used = set()
    for folder in ("app_pages", "stories", "coding"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in catalog("da"))
    assert missing == []


def test_placeholders_match_between_languages():
    fields = re.compile(r"{(\w+)}")
    for key, da in catalog("da").items():
        assert set(fields.findall(da)) == set(fields.findall(catalog("en")[key])), key


@pytest.mark.parametrize("lang,expected", [("da", "Ny fortælling"), ("en", "New story"), ("xx", "Ny fortælling")])
def test_translate(lang, expected):
    assert t("nav.submit", lang) == expected


def test_unknown_key_falls_back_to_the_key():
    assert t("no.such.key", "en") == "no.such.key"


def test_every_page_and_section_title_in_the_router_exists():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    keys = {k for k in re.findall(r'"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"', source) if not k.endswith(".py")}
    assert keys, "app.py names its page titles by catalog key"
    assert sorted(k for k in keys if k not in catalog("da")) == []
