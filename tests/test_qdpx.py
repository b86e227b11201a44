"""REFI-QDA .qdpx projects: a schema-valid export, the round trip, other tools' files, bad files."""

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema

from coding.codebook.codes import create_codebook, list_codes
from coding.codings import WHOLE, save_coding
from coding.memos import add_memo
from stories.textindex.pipeline import story_sentences
from coding.refi.qdpx_export import export_qdpx
from coding.refi.qdpx_import import import_qdpx
from coding.refi.qda_xml import PROJECT_NS, QdaFormatError
from cli.main import main
from changestories.database import connect
from changestories.demo import load_demo
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.storage import create_story, story_seq

DATA = Path(__file__).resolve().parents[1] / "coding" / "refi" / "data"
NS = {"q": PROJECT_NS}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs", "Description",
         "NoteRef"]


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    """The demo data exported once for the module: (db path, qdpx path)."""
    folder = tmp_path_factory.mktemp("demo")
    db = connect(folder / "demo.db")
    load_demo(db)
    out = folder / "project.qdpx"
    export_qdpx(db, out)
    return folder / "demo.db", out


def read(path):
    with zipfile.ZipFile(path) as archive:
        return archive.namelist(), ET.fromstring(archive.read("project.qde")), {
            n: archive.read(n) for n in archive.namelist() if n != "project.qde"}


def test_demo_export_validates_against_the_refi_qda_project_schema(demo_export):
    _, out = demo_export
    with zipfile.ZipFile(out) as archive:
        xmlschema.XMLSchema(str(DATA / "Project.xsd")).validate(archive.read("project.qde").decode("utf-8"))


def test_export_follows_the_standard_to_the_letter(demo_export):
    _, out = demo_export
    names, root, files = read(out)
    assert root.tag == f"{{{PROJECT_NS}}}Project" and root.get("name") and root.get("origin")
    children = [c.tag.split("}")[1] for c in root]
    assert children == [c for c in ORDER if c in children] and children[:5] == ORDER[:5] and "Notes" in children
    for container in ("Users", "CodeBook", "Codes", "Variables", "Cases", "Sources", "Notes"):
        for element in root.iter(f"{{{PROJECT_NS}}}{container}"):
            assert len(element), f"empty <{container}>"
    assert all(n == "project.qde" or re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", n) for n in names)
    for element in root.iter():
        for attribute in ("guid", "targetGUID", "creatingUser"):
            if attribute in element.attrib:
                assert GUID.match(element.get(attribute)), element.get(attribute)
    for data in files.values():
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
        data.decode("utf-8")
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == len(files) == 48
    for source in sources:
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert source.get("creatingUser") and source.get("creationDateTime")
        text = files[f"sources/{source.get('guid')}.txt"].decode("utf-8")
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            coding = selection.find("q:Coding", NS)
            assert coding[0].tag == f"{{{PROJECT_NS}}}CodeRef" and coding.get("creatingUser")
    codes = root.findall(".//q:Code", NS)
    assert {c.get("name") for c in codes} == {"Huset", "Det at skabe med andre", "Tillidsfulde relationer"}
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c.get("color")) for c in codes)
    variables = {v.get("name"): v.get("typeOfVariable") for v in root.findall("q:Variables/q:Variable", NS)}
    assert variables["site"] == "Text" and variables["happened_on"] == "Date" and variables["teller_role"] == "Text"
    cases = root.findall("q:Cases/q:Case", NS)
    assert cases and all(c.find("q:SourceRef", NS) is not None for c in cases)
    notes = root.findall("q:Notes/q:Note", NS)
    referenced = {r.get("targetGUID") for r in root.iter(f"{{{PROJECT_NS}}}NoteRef")}
    assert notes and {n.get("guid") for n in notes} == referenced
    assert all(n.get("creationDateTime") and n.find("q:PlainTextContent", NS).text for n in notes)


