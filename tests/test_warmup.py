"""The server's warm-up loads the one-time resources the pages would otherwise load on a first visit."""

from changestories.warmup import start_warm_up, warm_up


def test_warm_up_loads_the_detector_and_the_pipelines():
    from stories.privacy.detection import _detector
    from stories.textindex.language import SUPPORTED, load_pipeline

    warm_up()
    assert _detector.cache_info().currsize == 1
    assert load_pipeline.cache_info().currsize >= len(SUPPORTED)


def test_warm_up_runs_on_a_thread_of_its_own():
    thread = start_warm_up()
    assert thread.daemon and thread.name == "changestories-warm-up"
    thread.join(timeout=300)
    assert not thread.is_alive()


def test_the_server_starts_the_warm_up():
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / "server.py").read_text(encoding="utf-8")
    assert "start_warm_up(resolve_db_path())" in source  # with the database it serves


def test_warm_up_reads_the_served_database_and_trains_its_classifiers(demo):
    import threading

    from changestories.database import connect
    from coding.nlp import lemma_matrix
    from coding.themes import classifier, code_stats

    db = connect(demo)
    token = lemma_matrix.corpus_token(db)
    warm_up(demo)
    assert token in lemma_matrix._CACHE and token in code_stats._PAIRS  # kept as the themes page keeps them
    for thread in [t for t in threading.enumerate() if t.name == "changestories-train"]:
        thread.join()
    assert classifier.trained_models(db, wait=False).models  # the demo's three codes are learned


def test_warm_up_creates_no_database(tmp_path):
    warm_up(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_warm_up_leaves_a_database_without_the_schema_to_the_pages(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    sqlite3.connect(path).close()  # a file without the application's tables
    warm_up(path)  # no error, and no migration: the first page migrates it and loads what it needs
    assert sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
