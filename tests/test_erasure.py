"""Erasure (GDPR art. 17) and access (art. 15) for one teller, by function and by command line."""

import json
import subprocess
import sys

import pytest

from stories.trust import audit
from changestories.database import connect
from stories.trust.erasure import NoTeller, dependent_tables, erase_teller, teller_report, write_teller_report
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.privacy.pseudonymised import Correction
from stories.privacy.corrections import save_corrections
from stories.storage import create_story, delete_story, get_story, story_seq, withdraw_consent
from tests.conftest import ROOT

ADMIN = Actor("chef", "admin")
MARKER = "Kvistrupqz"  # a fictional surname that appears nowhere else
TELLER = "UNG-0007"


def tell(db, text, pseudonym=TELLER, **kwargs):
    return create_story(db, Story(text=text, significance="Det betød noget.", teller_pseudonym=pseudonym,
                                  consent=Consent(internal=True, evaluation=True), **kwargs))


def attach_everything(db, seq: int, name: str = MARKER) -> None:
    """A coding, a memo, camp data and sliders hanging on the story `seq`, naming `name`."""
    stamp = "2026-01-01T00:00:00+00:00"
    db.executescript("INSERT OR IGNORE INTO codebooks(id, name, created_at) VALUES (1, 'Bog', '2026-01-01');"
                     "INSERT OR IGNORE INTO codes(id, codebook_id, guid, key) VALUES (1, 1, 'g-1', 'tillid');"
                     "INSERT OR IGNORE INTO camps(id, code, name, created_at) VALUES (1, 'ABC234', 'Camp', 'x');"
                     "INSERT OR IGNORE INTO msc_processes(id, kind, name, camp_id, created_at)"
                     " VALUES (1, 'camp', 'Camp', 1, 'x');"
                     "INSERT OR IGNORE INTO msc_panels(id, process_id, level, name) VALUES (1, 1, 1, 'Hold 1');"
                     "INSERT OR IGNORE INTO msc_rounds(id, process_id, level, domain, opened_at)"
                     " VALUES (1, 1, 1, 'huset', 'x');")
    rows = {
        "codings": ("guid, story_seq, code_id, coder, created_at", (f"c-{seq}", seq, 1, "eva", stamp)),
        "story_coders": ("story_seq, coder, updated_at", (seq, "eva", stamp)),
        "memos": ("guid, story_seq, author, text, created_at", (f"m-{seq}", seq, "eva", f"Memo om {name}", stamp)),
        "camp_stories": ("story_seq, camp_id, display_name", (seq, 1, name)),
        "msc_votes": ("round_id, panel_id, story_seq, value", (1, 1, seq, 2)),
        "story_sliders": ("story_seq, slider, value", (seq, "size", 7)),
    }
    for table, (columns, values) in rows.items():
        db.execute(f"INSERT INTO {table}({columns}) VALUES ({','.join('?' * len(values))})", values)
    if not db.execute("SELECT 1 FROM msc_choices WHERE round_id = 1 AND panel_id = 1").fetchone():
        db.execute("INSERT INTO msc_choices(round_id, panel_id, story_seq, reasons, recorded_at)"
                   " VALUES (1, 1, ?, ?, ?)", [seq, f"Fordi {name} turde", stamp])
    db.conn.commit()


@pytest.fixture
def held(db_path):
    """A teller with four stories (told, told about, in the bin, withdrawn) and another teller's story."""
    db = connect(db_path)
    told = tell(db, f"{MARKER} kom i huset og lavede mad i køkkenet.")
    about = tell(db, f"Jeg så {MARKER} blive glad.", pseudonym="", teller_role="staff", extra={"about": TELLER})
    binned = tell(db, f"{MARKER} gik hjem tidligt.")
    withdrawn = tell(db, f"{MARKER} fik venner.")
    other = tell(db, "En anden ung lavede mad.", pseudonym="UNG-00071")
    delete_story(db, binned.id)
    withdraw_consent(db, withdrawn.id)
    for story in (told, about, binned, withdrawn):
        attach_everything(db, story_seq(db, story.id))
    attach_everything(db, story_seq(db, other.id), name="Alex")
    save_corrections(db, told.id, [Correction("add", "person", MARKER)])
    get_story(db, told.id, actor=Actor("eva", "evaluator"))  # an audited read
    ids = [told.id, about.id, binned.id, withdrawn.id]
    return db, ids, other.id


def referencing_rows(db, seqs):
    counts = {}
    for table, column, parent in dependent_tables(db):
        marks = ",".join("?" * len(seqs))
        counts[table] = db.execute(f"SELECT count(*) FROM [{table}] WHERE [{column}] IN ({marks})", seqs).fetchone()[0]
    return counts


