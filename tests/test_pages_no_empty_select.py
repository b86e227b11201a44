"""No page draws a select with nothing in it (issue 15): an empty select or multi-select opens on
Streamlit's English "No results"; the page says in Danish that there is nothing to choose instead.

Every page, every role that sees it, on a new install with no stories, sites, codes or camps, and
on the demo data; every select and multi-select drawn (in every tab and expander, as AppTest runs
them all) has at least one option.
"""

import pytest

from stories.trust.permissions import Actor
from tests.apptest import open_app
from tests.test_pages_smoke import PAIRS


@pytest.fixture(scope="module")
def empty_path(tmp_path_factory):
    from changestories.database import connect

    path = tmp_path_factory.mktemp("empty") / "empty.db"
    connect(path).conn.close()
    return path


def _empty_selects(at) -> list[str]:
    return [f"{kind} {w.label!r}" for kind, widgets in (("selectbox", at.selectbox), ("multiselect", at.multiselect),
                                                                ("pills", at.pills))
            for w in widgets if not list(w.options)]


@pytest.mark.parametrize("page,role", PAIRS)
def test_a_new_install_draws_no_empty_select(empty_path, monkeypatch, page, role):
    monkeypatch.setenv("CHANGESTORIES_DB", str(empty_path))
    at = open_app(page, actor=Actor(f"empty-{role}", role), timeout=90)
    assert not at.exception
    assert _empty_selects(at) == []


@pytest.mark.parametrize("page,role", PAIRS)
def test_the_demo_draws_no_empty_select(demo_path, monkeypatch, page, role):
    monkeypatch.setenv("CHANGESTORIES_DB", str(demo_path))
    at = open_app(page, actor=Actor(f"smoke-{role}", role), query={"camp": "KBHDEM"}, timeout=90)
    assert not at.exception
    assert _empty_selects(at) == []
