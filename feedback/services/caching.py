"""Every cache the service keeps, by name: bounded, one registry per app, easy to empty.

A cache that lives in a module variable outlives the app that filled it (a test
app, a changed configuration) and nobody can list or empty it. So every cache of
the service's own state is made through a :class:`CacheRegistry`: the app keeps
one (``feedback.web.caches.caches()``), each cache has a name and a size limit,
and :meth:`CacheRegistry.clear` empties them all (the test fixture does, and so
may an operator's command). ``tests/test_caches.py`` fails if a module keeps a
cache of its own outside the registry, other than a short list of pure functions.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, Protocol, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T", bound="Clearable")


class Clearable(Protocol):
    """A cache object that manages its own entries (expiry, say) and can be emptied."""

    def clear(self) -> None: ...


class BoundedCache(Generic[K, V]):
    """A thread-safe mapping that forgets its least recently used entry when full.

    With ``max_age`` (seconds), an entry older than that is made again when asked
    for (``max_age`` 0: every time); ``clock`` is for tests.
    """

    def __init__(self, name: str, max_entries: int, *, max_age: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_entries < 1:
            raise ValueError(f"cache {name!r} needs room for at least one entry")
        self.name, self.max_entries = name, max_entries
        self.max_age, self._clock = max_age, clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """Return the (unexpired) entry for ``key``, making and keeping it first if missing."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and (self.max_age is None or now - entry[0] <= self.max_age):
                self._entries.move_to_end(key)
                return entry[1]
        value = make()
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class CacheRegistry:
    """The named caches of one app."""

    def __init__(self) -> None:
        self._caches: dict[str, Clearable] = {}
        self._lock = threading.Lock()

    def bounded(self, name: str, max_entries: int, *, max_age: float | None = None
                ) -> BoundedCache[Hashable, Any]:
        """Return the bounded cache called ``name``, making it on first use."""
        made: BoundedCache[Hashable, Any] = self.kept(
            name, lambda: BoundedCache(name, max_entries, max_age=max_age))
        return made

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """Return the cache object called ``name``, made by ``make`` on first use."""
        with self._lock:
            if name not in self._caches:
                self._caches[name] = make()
            return self._caches[name]  # type: ignore[return-value]

    def names(self) -> list[str]:
        return sorted(self._caches)

    def clear(self) -> None:
        """Empty every cache (each is made again, empty, on its next use)."""
        with self._lock:
            for cache in self._caches.values():
                cache.clear()
