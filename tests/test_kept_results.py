"""coding.kept_results: each key computed once, the least recently used dropped first."""

from coding.kept_results import KeptResults


def test_a_key_is_computed_once_and_the_least_recently_used_goes_first():
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value * 10
        return run

    kept = KeptResults(2)
    assert kept.get("a", compute(1)) == 10
    assert kept.get("a", compute(99)) == 10  # kept: not computed again
    assert kept.get("b", compute(2)) == 20
    assert kept.get("a", compute(99)) == 10  # "a" is now the most recently used
    assert kept.get("c", compute(3)) == 30  # drops "b", not "a"
    assert len(kept) == 2
    assert kept.get("a", compute(99)) == 10
    assert kept.get("b", compute(4)) == 40  # computed again
    assert calls == [1, 2, 3, 4]
    kept.clear()
    assert len(kept) == 0