def test_erasure_removes_every_trace_and_keeps_the_rest(held, db_path):
    db, ids, other_id = held
    seqs = [story_seq(db, i) for i in ids]
    before = referencing_rows(db, seqs)
    for table in ("sentences", "codings", "memos", "camp_stories", "msc_votes", "msc_choices",
                  "story_sliders", "pii_corrections"):
        assert before[table] > 0, table
    lemmas_before = db.execute("SELECT count(*) FROM lemmas").fetchone()[0]
    other_before = referencing_rows(db, [story_seq(db, other_id)])

    assert erase_teller(db, TELLER, actor=ADMIN) == 4

    assert set(referencing_rows(db, seqs).values()) == {0}
    assert db.execute("SELECT count(*) FROM stories WHERE id IN (?, ?, ?, ?)", ids).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM stories_fts WHERE stories_fts MATCH ?", [MARKER]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM lemmas WHERE lemma = ?", [MARKER.lower()]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM story_lemmas WHERE story_seq IN (?, ?, ?, ?)", seqs).fetchone()[0] == 0
    kept = db.execute("SELECT count(*) FROM lemmas").fetchone()[0]
    assert 0 < kept < lemmas_before  # the other story's words stay
    assert not db.execute("SELECT lemma_id FROM story_lemmas EXCEPT SELECT id FROM lemmas").fetchall()
    assert referencing_rows(db, [story_seq(db, other_id)]) == other_before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.conn.close()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert MARKER.encode() not in raw and MARKER.lower().encode() not in raw  # vacuumed, not just unlinked


def test_erasure_needs_a_pseudonym(db):
    tell(db, "Noget skete.")
    for empty in ("", "   "):
        with pytest.raises(NoTeller):
            erase_teller(db, empty, actor=ADMIN)
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_an_unknown_teller_erases_nothing_but_is_logged(db):
    tell(db, "Noget skete.")
    assert erase_teller(db, "UNG-9999", actor=ADMIN) == 0
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1
    assert audit.read_log(db, actor=ADMIN, action="erase")[0].detail == {"stories": 0}


def test_access_report_holds_everything_about_the_teller(held, tmp_path):
    db, ids, other_id = held
    report = teller_report(db, TELLER, actor=ADMIN)
    assert report["teller"] == TELLER
    assert sorted(s["id"] for s in report["stories"]) == sorted(ids)
    assert other_id not in json.dumps(report)
    binned = [s for s in report["stories"] if s["deleted_at"]]
    withdrawn = [s for s in report["stories"] if s["consent"]["withdrawn_at"]]
    assert len(binned) == 1 and len(withdrawn) == 1
    for table in ("sentences", "story_lemmas", "codings", "memos", "camp_stories", "msc_choices",
                  "pii_corrections"):
        assert report["related"][table], table
    assert any(row["lemma"] == MARKER.lower() for row in report["related"]["story_lemmas"])
    json.dumps(report)  # plain JSON, binary index cells included
    assert [e["action"] for e in report["audit_log"]] == ["read_story"]
    out = tmp_path / "access.json"
    assert write_teller_report(db, TELLER, out, actor=ADMIN) == 4
    assert json.loads(out.read_text(encoding="utf-8"))["teller"] == TELLER
    assert audit.read_log(db, actor=ADMIN, action="access_export")[0].detail == {"stories": 4}


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                          stdin=subprocess.DEVNULL)


def test_cli_access_then_erase(held, db_path, tmp_path):
    db, ids, other_id = held
    db.conn.close()
    out = tmp_path / "teller.json"
    access = run_cli("access", "--teller", TELLER, "--out", str(out), "--db", str(db_path))
    assert access.returncode == 0, access.stderr
    assert "4 stories" in access.stdout
    assert len(json.loads(out.read_text(encoding="utf-8"))["stories"]) == 4
    erased = run_cli("erase", "--teller", TELLER, "--db", str(db_path))
    assert erased.returncode == 0, erased.stderr
    assert "erase: 4 stories erased" in erased.stdout
    db = connect(db_path)
    assert [r[0] for r in db.execute("SELECT id FROM stories")] == [other_id]
    assert audit.read_log(db, action="erase")[0].actor.startswith("cli:")


@pytest.mark.parametrize("args", [("erase", "--teller", ""), ("access", "--teller", " ", "--out", "x.json")])
def test_cli_refuses_without_a_pseudonym(db_path, args):
    result = run_cli(*args, "--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.startswith("changestories: error: give the teller's pseudonym")


def test_admin_erases_in_the_app(held, db_path):
    from streamlit.testing.v1 import AppTest

    db, ids, other_id = held
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/admin.py").run()
    at.text_input(key="trust_teller").input(TELLER).run()
    assert not at.exception
    assert any("4 fortællinger" in m.value for m in at.markdown)
    assert at.button(key="trust_erase").disabled
    at.button(key="trust_access").click().run()
    assert not at.exception
    at.checkbox(key="trust_erase_confirm").check().run()
    at.button(key="trust_erase").click().run()
    assert not at.exception
    assert at.success[0].value == "4 fortællinger er slettet."
    assert [r[0] for r in connect(db_path).execute("SELECT id FROM stories")] == [other_id]
