"""Tests for personal-data detection and pseudonymisation (stories/privacy.py).

All names, numbers and addresses below are fictional.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from stories.privacy import detection as privacy
from stories.privacy.pii_rules import valid_cpr_date
from stories.privacy.detection import Finding, find_personal_data, findings_to_json, pseudonymise
from stories.privacy.evaluation import evaluate_person_detection, read_iob2

DEV_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "uner-da"


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    findings = find_personal_data(text)
    for f in findings:
        assert text[f.start:f.end] == f.text
    return [(f.kind, f.text) for f in findings]


def assert_well_formed(text: str, findings: list[Finding]) -> None:
    assert findings == sorted(findings, key=lambda f: f.start)
    for a, b in zip(findings, findings[1:]):
        assert a.end <= b.start, (a, b)
    for f in findings:
        assert f.kind in privacy.KINDS
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text


# --- structured data -------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("cpr 010203-1234 står her", "010203-1234"),
    ("cpr 0102031234 står her", "0102031234"),
    ("CPR-nr.: 311299-4321.", "311299-4321"),
    ("født 290200-1111", "290200-1111"),  # 29 February 2000
])
def test_cpr_found(text, expected):
    assert ("cpr", expected) in kinds_and_texts(text)


@pytest.mark.parametrize("text", [
    "sagsnummer 321399-1234",   # month 13
    "sagsnummer 320199-1234",   # day 32
    "sagsnummer 300299-1234",   # 30 February
    "sagsnummer 290299-1234",   # 29 February in a non-leap year
    "sagsnummer 000199-1234",   # day 0
    "ordre 12345678901",        # too many digits
])
def test_invalid_cpr_not_flagged(text):
    assert [k for k, _ in kinds_and_texts(text) if k == "cpr"] == []


def test_valid_cpr_date():
    assert valid_cpr_date(29, 2, 4) and not valid_cpr_date(29, 2, 3)
    assert valid_cpr_date(31, 12, 99) and not valid_cpr_date(31, 4, 99)


@pytest.mark.parametrize("text, expected", [
    ("ring på 22 33 44 55 i dag", "22 33 44 55"),
    ("ring på 2233 4455 i dag", "2233 4455"),
    ("ring på 22334455 i dag", "22334455"),
    ("ring på +45 22 33 44 55 i dag", "+45 22 33 44 55"),
    ("ring på +4522334455 i dag", "+4522334455"),
    ("ring på 0045 2233 4455 i dag", "0045 2233 4455"),
    ("ring på 22-33-44-55 i dag", "22-33-44-55"),
    ("tlf.: 88 77 66 55.", "88 77 66 55"),
])
def test_phone_found(text, expected):
    assert kinds_and_texts(text) == [("phone", expected)]


@pytest.mark.parametrize("text", [
    "Det kostede 1.250.000 kr. i 2023.",
    "Mødet er 2024-05-17 kl. 10.",
    "Der var 22 33 44 55 66 77 deltagere i alt.",  # longer digit run
    "Projektet kørte i perioden 2019-2021.",
])
def test_non_phone_numbers_not_flagged(text):
    assert kinds_and_texts(text) == []


@pytest.mark.parametrize("text, expected", [
    ("skriv til mads.jensen@example.dk i morgen", "mads.jensen@example.dk"),
    ("mail: anna+skole@børnehus.dk.", "anna+skole@børnehus.dk"),
    ("(kontakt@forening.example.org)", "kontakt@forening.example.org"),
])
def test_email_found(text, expected):
    assert kinds_and_texts(text) == [("email", expected)]


@pytest.mark.parametrize("text, expected", [
    ("Hun bor på Nørrebrogade 12 nu.", "Nørrebrogade 12"),
    ("Adressen er Jagtvej 12B, 2. th. hos moren.", "Jagtvej 12B, 2. th."),
    ("Send det til Vesterbrogade 3, 1620 København V i dag.", "Vesterbrogade 3, 1620 København V"),
    ("De flyttede til Gammel Kongevej 5, st. tv., 1610 København V.", "Gammel Kongevej 5, st. tv., 1610 København V"),
    ("Mødet var på H.C. Andersens Boulevard 27.", "H.C. Andersens Boulevard 27"),
    ("I Kongens Have 4 er der fest.", "Kongens Have 4"),
    ("Vi ses på Rådhuspladsen 1 i morgen.", "Rådhuspladsen 1"),
    ("Han bor på Skovvænget 7, 8000 Aarhus C.", "Skovvænget 7, 8000 Aarhus C"),
])
def test_address_found(text, expected):
    assert ("address", expected) in kinds_and_texts(text)


def test_acceptance_example():
    text = "Mads Jensen, cpr 010203-1234, tlf. 22 33 44 55, bor på Nørrebrogade 12"
    findings = find_personal_data(text)
    assert_well_formed(text, findings)
    assert [f.kind for f in findings] == ["person", "cpr", "phone", "address"]
    person, cpr, phone, address = findings
    assert person.start <= 0 and person.end >= len("Mads Jensen")
    assert (cpr.text, phone.text, address.text) == ("010203-1234", "22 33 44 55", "Nørrebrogade 12")
    assert pseudonymise(text, findings) == "[Person 1], cpr [CPR], tlf. [Telefon], bor på [Adresse]"


# --- names -----------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("I går mødte jeg Sofie Nielsen i klubben.", "Sofie Nielsen"),
    ("Bagefter sagde Jonas, at han ville komme igen.", "Jonas"),
    ("Det fortalte Peter Hansen til mødet.", "Peter Hansen"),
])
def test_person_names_found(text, name):
    persons = [t for k, t in kinds_and_texts(text) if k == "person"]
    assert any(name in p for p in persons), persons


def test_plain_text_without_personal_data():
    text = "Vi spiste frokost og gik en tur i parken bagefter."
    assert find_personal_data(text) == []
    assert pseudonymise(text) == text


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_input(text):
    assert find_personal_data(text) == []
    assert pseudonymise(text) == text


# --- pseudonymisation ------------------------------------------------------

def F(text: str, sub: str, kind: str, nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Finding(start, start + len(sub), kind, sub)


def test_pseudonymise_consistent_numbers():
    text = "Mads Jensen mødte Sara. Mads var glad, og Sara smilede. Mads' mor ringede."
    findings = [F(text, "Mads Jensen", "person"), F(text, "Sara", "person"),
                F(text, "Mads", "person", 1), F(text, "Sara", "person", 1), F(text, "Mads'", "person")]
    assert pseudonymise(text, findings) == (
        "[Person 1] mødte [Person 2]. [Person 1] var glad, og [Person 2] smilede. [Person 1] mor ringede.")


def test_pseudonymise_surname_and_possessive():
    text = "Anna Holm og Peter Berg. Holms bror kender Peter."
    findings = [F(text, "Anna Holm", "person"), F(text, "Peter Berg", "person"),
                F(text, "Holms", "person"), F(text, "Peter", "person", 1)]
    assert pseudonymise(text, findings) == "[Person 1] og [Person 2]. [Person 1] bror kender [Person 2]."


def test_pseudonymise_labels_and_language():
    text = "Ring 22 33 44 55 eller skriv til x@example.dk, cpr 010203-1234, Jagtvej 12."
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["phone", "email", "cpr", "address"]
    assert pseudonymise(text) == "Ring [Telefon] eller skriv til [E-mail], cpr [CPR], [Adresse]."
    assert pseudonymise(text, lang="en") == "Ring [Phone] eller skriv til [E-mail], cpr [CPR], [Address]."


def test_pseudonymise_detects_names_in_text():
    text = "I går mødte jeg Sofie Nielsen. Senere ringede Sofie igen."
    out = pseudonymise(text)
    assert "Sofie" not in out and "Nielsen" not in out
    assert out.count("[Person 1]") == 2
    assert out.startswith("I går mødte jeg [Person 1].")


@pytest.mark.parametrize("text, name", [
    ("😀🎉 Jeg snakkede med Sofie Nielsen 👩‍👩‍👧 i dag 🙂", "Sofie Nielsen"),
    ("مرحبا! I dag kom Sofie Nielsen forbi. שלום", "Sofie Nielsen"),
    ("\u200fI dag kom \u202bSofie Nielsen\u202c forbi.", "Sofie Nielsen"),
    ("<p>I dag kom <b>Sofie Nielsen</b> forbi &amp; sagde hej.</p>", "Sofie Nielsen"),
    ("<p>I&nbsp;dag kom Sofie&nbsp;Nielsen forbi.</p>", "Sofie&nbsp;Nielsen"),
])
def test_offsets_with_emoji_rtl_and_html(text, name):
    findings = find_personal_data(text)
    assert_well_formed(text, findings)
    persons = [f for f in findings if f.kind == "person"]
    assert [f.text for f in persons] == [name]
    assert pseudonymise(text, findings) == text.replace(name, "[Person 1]")


def test_structured_data_inside_html_and_emoji():
    text = '<a href="mailto:sofie@example.dk">📧</a> ☎️ 22 33 44 55 🏠 Jagtvej 12'
    findings = find_personal_data(text)
    assert_well_formed(text, findings)
    assert [f.kind for f in findings] == ["email", "phone", "address"]
    assert pseudonymise(text, findings) == '<a href="mailto:[E-mail]">📧</a> ☎️ [Telefon] 🏠 [Adresse]'


def test_overlapping_findings_are_not_doubled():
    text = "Mads Jensen"
    findings = [Finding(0, 11, "person", "Mads Jensen"), Finding(5, 11, "person", "Jensen")]
    assert pseudonymise(text, findings) == "[Person 1]"


def test_findings_to_json():
    findings = [Finding(0, 3, "person", "Søs"), Finding(10, 21, "cpr", "010203-1234")]
    data = json.loads(findings_to_json(findings))
    assert data == [{"start": 0, "end": 3, "kind": "person", "text": "Søs"},
                    {"start": 10, "end": 21, "kind": "cpr", "text": "010203-1234"}]
    assert "Søs" in findings_to_json(findings)  # ensure_ascii=False


# --- model loading ---------------------------------------------------------

def test_model_loaded_once():
    privacy._detector.cache_clear()
    find_personal_data("Sofie Nielsen kom forbi.")
    find_personal_data("Jonas Holm kom forbi.")
    assert privacy._detector.cache_info().misses == 1


def test_missing_model_falls_back_to_rules(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(privacy, "MODEL_DIR", tmp_path / "no_model")
    privacy._detector.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="stories.privacy.detection"):
            text = "Mads Jensen, cpr 010203-1234, bor på Nørrebrogade 12. I går mødte jeg Sofie Nielsen."
            findings = find_personal_data(text)
        assert not privacy.model_available()
        assert any("rules only" in r.getMessage() for r in caplog.records)
        assert_well_formed(text, findings)
        kinds = [f.kind for f in findings]
        assert "cpr" in kinds and "address" in kinds
        assert any(f.kind == "person" and "Sofie Nielsen" in f.text for f in findings)
    finally:
        privacy._detector.cache_clear()


def test_privacy_module_does_not_import_streamlit():
    src = Path(privacy.__file__).read_text(encoding="utf-8")
    assert "streamlit" not in src


# --- measured on the shared dev split --------------------------------------

@pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
    "known shortfall (issue 10): with thresholds and the learned second stage chosen by cross-validation "
    "on train instead of on dev, dev gives recall 0.910 (below the 0.95 target) and precision 0.830 (measured once, 2026-12-02, after the stage was re-fitted); "
    "strict, so the test fails again once the target is reached and the mark must go"))
def test_dev_name_recall_and_token_precision():
    dev_file = DEV_DIR / "da_ddt-ud-dev.iob2"
    if not dev_file.is_file():
        pytest.skip(f"shared dev data not found in {DEV_DIR}")
    if not privacy.model_available():
        pytest.skip("NER model not installed in models/ner_da/")
    sentences = read_iob2(dev_file)

    def detect(text):
        return [(f.start, f.end) for f in find_personal_data(text) if f.kind == "person"]

    result = evaluate_person_detection(sentences, detect)
    assert result["gold_person_spans"] == 166
    assert result["name_recall"] >= 0.95, result["missed"]
    assert result["token_precision"] >= 0.80  # the goal of issue 10


def test_initials_and_sentence_ends():
    text = "Vi mødte K. J. Philipsen i går. Bagefter ringede Sofie Nielsen til ham."
    persons = [t for k, t in kinds_and_texts(text) if k == "person"]
    assert "K. J. Philipsen" in persons and "Sofie Nielsen" in persons


@pytest.mark.parametrize(
    "text,name",
    [
        ("Mads fortalte mig, at han havde det svært.", "Mads"),
        ("Emil er 15 år og bor hos sin mor.", "Emil"),
        ("Ahmed og Fatima kom sammen i dag.", "Ahmed"),
        ("Vi snakkede længe. Sofie smilede bagefter.", "Sofie"),
    ],
)
def test_common_first_names_at_the_start_of_a_sentence(text, name):
    persons = [f.text for f in find_personal_data(text) if f.kind == "person"]
    assert name in persons


@pytest.mark.parametrize("text", ["Hans mor kom også i dag.", "Vi lavede mad i køkkenet. Huset var fyldt."])
def test_ordinary_sentence_openers_are_not_names(text):
    assert [f for f in find_personal_data(text) if f.kind == "person"] == []
