"""The theme report: DOCX, consent for its purpose, pseudonyms only, names replaced in quotes."""

import io

import pytest
from docx import Document

from coding.codebook.codes import active_codebook, codable_codes, create_codebook
from coding.codings import add_coding
from coding.themes.groups import Selection
from coding.themes.quotes import Quote
from coding.themes.report import theme_report
from stories.model import Consent, Story
from stories.trust.permissions import Actor, PermissionDenied
from stories.storage import create_story
from stories.visibility import StoryFilter


def add(db, text, *, publication=False, pseudonym="U-0001", title="En titel"):
    return create_story(db, Story(text=text, significance="Det betyder noget.", teller_pseudonym=pseudonym,
                                  title=title, happened_on="2025-03-01",
                                  consent=Consent(internal=True, evaluation=True, publication=publication)))


@pytest.fixture
def coded(db):
    create_codebook(db, "", "kbh_plus")
    codes = {c.key: c.id for c in codable_codes(db, active_codebook(db))}
    public = add(db, "Mads Jensen kom i huset hver dag. Køkkenet var varmt.", publication=True)
    private = add(db, "Vennerne lavede musik sammen i huset. Det var hemmeligt.", pseudonym="U-0002")
    add_coding(db, public.id, codes["huset"], start=0, end=32, coder="a")
    add_coding(db, private.id, codes["huset"], start=0, end=37, coder="a")
    add_coding(db, private.id, codes["skabe_med_andre"], coder="a")
    return codes, public, private


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_report_counts_only_stories_consented_for_its_purpose(db, coded):
    text = text_of(theme_report(db, Selection(), purpose="publication"))
    assert "1 fortællinger, hvis samtykke dækker offentliggørelse" in text
    assert "hemmeligt" not in text and "Vennerne lavede" not in text
    text = text_of(theme_report(db, Selection(), purpose="evaluation"))
    assert "2 fortællinger" in text


def test_report_quotes_are_pseudonymised_and_name_the_teller_by_pseudonym(db, coded):
    text = text_of(theme_report(db, Selection(), purpose="publication"))
    assert "Mads Jensen" not in text and "kom i huset hver dag" in text
    assert "U-0001" in text


def test_chosen_quotes_outside_the_consent_are_dropped(db, coded):
    codes, public, private = coded
    chosen = {codes["huset"]: [Quote(private.id, "", "U-0002", "young_person", "2025-03-01", "Det var hemmeligt.")]}
    text = text_of(theme_report(db, Selection(), purpose="publication", quotes=chosen))
    assert "hemmeligt" not in text


def test_report_has_charts_and_english_on_request(db, coded):
    data = theme_report(db, Selection(), purpose="evaluation", lang="en", title="Board report")
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "Board report"
    assert len(doc.inline_shapes) >= 3
    assert "Stories per code" in text_of(data)


def test_an_empty_selection_gives_a_short_report_that_says_so(db, coded):
    text = text_of(theme_report(db, Selection(StoryFilter(sites=["Ingen steder"])), purpose="evaluation"))
    assert "Ingen fortællinger passer" in text


@pytest.mark.parametrize("purpose", ["", "marketing", None])
def test_unknown_purposes_are_refused(db, coded, purpose):
    with pytest.raises(ValueError):
        theme_report(db, Selection(), purpose=purpose)


def test_the_public_may_not_make_reports(db, coded):
    with pytest.raises(PermissionDenied):
        theme_report(db, Selection(actor=Actor("x", "public")), purpose="evaluation")


def test_cli_writes_a_theme_report_and_reindexes(db_path, tmp_path, capsys):
    from cli.main import main
    from changestories.database import connect

    db = connect(db_path)
    add(db, "Mads Jensen kom i huset hver dag. Køkkenet var varmt.", publication=True)
    db.conn.close()
    out = tmp_path / "rapport.docx"
    assert main(["theme-report", "--db", str(db_path), "--out", str(out), "--purpose", "publication",
                 "--from", "2025-01-01", "--to", "2025-12-31"]) == 0
    assert "1 fortællinger" in text_of(out.read_bytes())
    assert main(["reindex", "--db", str(db_path)]) == 0
    assert "re-indexed 1 stories" in capsys.readouterr().out


def test_cli_refuses_an_unknown_purpose(db_path, tmp_path):
    from cli.main import main

    with pytest.raises(SystemExit):
        main(["theme-report", "--db", str(db_path), "--out", str(tmp_path / "x.docx"), "--purpose", "marketing"])
