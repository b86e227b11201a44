"""`changestories search`: the browse page's search on the command line."""

import json

import pytest

from cli.main import main
from changestories.database import connect
from stories.model import Consent, Story
from stories.storage import create_story, withdraw_consent


@pytest.fixture
def corpus(db_path):
    db = connect(db_path)
    made = {}
    for key, text, site, evaluation in [
        ("most", "Fodbold fodbold fodbold i skolegården.", "Nord", True),
        ("some", "Vi spillede fodbold efter skole.", "Syd", False),
        ("gone", "Fodbold var det eneste han ville.", "Nord", True),
        ("other", "Vi lavede mad i køkkenet.", "Nord", True),
    ]:
        made[key] = create_story(db, Story(text=text, title=key, site=site, significance="Det betyder noget.",
                                           consent=Consent(internal=True, evaluation=evaluation)))
    withdraw_consent(db, made["gone"].id)
    db.conn.close()
    return db_path, made


def test_prints_the_count_and_the_best_matches_first(corpus, capsys):
    path, made = corpus
    assert main(["search", "fodbold", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "search: 2 stories match 'fodbold'"
    assert [line.split("\t")[3] for line in lines[1:]] == ["most", "some"]


def test_json_limit_site_and_purpose(corpus, capsys):
    path, made = corpus
    assert main(["search", "fodbold", "--limit", "1", "--json", "--db", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["count"] == 2 and [s["id"] for s in out["stories"]] == [made["most"].id]
    assert main(["search", "fodbold", "--site", "Syd", "--json", "--db", str(path)]) == 0
    assert [s["title"] for s in json.loads(capsys.readouterr().out)["stories"]] == ["some"]
    assert main(["search", "fodbold", "--purpose", "evaluation", "--json", "--db", str(path)]) == 0
    assert [s["title"] for s in json.loads(capsys.readouterr().out)["stories"]] == ["most"]


@pytest.mark.parametrize("query", ['"', "(", "*", "NEAR(", "'; DROP TABLE stories; --", "..."])
def test_odd_queries_find_nothing_or_something_but_never_fail(corpus, capsys, query):
    path, _ = corpus
    assert main(["search", query, "--db", str(path)]) == 0
    assert capsys.readouterr().out.startswith("search: ")


def test_a_negative_limit_is_one_line(corpus, capsys):
    path, _ = corpus
    assert main(["search", "fodbold", "--limit", "-1", "--db", str(path)]) == 1
    assert capsys.readouterr().err.strip() == "changestories: error: --limit must be 0 or more"
