"""Keeping what is loaded once per process (spaCy pipelines, the NER model, lemma tables) out of
the garbage collector's way.

Python's cyclic collector walks every tracked object of the oldest generation on a full
collection, and a full collection comes every time enough new objects have survived: after
the NER model is loaded (several hundred thousand objects) a page that reads many rows paid
up to 0.8 s of full collections at 50,000 stories. `gc.freeze` moves everything alive into a
permanent generation the collector no longer walks; the loaded resources live as long as the
process anyway. Anything else alive at that moment is only spared the walk: reference
counting still frees it once unused.

A big import or re-index allocates millions of small objects that live until its end (the
stories, their rows, spaCy's docs), and full collections walked them again and again for
nothing: at 10,000 stories two of them cost 0.34 s of a 5 s import. `paused_collector` stops
the automatic collections while it runs; the caller calls `collect_young()` between its
batches, which collects only what was allocated since (cheap), so garbage cycles of other
threads (a page's rerun beside an import in the server) are still freed. Nested or
concurrent pauses share one pause: the collector runs again when the last one ends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_LOCK = threading.Lock()
_PAUSE = {"depth": 0, "was_enabled": False}


def freeze_loaded() -> None:
    """Call right after a large, long-lived load: its objects are no longer walked by full collections."""
    gc.freeze()


def collect_young() -> None:
    """Collect the two young generations (what was allocated since the last collection)."""
    gc.collect(1)


@contextlib.contextmanager
def paused_collector(active: bool = True) -> Iterator[None]:
    """No automatic cyclic garbage collection inside (when `active`); as before afterwards."""
    if not active:
        yield
        return
    with _LOCK:
        if _PAUSE["depth"] == 0:
            _PAUSE["was_enabled"] = gc.isenabled()
            gc.disable()
        _PAUSE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _PAUSE["depth"] -= 1
            if _PAUSE["depth"] == 0 and _PAUSE["was_enabled"]:
                gc.enable()
