"""When things happened in the demo: each case's opening, closing and the days its child
answered, over the months up to today.

The history starts on 1 January of last year, or 18 months ago if that is earlier,
so every month and quarter of this year and last year has cases open, children
heard and the work that followed. Everything is drawn from one seeded random
generator and counted back from ``today``: the same demo every run on the same day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from feedback.services.impact import months_before

#: Cases opened during the history (the rest were open before it), at these fractions of it.
OPENED_DURING = {5: 0.12, 9: 0.3, 13: 0.5, 16: 0.68, 19: 0.84}
#: Cases closed during the history, at these fractions of it.
CLOSED_DURING = {6: 0.28, 11: 0.47, 14: 0.66, 17: 0.8}
#: Days since each case's child was last heard from, before today (a few are drifting).
LAST_HEARD = (1, 2, 4, 6, 9, 12, 15, 20, 26, 33, 40, 48, 55, 70, 90, 120)
#: The hours children answer: mostly after school and in the evening.
HOURS = (8, 10, 12, 13, 15, 16, 16, 17, 17, 18, 18, 19, 19, 20, 21)


def history_start(today: date) -> date:
    """The demo's first day: 1 January of last year, or 18 months ago if earlier."""
    return min(date(today.year - 1, 1, 1), months_before(today, 18))


@dataclass
class CasePlan:
    """One case's calendar: when it opened, closed and when its child answered."""

    number: int
    opened_at: datetime
    closed_at: datetime | None
    answered: list[datetime] = field(default_factory=list)
    #: Indexes in ``answered`` of the answers that carry something worrying.
    worrying: set[int] = field(default_factory=set)


def at(rng: random.Random, day: date) -> datetime:
    """A believable moment of a day a child answered."""
    return datetime.combine(day, time(rng.choice(HOURS), rng.randint(0, 59)), tzinfo=UTC)


def _office(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=UTC)


def _on(start: date, today: date, fraction: float, rng: random.Random) -> date:
    """A day about ``fraction`` of the way through the history, between the 3rd and the
    18th of its month, so that a case's opening and its first answer share a month."""
    day = start + timedelta(days=int((today - start).days * fraction))
    return day.replace(day=rng.randint(3, 18))


def _days(rng: random.Random, first: date, last: date) -> list[date]:
    """The days a child answered, every few weeks (a long silence now and then), from
    ``first`` to ``last``, both included."""
    mean = rng.choice([24, 30, 35, 40, 48])
    days, day = [], first
    while day < last - timedelta(days=6):
        days.append(day)
        gap = rng.uniform(55, 130) if rng.random() < 0.07 else mean * rng.uniform(0.5, 1.5)
        day += timedelta(days=max(3, round(gap)))
    return [*days, last]


def plan_cases(rng: random.Random, today: date, count: int) -> list[CasePlan]:
    """Draw every case's calendar."""
    start = history_start(today)
    last_heard = list(LAST_HEARD) + [rng.choice(LAST_HEARD) for _ in range(count)]
    rng.shuffle(last_heard)
    plans = []
    for n in range(count):
        if n in OPENED_DURING:
            opened = _on(start, today, OPENED_DURING[n], rng)
            first = opened + timedelta(days=rng.randint(2, 9))
        else:
            opened = start - timedelta(days=rng.randint(40, 1500))
            first = start + timedelta(days=rng.randint(0, 20))
        closed = None
        if n in CLOSED_DURING:
            closed = _on(start, today, CLOSED_DURING[n], rng)
            last = closed - timedelta(days=rng.randint(8, 30))
        elif n < 4:  # these children also answer today (see ``build_demo``)
            last = today - timedelta(days=rng.choice([5, 12, 19, 30]))
        else:
            last = today - timedelta(days=last_heard[n])
        plans.append(CasePlan(
            number=n, opened_at=_office(rng, opened),
            closed_at=_office(rng, closed) if closed else None,
            answered=[at(rng, day) for day in _days(rng, first, last)]))
    _plan_worries(rng, plans)
    return plans


def _plan_worries(rng: random.Random, plans: list[CasePlan]) -> None:
    """Choose two or three answers each month that tell of something worrying."""
    by_month: dict[tuple[int, int], list[tuple[CasePlan, int]]] = {}
    for plan in plans:
        for index, moment in enumerate(plan.answered):
            by_month.setdefault((moment.year, moment.month), []).append((plan, index))
    for month in sorted(by_month):
        answers = by_month[month]
        for plan, index in rng.sample(answers, min(len(answers), rng.choice([2, 2, 3]))):
            plan.worrying.add(index)
