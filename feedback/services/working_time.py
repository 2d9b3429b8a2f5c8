"""Working hours in England: 09:00–17:00, Monday to Friday, bank holidays excepted.

Escalation deadlines ("2 working hours") and the board's "read within 2
working days" figure both count time this way, and so does what a child is told
about when a person will read an urgent message (``when_read``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
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


def is_working_time(moment: datetime) -> bool:
    """Is the office open at this moment (a working day, 09:00–17:00 in London)?"""
    local = moment.astimezone(LONDON)
    return is_working_day(local.date()) and DAY_START <= local.time() < DAY_END


#: From this time until 06:00 a child is told who to call "tonight" rather than "now".
EVENING_STARTS = DAY_END
NIGHT_ENDS = time(6, 0)
NOON = time(12, 0)


class DueDay(StrEnum):
    """Which day, from the child's side, a person will read an urgent message."""

    TODAY = "today"
    TOMORROW = "tomorrow"
    LATER = "later"


@dataclass(frozen=True)
class ReadingTime:
    """When a person will read an urgent message sent now, as the child is told it."""

    is_open: bool  #: the office is open now (a working day, 09:00–17:00)
    is_night: bool  #: it is evening or night now (17:00–06:00), whatever the day
    due_at: datetime  #: the escalation deadline, in Europe/London
    due_day: DueDay
    due_on: date  #: the deadline's local date
    is_morning: bool  #: the deadline is before noon

    @property
    def promise(self) -> str:
        """Name the sentence that tells the child when: one key per way of saying it.

        ``today``, ``this_morning`` and ``today_after_opening`` (closed now, before 09:00),
        ``tomorrow_morning``, ``tomorrow``, ``day_morning`` and ``day`` (a later day).
        """
        if self.due_day is DueDay.TODAY:
            if self.is_open:
                return "today"
            return "this_morning" if self.is_morning else "today_after_opening"
        morning = "_morning" if self.is_morning else ""
        return ("tomorrow" if self.due_day is DueDay.TOMORROW else "day") + morning


def when_read(now: datetime, working_hours: float) -> ReadingTime:
    """Say when an urgent message sent at ``now`` (aware) will have been read.

    The deadline is the one escalation works to (``add_working_hours``), so the
    child is promised exactly what the service holds its staff to.
    """
    local = now.astimezone(LONDON)
    due_at = add_working_hours(now, working_hours).astimezone(LONDON)
    days_ahead = (due_at.date() - local.date()).days
    due_day = DueDay.TODAY if days_ahead == 0 else \
        DueDay.TOMORROW if days_ahead == 1 else DueDay.LATER
    return ReadingTime(
        is_open=is_working_time(now),
        is_night=not NIGHT_ENDS <= local.time() < EVENING_STARTS,
        due_at=due_at,
        due_day=due_day,
        due_on=due_at.date(),
        is_morning=due_at.time() < NOON,
    )
