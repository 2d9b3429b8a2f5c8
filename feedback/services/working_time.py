"""Working hours in England: 09:00–17:00, Monday to Friday, bank holidays excepted.

Escalation deadlines ("2 working hours") and the board's "read within 2
working days" figure both count time this way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
DAY_START = time(9, 0)
DAY_END = time(17, 0)


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """Return the moment ``hours`` working hours after ``start`` (aware, UTC)."""
    local = start.astimezone(LONDON)
    remaining = timedelta(hours=hours)
    while True:
        day = local.date()
        opens = datetime.combine(day, DAY_START, LONDON)
        closes = datetime.combine(day, DAY_END, LONDON)
        if is_working_day(day) and local < closes:
            begin = max(local, opens)
            if begin + remaining <= closes:
                return (begin + remaining).astimezone(UTC)
            remaining -= closes - begin
        local = datetime.combine(day + timedelta(days=1), DAY_START, LONDON)


def add_working_days(start: datetime, days: int) -> datetime:
    """Return the end of the ``days``-th working day after ``start``'s day (aware, UTC)."""
    day = start.astimezone(LONDON).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return datetime.combine(day, DAY_END, LONDON).astimezone(UTC)
