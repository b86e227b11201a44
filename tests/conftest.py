import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from changestories.database import connect, memory_db  # noqa: E402

# A tiny lemma table, so unit tests need not load the 550,000-entry Danish one.
TINY_LEMMAS = {
    "da": {"huset": "hus", "husene": "hus", "gik": "gå", "venner": "ven", "vennerne": "ven", "unge": "ung",
           "lavede": "lave", "køkkenet": "køkken", "relationer": "relation", "skabte": "skabe"},
    "en": {"went": "go", "houses": "house", "friends": "friend", "made": "make"},
}


@pytest.fixture(autouse=True)
def tiny_lemma_tables(request, monkeypatch):
    """Inject the tiny lemma table unless a test is marked `real_lemmas`."""
    if request.node.get_closest_marker("real_lemmas"):
        yield
        return
    import stories.textindex.language

    monkeypatch.setattr(stories.textindex.language, "load_lemma_table", lambda lang: TINY_LEMMAS.get(lang, {}))
    yield


@pytest.fixture(autouse=True)
def auth_off_unless_marked(request, monkeypatch):
    """Without sign-in the app acts as the local admin, unless a test is marked `auth`."""
    if request.node.get_closest_marker("auth"):
        monkeypatch.delenv("CHANGESTORIES_AUTH", raising=False)
    else:
        monkeypatch.setenv("CHANGESTORIES_AUTH", "off")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that had a server running gets the end of that server's log in its report."""
    report = yield
    if report.failed:
        from tests.e2e import running_logs_tail

        tail = running_logs_tail()
        if tail:
            report.sections.append(("server log", tail))
    return report


def pytest_configure(config):
    config.addinivalue_line("markers", "real_lemmas: use spaCy's real lookup tables")
    config.addinivalue_line("markers", "auth: sign-in required (CHANGESTORIES_AUTH not turned off)")


@pytest.fixture
def db() -> Database:
    """An in-memory database with the full schema."""
    return memory_db()


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    """A database file, also set as $CHANGESTORIES_DB for the app and the CLI."""
    path = tmp_path / "test.db"
    connect(path).conn.close()
    monkeypatch.setenv("CHANGESTORIES_DB", str(path))
    return path


@pytest.fixture
def demo(db_path) -> Path:
    """`db_path` with the full demo loaded (the app and the CLI open it through $CHANGESTORIES_DB)."""
    from changestories.demo import load_demo

    db = connect(db_path)
    load_demo(db)
    db.conn.close()
    return db_path


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    """A database file with the full demo, made once for the tests of a module."""
    from changestories.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    load_demo(connect(path))
    return path
