"""Answers to the question library travel as REFI-QDA story variables (and on the teller's case),
validate against the shipped Project.xsd, and come back on import, also into an install that
did not have the questions."""

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema

from changestories.database import memory_db
from coding.refi.qda_xml import PROJECT_NS, QdaFormatError
from coding.refi.qdpx_export import export_qdpx
from coding.refi.qdpx_import import import_qdpx
from stories.i18n import error_message
from stories.model import Consent, Story
from stories.questions.answers import NOT_APPLICABLE, save_answers, story_answers
from stories.questions.library import add_question, form_questions, make_question, set_form
from stories.storage import create_story, story_seq
from stories.trust.permissions import Actor

XSD = Path(__file__).resolve().parents[1] / "coding" / "refi" / "data" / "Project.xsd"
NS = {"q": PROJECT_NS}


def every_kind(db):
    made = [
        make_question("triad_q", "triad", "Hvad gjorde mest?", "What did most?",
                      options=[{"key": "a", "da": "Huset", "en": "The house"}, {"key": "b", "da": "Andre"},
                               {"key": "c", "da": "Tillid"}]),
        make_question("dyad_q", "dyad", "Hvordan havde du det?", options=["Bekymret", "Håbefuld"]),
        make_question("single_q", "single", "Hvor skete det?", options=["Skolen", "Hjemme", "Huset"], allow_na=True),
        make_question("multi_q", "multiple", "Hvem var med?", options=["Venner", "Voksne", "Familie"], allow_na=True),
        make_question("scale_q", "scale", "Hvor stor var forandringen?"),
        make_question("text_q", "text", "Et ord for forandringen"),
        make_question("age_band", "single", "Hvor gammel er du?", options=["13-15", "16-18", "19-25"], about="teller"),
    ]
    qs = [add_question(db, q) for q in made]
    set_form(db, "staff", [q.id for q in qs])
    return form_questions(db, "staff")


ANSWERS = {"triad_q": [0.2, 0.3, 0.5], "dyad_q": 70, "single_q": "hjemme", "multi_q": ["venner", "familie"],
           "scale_q": 85, "text_q": "Mod", "age_band": "16_18"}


def told(db, text, answers, pseudonym="U-0001"):
    form = form_questions(db, "staff")
    seq = story_seq(db, create_story(db, Story(text=text, significance="Det betyder meget.", teller_pseudonym=pseudonym,
                                               consent=Consent(internal=True, evaluation=True))).id)
    by = {q.key: q.id for q in form}
    save_answers(db, seq, form, {by[k]: v for k, v in answers.items()})
    return seq


def answers_of(db):
    return {r[0]: {a.question.key: (a.value, a.not_applicable) for a in story_answers(db, r[1])}
            for r in db.execute("SELECT text, seq FROM stories ORDER BY text")}


@pytest.fixture
def exported(tmp_path):
    db = memory_db()
    every_kind(db)
    told(db, "Jeg fik en praktikplads i foråret.", ANSWERS)
    told(db, "Jeg turde sige min mening til mødet.", {"single_q": NOT_APPLICABLE, "multi_q": NOT_APPLICABLE,
                                                    "scale_q": 40, "age_band": "19_25"})
    out = tmp_path / "answers.qdpx"
    export_qdpx(db, out)
    return db, out


def project(path):
    with zipfile.ZipFile(path) as archive:
        text = archive.read("project.qde").decode("utf-8")
    return text, ET.fromstring(text)


def test_answers_are_variables_on_sources_and_the_case_and_the_project_validates(exported):
    _, out = exported
    text, root = project(out)
    xmlschema.XMLSchema(str(XSD)).validate(text)
    declared = {v.get("name"): (v.get("typeOfVariable"), v.findtext("q:Description", namespaces=NS))
                for v in root.findall("q:Variables/q:Variable", NS)}
    assert declared["q:triad_q:a"] == ("Float", "Hvad gjorde mest?: Huset")
    assert declared["q:dyad_q"][0] == "Float" and declared["q:scale_q"] == ("Float", "Hvor stor var forandringen?")
    assert declared["q:single_q"] == ("Text", "Hvor skete det?") and declared["q:text_q"][0] == "Text"
    assert declared["q:multi_q:venner"][0] == declared["q:multi_q:voksne"][0] == "Boolean"
    guid_name = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}

    def values(element):
        out = {}
        for value in element.findall("q:VariableValue", NS):
            name = guid_name[value.find("q:VariableRef", NS).get("targetGUID")]
            data = [c for c in value if not c.tag.endswith("VariableRef")]
            out[name] = data[0].text if data else None
        return out

    sources = {s.get("name")[:10]: values(s) for s in root.findall("q:Sources/q:TextSource", NS)}
    first, second = sources["Jeg fik en"], sources["Jeg turde "]
    assert [first[f"q:triad_q:{p}"] for p in "abc"] == ["0.2", "0.3", "0.5"]
    assert first["q:dyad_q"] == "70" and first["q:scale_q"] == "85" and first["q:single_q"] == "Hjemme"
    assert (first["q:multi_q:venner"], first["q:multi_q:voksne"], first["q:multi_q:familie"]) == ("true", "false",
                                                                                                  "true")
    assert first["q:text_q"] == "Mod" and first["q:age_band"] == "16-18"
    # "does not apply" is a value with only its reference; a skipped question has no value at all
    assert second["q:single_q"] is None and second["q:multi_q:venner"] is None and "q:dyad_q" not in second
    case = root.find("q:Cases/q:Case", NS)
    assert values(case) == {"q:age_band": "19-25"}  # the teller's latest story
    note = [n for n in root.findall("q:Notes/q:Note", NS) if n.get("name") == "changestories-questions"]
    assert [q["key"] for q in json.loads(note[0].findtext("q:PlainTextContent", namespaces=NS))["questions"]] == [
        "triad_q", "dyad_q", "single_q", "multi_q", "scale_q", "text_q", "age_band"]


