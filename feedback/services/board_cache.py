"""Theme counts of finished months, kept a few minutes in each process.

The trend line needs five periods before the chosen one, over data that hardly
changes (a worker may still confirm or remove a theme on an old comment, so
entries expire). A finished period's whole summary and a finished year's
published set are kept in the same way in ``caching.BoundedCache`` objects with
a ``max_age``. The app keeps each in its cache registry
(``feedback.services.caching``), which can empty them all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from feedback.services import reports

#: How long a month's counts are reused, in seconds.
MAX_AGE = 600

MonthCounts = dict[tuple[int, int], dict[str, int]]


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
