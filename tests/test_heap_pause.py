"""`stories.heap.paused_collector`: big imports pause the cyclic collector, and it comes back."""

import gc

import pytest

from stories.heap import collect_young, paused_collector


def test_nested_pauses_share_one_and_the_collector_comes_back():
    assert gc.isenabled()
    with paused_collector():
        assert not gc.isenabled()
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
        collect_young()  # allowed while paused: collects the young generations
    assert gc.isenabled()


def test_an_inactive_pause_changes_nothing_and_an_error_still_ends_the_pause():
    with paused_collector(False):
        assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with paused_collector():
            raise RuntimeError("disk full")
    assert gc.isenabled()


def test_a_collector_off_before_stays_off():
    gc.disable()
    try:
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
