"""Export first names used outside Denmark from Faker into stories/privacy/data/first_names_faker.txt.

DaCy's list (Danmarks Statistik) lacks many first names young people and news text carry
("Mario", "Katie", "Pablo"): out-of-fold on train, such names were among the names missed.
Faker (MIT licence) ships first-name lists per locale; this script takes those of the
locales below (Latin script), leaves out what DaCy's list already has and every name that is
also a common word (wordfreq Zipf >= MAX_ZIPF in Danish or English: "Hope", "Grace", "Dan"; names
themselves are frequent in web text, "Mario" is 4.1, so the bar is high; the rules treat the rest of
the names that are also words with care, see ``names.EN_NAME_WORDS``), and writes the rest, one per
line. Faker is needed only to run this script and by augment.py at training time (``locale_names``:
first and last names per locale, swapped into train sentences), not by the app.

    .venv/bin/python training/ner/foreign_names.py
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from stories.privacy.names import FOREIGN_FIRST_NAMES_FILE, name_list  # noqa: E402

LOCALES = ("en_US", "en_GB", "de_DE", "sv_SE", "no_NO", "nl_NL", "fr_FR", "es_ES", "it_IT", "pt_PT",
           "pl_PL", "ro_RO", "tr_TR", "hr_HR", "lt_LT", "fi_FI", "is_IS", "hu_HU", "cs_CZ")
# Exported into the names list only (augment.py's training swaps keep to LOCALES, as the shipped NER
# model was trained): more of the countries young people in Denmark come from, Latin script, and
# Faker's romanised Japanese and Chinese first names ("Kenji", "Yuki", "Jing").
LIST_ONLY_LOCALES = ("sk_SK", "sl_SI", "lv_LV", "et_EE", "en_IE", "ga_IE", "az_AZ", "uz_UZ", "en_IN", "en_PK",
                     "en_TH", "id_ID", "vi_VN", "sw", "en_KE", "ha_NG", "ig_NG", "yo_NG", "tw_GH", "zu_ZA", "ja_JP",
                     "zh_CN")
MAX_ZIPF = 4.5
_LATIN_NAME_RE = re.compile(r"^[A-ZÀ-ÖØ-ÞŁŚŠŽČĆŻŹĐİŞĞ][a-zß-öø-ÿłśšžčćżźđışğăâîțșőű]+$")


def first_names(locale: str) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    out: set[str] = set()
    for attr in ("first_names", "first_names_male", "first_names_female", "first_names_unisex",
                 "first_romanized_names"):
        names = getattr(provider, attr, ())
        out.update(names.keys() if isinstance(names, dict) else names)
    return out


def last_names(locale: str) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    out: set[str] = set()
    for attr in ("last_names", "last_names_male", "last_names_female", "male_last_names", "unisex_last_names"):
        names = getattr(provider, attr, ())
        out.update(names.keys() if isinstance(names, dict) else names)
    return out


def locale_names() -> dict[str, tuple[list[str], list[str]]]:
    """Per locale: Faker's (first names, last names), one-word Latin-script names only, sorted.

    Used at training time by augment.py (names from other countries swapped into train sentences).
    """
    from wordfreq import zipf_frequency

    def ok(name: str) -> bool:  # not a common word ("Seven", "Young"): the swaps teach names, not words
        return bool(_LATIN_NAME_RE.match(name)) and all(zipf_frequency(name.lower(), lang) < MAX_ZIPF
                                                         for lang in ("da", "en"))

    out = {}
    for locale in LOCALES:
        first = sorted(n for n in first_names(locale) if ok(n))
        last = sorted(n for n in last_names(locale) if ok(n))
        if first and len(last) >= 20:
            out[locale] = (first, last)
    return out


def main() -> None:
    import faker
    from wordfreq import zipf_frequency

    FOREIGN_FIRST_NAMES_FILE.unlink(missing_ok=True)  # the names list without this file's names
    listed = name_list()
    keep = set()
    for locale in (*LOCALES, *LIST_ONLY_LOCALES):
        for name in first_names(locale):
            if not _LATIN_NAME_RE.match(name) or name in listed:
                continue
            if any(zipf_frequency(name.lower(), lang) >= MAX_ZIPF for lang in ("da", "en")):
                continue
            keep.add(name)
    header = [
        f"# First names from Faker {faker.VERSION} (MIT licence, https://github.com/joke2k/faker), locales",
        f"# {', '.join((*LOCALES, *LIST_ONLY_LOCALES))};",
        f"# not in DaCy's list, not common words (wordfreq Zipf < {MAX_ZIPF} in Danish and English).",
        "# Written by training/ner/foreign_names.py; each counts as a name carried by one person in Denmark.",
        "# Licence: first_names_faker.LICENSE.txt.",
    ]
    FOREIGN_FIRST_NAMES_FILE.write_text("\n".join([*header, *sorted(keep)]) + "\n", encoding="utf-8")
    print(f"{FOREIGN_FIRST_NAMES_FILE}: {len(keep)} names")


if __name__ == "__main__":
    main()
