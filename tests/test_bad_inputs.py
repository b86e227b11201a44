"""A corpus of bad inputs through submit, import, search and sign-in.

Each is refused with a clear message (a UserError naming the field and the reason) or
stored and shown back exactly as it was written, as text.
"""

import csv
import io

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from stories.trust import accounts
from stories.trust.accounts import AccountError, LoginFailed, add_user, authenticate
from changestories.database import connect
from stories.errors import UserError
from stories.importer import ImportFailed, import_file
from stories.model import Consent, Story
from stories.storage import create_story, get_story
from stories.visibility import StoryFilter
from stories.search import query_stories
from stories.validation import StoryInvalid
from tests.conftest import ROOT

# Stored exactly: markup, scripts, SQL and template syntax are just text in a story.
KEPT = {
    "sql_quote": "'); DROP TABLE stories; --",
    "sql_or": "1' OR '1'='1",
    "sql_comment": "Mads /* kommentar */ kom; SELECT * FROM users",
    "html_script": "<script>alert(1)</script>",
    "html_img": "<img src=x onerror=alert(1)>",
    "markdown_link": "[x](javascript:alert(1))",
    "markdown_html": "**fed** <b>fed</b> :red[rød] $x^2$",
    "template": "{{7*7}} ${7*7} %s %n {0}",
    "formula": "=HYPERLINK(\"http://example.invalid\",\"klik\")",
    "fts_syntax": "NEAR(\"huset\" venner) AND * OR \"",
    "unicode": "Ærø 👩‍👧 e\u0301 \u202eomvendt\u202c zero\u200bwidth",
    "tabs_lines": "første linje\n\tanden linje med tab",
    "backslashes": "C:\\Users\\x\\n \\x00 \\u0000",
}
# Refused: the field and the message key it is refused with.
REFUSED = {
    "nul_byte": ("Hej\x00verden", "text", "error.control_characters"),
    "bell": ("Hej\x07verden", "text", "error.control_characters"),
    "escape_sequence": ("\x1b[31mrød\x1b[0m tekst", "text", "error.control_characters"),
    "c1_control": ("Hej\x85verden", "text", "error.control_characters"),
    "lone_surrogate": ("Hej \ud800 verden", "text", "error.invalid_characters"),
    "one_megabyte": ("a" * 1_000_000, "text", "error.too_long"),
}
LONG_NAMES = {
    "teller_pseudonym": "UNG-" + "1" * 300,
    "recorded_by": "Mads " * 100,
    "site": "Nordvest" * 100,
    "title": "T" * 10_000,
}


def story(text="En helt almindelig historie.", **fields) -> Story:
    return Story(text=text, significance="Det betød noget.", consent=Consent(internal=True), **fields)


@pytest.mark.parametrize("name", sorted(KEPT))
def test_submit_stores_and_returns_exactly(db, name):
    value = KEPT[name]
    stored = create_story(db, Story(text=value, title=value[:200], significance=value))
    again = get_story(db, stored.id)
    assert (again.text, again.title, again.significance) == (value, value[:200], value)
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1  # no injection took effect


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_submit_refuses_with_a_clear_message(db, name):
    value, field, key = REFUSED[name]
    with pytest.raises(StoryInvalid) as refused:
        create_story(db, story(value))
    assert (field, key) in {(e.field, e.key) for e in refused.value.errors}
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


@pytest.mark.parametrize("field", sorted(LONG_NAMES))
def test_very_long_names_are_refused(db, field):
    with pytest.raises(StoryInvalid) as refused:
        create_story(db, story(**{field: LONG_NAMES[field]}))
    assert field in {e.field for e in refused.value.errors}


def csv_bytes(value: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text", "site"])
    writer.writerow([value, "Nord"])
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


@pytest.mark.parametrize("name", sorted(KEPT))
def test_import_stores_exactly(db, tmp_path, name):
    value = KEPT[name].replace("\n", " ")  # one line per row keeps the sniffer out of it
    path = tmp_path / "in.csv"
    path.write_bytes(csv_bytes(value))
    assert import_file(db, path).added == 1
    assert [s.text for s in query_stories(db)] == [value]


@pytest.mark.parametrize("name", sorted(set(REFUSED) - {"lone_surrogate"}))
def test_import_refuses_with_a_clear_message(db, tmp_path, name):
    value = REFUSED[name][0]
    path = tmp_path / "in.csv"
    path.write_bytes(csv_bytes(value))
    with pytest.raises(UserError) as refused:
        import_file(db, path)
    assert str(refused.value)  # a message, one line
    assert "\n" not in str(refused.value)
    if isinstance(refused.value, ImportFailed):
        assert refused.value.report.errors[0].line == 2
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


def test_import_of_invalid_utf8_stores_valid_text_only(db, tmp_path):
    """A lone surrogate cannot be in a UTF-8 file; its bytes make the file Windows-1252."""
    path = tmp_path / "in.csv"
    path.write_bytes(csv_bytes(REFUSED["lone_surrogate"][0]))
    assert import_file(db, path).added == 1
    (stored,) = query_stories(db)
    assert stored.text == "Hej \xed\xa0\u20ac verden"
    stored.text.encode("utf-8")


@pytest.mark.parametrize("query", [*KEPT.values(), *(v for v, _, _ in REFUSED.values()), "", "   ", "*", '"'])
def test_search_never_fails(db, query):
    create_story(db, story("Vi lavede mad i huset."))
    create_story(db, story(KEPT["html_img"]))
    found = query_stories(db, StoryFilter(search=query))
    assert all(isinstance(s, Story) for s in found)
    assert len(found) <= 2


def test_search_finds_text_inside_markup(db):
    stored = create_story(db, story(KEPT["html_img"]))
    assert [s.id for s in query_stories(db, StoryFilter(search="onerror"))] == [stored.id]


@pytest.mark.parametrize("name,password", [
    ("anna\x00", "en lang og god adgangskode"),
    ("a" * 1_000_000, "en lang og god adgangskode"),
    ("anna", "surrogat \ud800 i koden"),
    ("anna", "x" * 1_000_000),
    ("' OR 1=1 --", "' OR 1=1 --"),
    ("\ud800", ""),
])
def test_sign_in_refuses_bad_input_plainly(db, monkeypatch, name, password):
    monkeypatch.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    add_user(db, "anna", "staff", "en lang og god adgangskode")
    with pytest.raises(LoginFailed):
        authenticate(db, name, password)


@pytest.mark.parametrize("password", ["surrogat \ud800 i koden", "null\x00byte i koden"])
def test_bad_passwords_are_refused_at_creation(db, password):
    with pytest.raises(AccountError) as refused:
        add_user(db, "anna", "staff", password)
    assert refused.value.key == "trust.error.password_invalid"


def test_stories_are_shown_back_exactly_as_text_in_the_app(db_path):
    db = connect(db_path)
    for value in KEPT.values():
        create_story(db, story(value, teller_pseudonym="UNG-0001"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/admin.py").run()
    at.text_input(key="trust_teller").input("UNG-0001").run()
    assert not at.exception
    shown = [t.value for t in at.text]
    for value in KEPT.values():
        assert value in shown
    assert not [m for m in at.markdown if "onerror" in m.value or "javascript" in m.value]
