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
    assert "start_warm_up()" in source