def test_answers_come_back_on_import_into_an_install_without_the_questions(exported):
    db, out = exported
    fresh = memory_db()
    assert import_qdpx(fresh, out, dry_run=True).answers == 2
    assert fresh.execute("SELECT count(*) FROM questions").fetchone()[0] == 0  # a dry run adds nothing
    summary = import_qdpx(fresh, out)
    assert summary.stories == 2 and summary.answers == 2
    assert answers_of(fresh) == answers_of(db)
    assert all(json.loads(extra) == {} for (extra,) in fresh.execute("SELECT extra FROM stories"))
    assert {q.key: q.kind for q in form_questions(db, "staff")} == {
        r[0]: r[1] for r in fresh.execute("SELECT key, kind FROM questions")}


def test_answers_come_back_into_the_same_questions_of_an_install_that_has_them(exported, tmp_path):
    db, out = exported
    again = memory_db()
    every_kind(again)
    import_qdpx(again, out)
    assert answers_of(again) == answers_of(db)
    assert again.execute("SELECT count(*) FROM questions").fetchone()[0] == 7


def test_pseudonymised_exports_leave_written_answers_out(exported, tmp_path):
    db, _ = exported
    out = tmp_path / "evaluator.qdpx"
    export_qdpx(db, out, actor=Actor("eva", "evaluator"))
    text, root = project(out)
    xmlschema.XMLSchema(str(XSD)).validate(text)
    names = {v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    assert "q:scale_q" in names and "q:text_q" not in names


def _rewrite(path, tmp_path, variable, new):
    """The file with the first value of `variable` replaced by `new`."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    text = members["project.qde"].decode("utf-8")
    guid = re.search(rf'guid="([^"]+)" name="{re.escape(variable)}"', text).group(1)
    changed = re.sub(rf'(targetGUID="{guid}" />\s*<(\w+)Value>)[^<]*(</\2Value>)', rf"\g<1>{new}\g<3>", text, count=1)
    assert changed != text
    members["project.qde"] = changed.encode("utf-8")
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return bad


@pytest.mark.parametrize("variable, new, words", [
    ("q:triad_q:c", "0.9", "triad_q"),  # weights no longer sum to 1
    ("q:scale_q", "185", "scale_q"),  # outside 0-100
    ("q:dyad_q", "mange", "dyad_q"),  # not a number
    ("q:single_q", "På månen", "single_q"),  # not on the list
    ("q:multi_q:venner", "måske", "multi_q"),  # not true or false
])
def test_an_answer_that_does_not_fit_refuses_the_import_with_one_line_and_writes_nothing(exported, tmp_path, variable,
                                                                                         new, words):
    _, out = exported
    bad = _rewrite(out, tmp_path, variable, new)
    fresh = memory_db()
    with pytest.raises(QdaFormatError) as caught:
        import_qdpx(fresh, bad)
    message = error_message(caught.value, "da")
    assert words in message and "\n" not in message and "bad.qdpx" in message
    assert fresh.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert fresh.execute("SELECT count(*) FROM story_answers").fetchone()[0] == 0


def test_questions_a_staff_members_import_adds_are_logged_under_their_name(exported):
    """Staff may import a project but not edit the question library: the questions the file brings
    are added by the system on the import's behalf, and the audit log names the person."""
    _, out = exported
    fresh = memory_db()
    import_qdpx(fresh, out, actor=Actor("lene", "staff"))
    added = fresh.execute("SELECT actor, role FROM audit_log WHERE action = 'question_edit'").fetchall()
    assert len(added) == 7
    assert set(added) == {("lene", "system")}
