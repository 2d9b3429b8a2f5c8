"""Counts of finished months and periods, kept a few minutes in each process.

The trend line needs five periods before the chosen one: the largest query on
the page, over data that hardly changes (a worker may still confirm or remove
a theme on an old comment, so entries expire). A finished period's whole
summary is kept the same way, so that the PDF and spreadsheet asked for after
the page reuse its counts. A period that includes today is always counted
afresh (``board_report.counts``). Both caches are plain objects: the app keeps
one of each in its cache registry (``feedback.services.caching``), which can
empty them with :meth:`clear`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from feedback.services import reports

#: How long a month's counts are reused, in seconds.
MAX_AGE = 600

MonthCounts = dict[tuple[int, int], dict[str, int]]

V = TypeVar("V")


class MonthCache:
    """Theme counts of whole months, by (year, month)."""

    def __init__(self, max_age: float = MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[tuple[int, int], tuple[float, dict[str, int]]] = {}
        self._lock = threading.Lock()
        self._max_age, self._clock = max_age, clock

    def counts(self, session: Session, start: date, end: date) -> MonthCounts:
        """Return {(year, month): {theme: responses}} for the months from start to end."""
        months = _months(start, end)
        now = self._clock()
        with self._lock:
            missing = [m for m in months
                       if m not in self._entries or now - self._entries[m][0] > self._max_age]
        if missing:
            first, last = missing[0], missing[-1]
            fetched = reports.theme_month_counts(session, date(first[0], first[1], 1),
                                                 _month_after(last))
            with self._lock:
                for month in months[months.index(first):months.index(last) + 1]:
                    self._entries[month] = (now, dict(fetched.get(month, {})))
        with self._lock:
            return {m: dict(self._entries[m][1]) for m in months}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _months(start: date, end: date) -> list[tuple[int, int]]:
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [(m // 12, m % 12 + 1) for m in range(first, last)]


def _month_after(month: tuple[int, int]) -> date:
    index = month[0] * 12 + month[1]
    return date(index // 12, index % 12 + 1, 1)


class ResultCache:
    """Any finished period's results, by key, for ``max_age`` seconds."""

    def __init__(self, max_age: float = MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._max_age, self._clock = max_age, clock

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """Return the unexpired result kept for ``key``, or make it, keep it and return it."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] <= self._max_age:
                return entry[1]
        value = make()
        with self._lock:
            self._entries = {k: v for k, v in self._entries.items()
                             if now - v[0] <= self._max_age}
            self._entries[key] = (now, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
