"""Day boundaries for searches by date, safe at the ends of the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def start_of(day: date) -> datetime:
    """Midnight (UTC) at the start of ``day``: a search's first instant."""
    return datetime.combine(day, time.min, UTC)


def end_of(day: date) -> datetime:
    """Midnight (UTC) after ``day``: a search's open upper bound (``< end_of(day)``).

    The last day the calendar holds (9999-12-31) has no day after it, so its
    search runs to the calendar's last instant instead of overflowing.
    """
    if day >= date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day + timedelta(days=1), time.min, UTC)
