"""Results kept per process under a key, the least recently used dropped first.

The key must say which data a result was computed from (a data version), so a kept result is
never stale; what is kept is shared between reruns and sessions: read it, never change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class KeptResults(Generic[T]):
    """At most `entries` results, each computed once per key (thread-safe)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._results: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept under `key`, else `compute()`, kept (computed outside the lock)."""
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        result = compute()
        with self._lock:
            self._results[key] = result
            while len(self._results) > self.entries:
                self._results.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def __len__(self) -> int:
        return len(self._results)
