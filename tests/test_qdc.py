"""Codebook exchange as REFI-QDA .qdc: schema-valid export, round trips, other tools' files, bad files."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from coding.codebook.codes import code_tree, create_codebook, list_codebooks, list_codes
from coding.codebook.presets import PRESETS
from coding.refi.qdc import codebook_xml, import_qdc
from coding.refi.qda_xml import CODEBOOK_NS, QdaFormatError
from cli.main import main

DATA = Path(__file__).resolve().parents[1] / "coding" / "refi" / "data"
FIELDS = ("key", "name_da", "name_en", "definition_da", "definition_en", "use_when_da", "use_when_en", "not_when_da",
          "not_when_en", "example_da", "example_en", "keywords_da", "keywords_en", "color", "is_group", "retired")


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(DATA / "Codebook.xsd"))


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_preset_exports_valid_and_comes_back_the_same(db, schema, preset, lang):
    original = create_codebook(db, "", preset)
    data = codebook_xml(db, original, lang)
    schema.validate(data.decode("utf-8"))
    root = ET.fromstring(data)
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook" and root.get("origin")
    first = root.find(f"{{{CODEBOOK_NS}}}Codes/{{{CODEBOOK_NS}}}Code")
    assert first.get("name") == list_codes(db, original)[0].name(lang)
    copy = import_qdc(db, data, name="kopi", lang=lang)
    before, after = code_tree(db, original), code_tree(db, copy)
    assert [d for _, d in before] == [d for _, d in after]
    for (a, _), (b, _) in zip(before, after):
        assert {f: getattr(a, f) for f in FIELDS} == {f: getattr(b, f) for f in FIELDS}


def test_groups_are_not_codable_and_retired_codes_travel(db):
    codebook = create_codebook(db, "", "developmental_relationships")
    from coding.codebook.edit import retire_code

    retire_code(db, list_codes(db, codebook)[1].id)
    root = ET.fromstring(codebook_xml(db, codebook, "en"))
    ns = {"q": CODEBOOK_NS}
    groups = root.findall("q:Codes/q:Code", ns)
    assert {g.get("isCodable") for g in groups} == {"false"}
    assert {c.get("isCodable") for c in root.findall("q:Codes/q:Code/q:Code", ns)} == {"true"}
    copy = import_qdc(db, codebook_xml(db, codebook, "en"), lang="en")
    assert list_codes(db, copy, include_retired=True)[1].retired


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Another QDA tool">
  <Codes>
    <Code guid="{6C3E0F4A-1111-4A5B-9C1D-0123456789AB}" name="Belonging" isCodable="false" color="#f80">
      <Description>Feeling part of a place.</Description>
      <Code guid="6c3e0f4a-2222-4a5b-9c1d-0123456789ab" name="Welcome" isCodable="true"/>
    </Code>
  </Codes>
  <Sets><Set guid="6c3e0f4a-3333-4a5b-9c1d-0123456789ab" name="A set"/></Sets>
</CodeBook>"""


def test_a_codebook_from_another_tool(db):
    codebook = import_qdc(db, FOREIGN.encode(), name="NVivo", lang="en")
    group, code = [c for c, _ in code_tree(db, codebook)]
    assert group.is_group and group.name_en == "Belonging" and group.definition_en == "Feeling part of a place."
    assert group.color == "#FF8800" and group.guid == "6c3e0f4a-1111-4a5b-9c1d-0123456789ab"
    assert code.parent_id == group.id and not code.is_group and code.key == "welcome" and code.color == "#888888"


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="6c3e0f4a-2222-4a5b-9c1d-0123456789ab"
 name="&lol3;" isCodable="true"/></Codes></CodeBook>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="6c3e0f4a-2222-4a5b-9c1d-0123456789ab"
 name="&secret;" isCodable="true"/></Codes></CodeBook>"""
CODE = '<Code guid="6c3e0f4a-2222-4a5b-9c1d-0123456789ab" name="A" isCodable="true"/>'


def wrap(inner: str, ns: str = CODEBOOK_NS) -> str:
    return f'<CodeBook xmlns="{ns}"><Codes>{inner}</Codes></CodeBook>'


@pytest.mark.parametrize("data, message", [
    ("this is not xml", "not well-formed XML"),
    (BOMB, "refused"),
    (EXTERNAL, "refused"),
    (wrap(CODE, "urn:something:else"), "expected CodeBook"),
    ("<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>", "expected CodeBook"),
    (wrap(CODE.replace("/>", "><Colour/></Code>")), "unknown element <Colour>"),
    (wrap(CODE + "<Extra/>"), "unknown element <Extra>"),
    (wrap(CODE.replace('guid="6c3e0f4a-2222-4a5b-9c1d-0123456789ab"', 'guid="12"')), "no valid guid"),
    (wrap(CODE + CODE), "share the guid"),
    (wrap(CODE.replace('name="A"', 'name=" "')), "has no name"),
    (wrap(CODE.replace('isCodable="true"', 'isCodable="maybe"')), "isCodable"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "no codes"),
])
def test_bad_codebook_files_are_refused_with_a_clear_message_and_nothing_imported(db, data, message):
    with pytest.raises(QdaFormatError, match=message):
        import_qdc(db, data.encode())
    assert list_codebooks(db) == []
    assert db.execute("SELECT count(*) FROM codes").fetchone()[0] == 0


def test_cli_codebook_export_and_import(db_path, tmp_path, capsys):
    assert main(["codebook", "new", "--preset", "msc_domains"]) == 0
    out = tmp_path / "book.qdc"
    assert main(["codebook", "export", str(out), "--lang", "en"]) == 0
    assert b"Negative change" in out.read_bytes()
    assert main(["codebook", "import", str(out), "--lang", "en", "--name", "Igen"]) == 0
    assert main(["codebook", "list"]) == 0
    listing = capsys.readouterr().out
    assert "* 2\tIgen" in listing
    (tmp_path / "bad.qdc").write_text("<nope", encoding="utf-8")
    assert main(["codebook", "import", str(tmp_path / "bad.qdc")]) == 1
    assert "changestories: error: bad.qdc is not well-formed XML" in capsys.readouterr().err
