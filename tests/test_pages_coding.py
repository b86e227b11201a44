"""AppTest: the coding, codebook and agreement pages, driven as two coders."""


import pytest

from coding.codebook.codes import active_codebook, create_codebook, list_codes
from coding.codings import codings_of
from stories.textindex.pipeline import story_sentences
from changestories.database import connect
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.storage import create_story, story_seq
from tests.apptest import click, open_app, tables

A, B = Actor("coder-a", "evaluator"), Actor("coder-b", "evaluator")
TEXT = "Han kom i huset for første gang. Vi lavede mad sammen i køkkenet. Hun lyttede til ham bagefter."


def app(actor, page, lang=None):
    return open_app(page, actor=actor, lang=lang)


def checkbox(at, name):
    return next(c for c in at.checkbox if c.label.endswith(name))


@pytest.fixture
def project(db_path):
    db = connect(db_path)
    codebook = create_codebook(db, "", "kbh_plus")
    codes = {c.key: c.id for c in list_codes(db, codebook)}
    story = create_story(db, Story(text=TEXT, title="Første gang i huset", significance="Han kom igen.",
                                   consent=Consent(internal=True, evaluation=True)))
    seq = story_seq(db, story.id)
    spans = [(s, e) for s, e, _ in story_sentences(db, seq, TEXT)]
    assert len(spans) == 3
    return db, codes, story.id, seq, spans


def code_story(actor, codes, story_id, spans, whole, sentences):
    at = app(actor, "app_pages/code.py")
    assert at.header[0].value == "Kod fortællinger"
    assert TEXT in [t.value for t in at.text]
    for name in whole:
        checkbox(at, name).check()
    for (start, end), keys in sentences.items():
        picker = at.pills(key=f"sent_{story_id}_{start}_{end}")
        for key in keys:
            picker.select(codes[key])
    return at


def test_two_coders_code_a_story_then_agree_and_reconcile(project):
    db, codes, story_id, seq, spans = project
    # coder A: the whole story and two of its sentences
    at = code_story(A, codes, story_id, spans, ["Huset"], {spans[0]: ["huset"], spans[1]: ["skabe_med_andre"]})
    click(at, "Gem kodning")
    assert at.success[0].value == "Din kodning er gemt."
    mine = codings_of(db, seq, "coder-a")
    assert [(c.span, c.code_id) for c in mine] == [
        ((None, None), codes["huset"]), (spans[0], codes["huset"]), (spans[1], codes["skabe_med_andre"])]
    assert all(c.coder == "coder-a" and c.created_at for c in mine)

    # coder B does not see A's coding before saving (blind double coding)
    at = code_story(B, codes, story_id, spans, ["Huset", "Tillidsfulde relationer"],
                    {spans[0]: ["huset"], spans[2]: ["tillidsfulde_relationer"]})
    assert any("Blind kodning" in c.value for c in at.caption)
    assert not any(e.label.startswith("Andre koderes") for e in at.expander)
    click(at, "Gem kodning")
    assert any(e.label == "Andre koderes kodning (1)" for e in at.expander)
    assert len(codings_of(db, seq, "coder-b")) == 4

    # the agreement page shows both coders' figures and the disagreement
    at = app(A, "app_pages/agreement.py")
    assert at.header[0].value == "Enighed mellem kodere"
    coders = tables(at)[0]
    assert list(coders.iloc[:, 0]) == ["coder-a", "coder-b"] and list(coders.iloc[:, 2]) == ["2", "2"]  # codes each carried in the story
    assert [m.label for m in at.metric] == ["Enheder", "Procentvis enighed", "Cohens kappa", "Krippendorffs alfa"]
    assert at.subheader[2].value == "Fortællinger med uenighed (1)"
    per_code = tables(at)[1]
    assert set(per_code.columns) >= {"Kode", "coder-a", "coder-b", "Cohens kappa"}
    at.radio(key="agreement_level").set_value("sentence").run()
    assert not at.exception and at.subheader[2].value == "Fortællinger med uenighed (1)"

    # reconcile: keep Huset for the story, drop Tillidsfulde relationer
    assert checkbox(at, "Huset").value and checkbox(at, "Tillidsfulde relationer").value
    checkbox(at, "Tillidsfulde relationer").uncheck()
    click(at, "Gem den aftalte kodning")
    assert at.success[0].value.startswith("Den aftalte kodning er gemt")
    view = db.execute("SELECT code_id, start, end FROM story_codes WHERE story_seq = ? ORDER BY start IS NOT NULL,"
                      " start", [seq]).fetchall()
    assert view[0] == (codes["huset"], None, None) and (codes["tillidsfulde_relationer"], None, None) not in view
    assert db.execute("SELECT reconciled_by FROM reconciliations WHERE story_seq = ?", [seq]).fetchone() == ("coder-a",)