def snapshot(db):
    stories = db.execute(
        "SELECT id, title, text, significance, difference, teller_role, teller_pseudonym, recorded_by, site, "
        "programme, session_type, happened_on, period_start, period_end, language, polarity, teller_mechanism, source,"
        " extra, consent_internal, consent_evaluation, consent_publication, teller_under_15, guardian_consent, is_demo"
        " FROM stories ORDER BY id").fetchall()
    codings = db.execute(
        "SELECT g.guid, s.id, c.guid, g.coder, g.start, g.end, g.memo, g.created_at, g.origin = 'reconciled'"
        " FROM codings g JOIN stories s ON s.seq = g.story_seq JOIN codes c ON c.id = g.code_id ORDER BY g.guid"
    ).fetchall()
    codes = db.execute(
        "SELECT guid, key, name_da, name_en, definition_da, definition_en, use_when_da, use_when_en, not_when_da,"
        " not_when_en, example_da, example_en, keywords_da, keywords_en, color, is_group, retired, position,"
        " (SELECT p.guid FROM codes p WHERE p.id = codes.parent_id) FROM codes ORDER BY guid").fetchall()
    memos = db.execute(
        "SELECT m.guid, s.id, c.guid, m.author, m.text, m.created_at FROM memos m LEFT JOIN stories s"
        " ON s.seq = m.story_seq LEFT JOIN codes c ON c.id = m.code_id ORDER BY m.guid").fetchall()
    coders = db.execute("SELECT s.id, coder, done FROM story_coders x JOIN stories s ON s.seq = x.story_seq"
                        " ORDER BY 1, 2").fetchall()
    return {"stories": stories, "codings": codings, "codes": codes, "memos": memos, "coders": coders}


def test_round_trip_into_an_empty_database_keeps_codes_codings_offsets_and_memos(demo_export, db):
    db_file, out = demo_export
    summary = import_qdpx(db, out)
    assert summary.stories == 48 and summary.codings > 100 and summary.notes == 2 and summary.skipped == []
    before, after = snapshot(connect(db_file)), snapshot(db)
    for part in before:
        assert before[part] == after[part], part
    view = "SELECT s.id, c.guid, v.start, v.end FROM story_codes v JOIN stories s ON s.seq = v.story_seq" \
           " JOIN codes c ON c.id = v.code_id ORDER BY 1, 2, 3"
    assert connect(db_file).execute(view).fetchall() == db.execute(view).fetchall()


def test_importing_the_same_project_twice_adds_nothing(demo_export, db):
    _, out = demo_export
    import_qdpx(db, out)
    counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("stories", "codes", "codings", "memos")]
    again = import_qdpx(db, out)
    assert again.stories == 0 and again.duplicates == 48 and again.codes == 0
    assert counts == [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("stories", "codes", "codings", "memos")]


def test_a_hand_made_story_round_trips_with_sentence_offsets_and_memos(db, tmp_path):
    codebook = create_codebook(db, "", "kbh_plus")
    huset, skabe, _ = [c.id for c in list_codes(db, codebook)]
    text = "Ælle bælle 🍎 i huset. Vi lavede mad sammen!\nNæste dag kom hun igen."
    story = create_story(db, Story(text=text, significance="Hun kom igen.", site="Valby", teller_pseudonym="U-0001",
                                   consent=Consent(evaluation=True), extra={"title": "x", "age": "16"}))
    seq = story_seq(db, story.id)
    spans = [(s, e) for s, e, _ in story_sentences(db, seq, text)]
    save_coding(db, story.id, {WHOLE: {huset}, spans[1]: {skabe}}, coder="a", memos={(*spans[1], skabe): "madlavning"})
    add_memo(db, "Om fortællingen", story_id=story.id)
    export_qdpx(db, tmp_path / "p.qdpx")
    _, root, files = read(tmp_path / "p.qdpx")
    [source] = root.findall("q:Sources/q:TextSource", NS)
    body = files[f"sources/{story.id}.txt"].decode("utf-8")
    selections = {(int(s.get("startPosition")), int(s.get("endPosition"))): s
                  for s in source.findall("q:PlainTextSelection", NS)}
    assert body == text and set(selections) == {(0, len(text)), spans[1]}
    assert body[spans[1][0]:spans[1][1]] == "Vi lavede mad sammen!"  # code points, emoji counted once
    assert selections[spans[1]].find("q:Description", NS).text == "madlavning"
    fresh = connect(tmp_path / "fresh.db")
    import_qdpx(fresh, tmp_path / "p.qdpx")
    assert snapshot(fresh) == snapshot(db)


def foreign_project(tmp_path, qde: str, files: dict[str, bytes] | None = None, name="foreign.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for member, data in (files or {}).items():
            archive.writestr(member, data)
    return path


U1, U2 = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
C1, C2 = "33333333-3333-4333-8333-333333333333", "44444444-4444-4444-8444-444444444444"
S1, S2 = "55555555-5555-4555-8555-555555555555", "66666666-6666-4666-8666-666666666666"
N1 = "77777777-7777-4777-8777-777777777777"


def qde(sources: str, codes: str = "", extra: str = "") -> str:
    codes = codes or (f'<Code guid="{C1}" name="Belonging" isCodable="true" color="#3366CC">'
                      f'<Description>Feeling part of it.</Description></Code>'
                      f'<Code guid="{C2}" name="Trust" isCodable="true"/>')
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{PROJECT_NS}" name="Interviews" origin="QualCoder">'
            f'<Users><User guid="{U1}" name="Ana"/><User guid="{U2}" name="Ben"/></Users>'
            f'<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources>{extra}</Project>')


def selection(guid_tail: str, start: int, end: int, code: str = C1, user: str = U1, memo: str = "") -> str:
    description = f"<Description>{memo}</Description>" if memo else ""
    return (f'<PlainTextSelection guid="aaaaaaaa-0000-4000-8000-{guid_tail:0>12}" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{user}">{description}<Coding guid="bbbbbbbb-0000-4000-8000-{guid_tail:0>12}"'
            f' creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def test_a_project_from_another_tool(db, tmp_path):
    raw = "\ufeff  Hun kom hver dag.\r\nNu hjælper hun andre.\r\n"  # BOM, leading blanks, CRLF
    inner = raw[1:]
    start = inner.index("Nu hjælper")
    sources = (
        f'<TextSource guid="{S1}" name="Interview 1" plainTextPath="internal://{S1}.txt">'
        + selection("1", start, start + len("Nu hjælper hun andre."), C2, U2, "hjælper andre")
        + selection("2", 0, len(inner), C1, U1)
        + f'<Coding guid="cccccccc-0000-4000-8000-000000000001" creatingUser="{U1}"><CodeRef targetGUID="{C2}"/></Coding>'
        + f'<NoteRef targetGUID="{N1}"/></TextSource>'
        f'<TextSource guid="{S2}" name="Notat"><PlainTextContent>Kort notat.</PlainTextContent></TextSource>'
        f'<PDFSource guid="{U1}" name="Scan.pdf" path="internal://scan.pdf"/>'
    )
    notes = (f'<Notes><Note guid="{N1}" name="memo" creatingUser="{U2}" creationDateTime="2024-05-01T10:00:00Z">'
             f'<PlainTextContent>Et memo om interviewet.</PlainTextContent></Note></Notes>')
    path = foreign_project(tmp_path, qde(sources, extra=notes), {f"Sources/{S1}.txt": raw.encode("utf-8")})
    summary = import_qdpx(db, path, consent=("evaluation",), language="da")
    assert summary.stories == 2 and summary.codings == 3 and summary.notes == 1
    assert summary.skipped == ["PDFSource 'Scan.pdf' (only text sources become stories)"]
    seq, text, title, evaluation = db.execute(
        "SELECT seq, text, title, consent_evaluation FROM stories WHERE id = ?", [S1]).fetchone()
    assert text == "Hun kom hver dag.\nNu hjælper hun andre." and title == "Interview 1" and evaluation == 1
    codings = db.execute("SELECT coder, start, end, memo, origin FROM codings WHERE story_seq = ? ORDER BY coder, start",
                         [seq]).fetchall()
    assert ("Ben", text.index("Nu"), len(text), "hjælper andre", "import") in codings
    whole = db.execute("SELECT c.name_da FROM codings g JOIN codes c ON c.id = g.code_id WHERE g.story_seq = ?"
                       " AND g.coder = 'Ana' AND g.start IS NULL ORDER BY 1", [seq]).fetchall()
    assert whole == [("Belonging",), ("Trust",)]  # a selection of the whole text, and a coding on the source
    assert db.execute("SELECT author, text FROM memos").fetchall() == [("Ben", "Et memo om interviewet.")]
    assert db.execute("SELECT count(*) FROM story_coders WHERE done = 1").fetchone()[0] == 2


BOMB = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        f'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Project xmlns="{PROJECT_NS}" name="&c;"/>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f'<Project xmlns="{PROJECT_NS}" name="&x;"/>')
PLAIN = f'<TextSource guid="{S1}" name="T"><PlainTextContent>Hej med dig.</PlainTextContent>{{}}</TextSource>'


@pytest.mark.parametrize("case, message", [
    ("not a zip", "is not a zip file"),
    ("no project.qde", "holds no project.qde"),
    ("not xml", "not well-formed XML"),
    ("bomb", "refused"),
    ("external entity", "refused"),
    ("unknown element", "unknown element <Colour>"),
    ("offsets outside", "lies outside its text"),
    ("missing code", "not in the codebook"),
    ("missing source file", "which is not in the file"),
    ("missing note", "refers to note"),
    ("external source file", "only files inside the project"),
    ("not utf-8", "is not UTF-8"),
    ("bad position", "not a whole number"),
    ("undeclared variable", "not declared"),
    ("too long", "cannot become a story"),
])
def test_bad_projects_are_refused_with_a_clear_message_and_nothing_imported(db, tmp_path, case, message):
    path = tmp_path / "bad.qdpx"
    if case == "not a zip":
        path.write_text("just text", encoding="utf-8")
    elif case == "no project.qde":
        foreign_project(tmp_path, "", name="x.qdpx")
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("other.xml", "<x/>")
    else:
        qdes = {
            "not xml": ("<Project", {}),
            "bomb": (BOMB, {}),
            "external entity": (EXTERNAL, {}),
            "unknown element": (qde(PLAIN.format("<Colour/>")), {}),
            "offsets outside": (qde(PLAIN.format("") + f'<TextSource guid="{S2}" name="U"><PlainTextContent>Kort.'
                                                       f'</PlainTextContent>{selection("1", 2, 40)}</TextSource>'), {}),
            "missing code": (qde(PLAIN.format(selection("1", 0, 3, C1)),
                                 codes=f'<Code guid="{C2}" name="Trust" isCodable="true"/>'), {}),
            "missing note": (qde(PLAIN.format(f'<NoteRef targetGUID="{N1}"/>')), {}),
            "missing source file": (qde(f'<TextSource guid="{S1}" name="T" plainTextPath="internal://{S1}.txt"/>'), {}),
            "external source file": (qde(f'<TextSource guid="{S1}" name="T" plainTextPath="file:///etc/passwd"/>'), {}),
            "not utf-8": (qde(f'<TextSource guid="{S1}" name="T" plainTextPath="internal://{S1}.txt"/>'),
                          {f"sources/{S1}.txt": "Søren".encode("cp1252")}),
            "bad position": (qde(PLAIN.format(selection("1", 0, 3).replace('endPosition="3"', 'endPosition="x"'))), {}),
            "undeclared variable": (qde(PLAIN.format(f'<VariableValue><VariableRef targetGUID="{N1}"/>'
                                                     '<TextValue>Valby</TextValue></VariableValue>')), {}),
            "too long": (qde(f'<TextSource guid="{S1}" name="T"><PlainTextContent>{"ord " * 6000}'
                             '</PlainTextContent></TextSource>'), {}),
        }
        text, files = qdes[case]
        foreign_project(tmp_path, text, files, name="bad.qdpx")
    with pytest.raises(QdaFormatError, match=message):
        import_qdpx(db, path)
    for table in ("stories", "codebooks", "codes", "codings", "memos"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_evaluators_may_not_import_and_only_export_what_they_may_read(db, tmp_path):
    from stories.trust.permissions import PermissionDenied

    create_codebook(db, "", "kbh_plus")
    create_story(db, Story(text="Kun internt.", significance="x", consent=Consent(internal=True)))
    create_story(db, Story(text="Til evaluering.", significance="x", consent=Consent(evaluation=True)))
    summary = export_qdpx(db, tmp_path / "e.qdpx", actor=Actor("e", "evaluator"))
    assert summary.stories == 1
    _, _, files = read(tmp_path / "e.qdpx")
    assert [f.decode() for f in files.values()] == ["Til evaluering."]
    with pytest.raises(PermissionDenied):
        import_qdpx(db, tmp_path / "e.qdpx", actor=Actor("e", "evaluator"))


def test_cli_exports_and_imports_qdpx_and_codings(db_path, tmp_path, capsys):
    load_demo(connect(db_path))
    out = tmp_path / "project.qdpx"
    assert main(["export", "--format", "qdpx", "--out", str(out)]) == 0
    assert "48 stories" in capsys.readouterr().out
    assert main(["export", "--format", "codings-csv", "--out", str(tmp_path / "c.csv")]) == 0
    assert main(["export", "--format", "codings-xlsx", "--out", str(tmp_path / "c.xlsx")]) == 0
    other = tmp_path / "other.db"
    assert main(["import", str(out), "--db", str(other)]) == 0
    assert "added 48 stories" in capsys.readouterr().out
    assert snapshot(connect(other)) == snapshot(connect(db_path))
    (tmp_path / "bad.qdpx").write_text("nope", encoding="utf-8")
    assert main(["import", str(tmp_path / "bad.qdpx"), "--db", str(other)]) == 1
    assert "is not a zip file" in capsys.readouterr().err