def test_draft_stays_in_my_queue_and_next_previous_move(project):
    db, codes, story_id, seq, spans = project
    other = create_story(db, Story(text="En anden dag kom hun også.", significance="x",
                                   consent=Consent(evaluation=True))).id
    at = code_story(A, codes, story_id, spans, ["Huset"], {})
    click(at, "Gem som kladde")
    assert "kladde" in at.success[0].value
    assert codings_of(db, seq, "coder-a") and db.execute(
        "SELECT done FROM story_coders WHERE story_seq = ?", [seq]).fetchone() == (0,)
    at = app(A, "app_pages/code.py")
    picker = at.selectbox(key="code_pick")
    assert picker.value == other  # uncoded first, my draft after it
    click(at, "▶")
    assert at.selectbox(key="code_pick").value == story_id
    click(at, "◀")
    assert at.selectbox(key="code_pick").value == other


def test_memos_on_a_story_and_on_codings(project):
    db, codes, story_id, seq, spans = project
    at = code_story(A, codes, story_id, spans, ["Huset"], {})
    click(at, "Gem kodning")
    at.text_area(key=f"smemo_{story_id}").input("Et vigtigt øjeblik.")
    click(at, "Tilføj memo")
    assert db.execute("SELECT author, text FROM memos").fetchall() == [("coder-a", "Et vigtigt øjeblik.")]
    coding = codings_of(db, seq, "coder-a")[0]
    at.text_input(key=f"cmemo_{coding.id}").input("Stedet bærer det.")
    click(at, "Gem memoer")
    assert codings_of(db, seq, "coder-a")[0].memo == "Stedet bærer det."


def test_codebook_page_adds_edits_merges_and_retires_codes(project):
    db, codes, story_id, seq, spans = project
    at = app(A, "app_pages/codebook.py")
    assert at.header[0].value == "Kodebog"
    next(t for t in at.text_input if t.label == "Navn (dansk)").input("Fællesskab")
    click(at, "Tilføj")
    assert at.success[0].value == "Koden er tilføjet."
    new = next(c for c in list_codes(db, active_codebook(db)) if c.name_da == "Fællesskab")
    at.selectbox(key="codebook_code").set_value(new.id).run()
    at.text_input(key=f"name_en_{new.id}").input("Community")
    at.text_input(key=f"kw_da_{new.id}").input("fællesskab, sammen")
    click(at, "Gem ændringer")
    edited = next(c for c in list_codes(db, active_codebook(db)) if c.id == new.id)
    assert edited.name_en == "Community" and edited.keywords_da == ["fællesskab", "sammen"]
    # merge into itself is not offered; merging into Huset keeps the codings
    from coding.codings import add_coding

    add_coding(db, story_id, new.id, coder="coder-b")
    at = app(A, "app_pages/codebook.py")
    at.selectbox(key="codebook_code").set_value(new.id).run()
    merge_box = next(s for s in at.selectbox if s.label == "Slå sammen med")
    assert new.id not in merge_box.options and len(merge_box.options) == 3
    merge_box.set_value(codes["huset"])
    next(c for c in at.checkbox if c.label.startswith("Ja, flyt")).check()
    click(at, "Slå sammen")
    assert at.success[0].value.startswith("Koderne er slået sammen")
    assert [c.code_id for c in codings_of(db, seq, "coder-b")] == [codes["huset"]]
    # retire
    at.selectbox(key="codebook_code").set_value(codes["skabe_med_andre"]).run()
    click(at, "Udfas koden")
    assert codes["skabe_med_andre"] not in [c.id for c in list_codes(db, active_codebook(db))]
    # deleting a code in use is refused with a message, nothing lost
    at.selectbox(key="codebook_code").set_value(codes["huset"]).run()
    click(at, "Slet koden")
    assert "merge or retire" in at.error[0].value
    assert codings_of(db, seq, "coder-b")


def test_codebook_page_starts_a_codebook_from_a_preset_in_english(db_path):
    at = app(A, "app_pages/codebook.py", lang="en")
    assert at.header[0].value == "Codebook"
    preset = next(s for s in at.selectbox if s.label == "Start from")
    preset.set_value("developmental_relationships")
    click(at, "Create codebook")
    db = connect(db_path)
    assert len(list_codes(db, active_codebook(db))) == 25
    at = app(B, "app_pages/code.py", lang="en")
    assert at.header[0].value == "Code stories"
    assert at.success[0].value == "There are no stories to code right now. Well done!"  # no stories yet


def test_staff_cannot_open_the_codebook_page(project):
    at = open_app(actor=Actor("s", "staff"))
    with pytest.raises(ValueError):
        at.switch_page("app_pages/codebook.py")


def test_codebook_page_makes_a_qdpx_for_qda_software(project):
    import io
    import zipfile

    db, codes, story_id, seq, spans = project
    at = code_story(A, codes, story_id, spans, ["Huset"], {spans[1]: ["skabe_med_andre"]})
    click(at, "Gem kodning")
    at = app(A, "app_pages/codebook.py")
    click(at, "Lav filen")
    fmt, name, data = at.session_state["exchange_file"]
    assert fmt == "qdpx" and name == "changestories.qdpx"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # the export streams its sources before project.qde; REFI-QDA does not fix the order of members
        assert sorted(archive.namelist()) == ["project.qde", f"sources/{story_id}.txt"]
        assert archive.read("project.qde").count(b"<PlainTextSelection") == 2
    at.radio(key="exchange_format").set_value("codings-csv").run()
    click(at, "Lav filen")
    assert at.session_state["exchange_file"][2].decode("utf-8-sig").count("coder-a") == 2
