"""Theme counts of finished months, kept a few minutes in each process, and finished
months' figures kept in the database.

The trend line needs five periods before the chosen one, over data that hardly
changes (a worker may still confirm or remove a theme on an old comment, so
entries expire). A finished period's whole summary and a finished year's
published set are kept in the same way in ``caching.BoundedCache`` objects with
a ``max_age``. The app keeps each in its cache registry
(``feedback.services.caching``), which can empty them all.

A process that starts cold would still count a whole year, so each finished
month's figures are also stored in the database (``BoardMonthCounts``) under the
month's version, which database triggers change on every write the figures read
(migration ``0017``): :func:`stored_months` uses them only while the version is
unchanged, and counts and stores the month again otherwise.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from feedback.database import DIALECT_INSERTS
from feedback.models import BoardMonthCounts, BoardMonthVersion, month_number
from feedback.services import impact, reports, summaries
from feedback.services.impact import READ_WORKING_DAYS
from feedback.services.reports import Period
from feedback.services.working_time import add_working_days
from feedback.services.year_disclosure import YearCounts

LOG = logging.getLogger(__name__)
#: (year, month).
Month = tuple[int, int]

#: How long a month's counts are reused, in seconds.
MAX_AGE = 600

MonthCounts = dict[tuple[int, int], dict[str, int]]


class MonthCache:
    """Theme counts of whole months, by (year, month)."""

    def __init__(self, max_age: float = MAX_AGE,
                 clock: Callable[[], float] = monotonic) -> None:
        self._entries: dict[tuple[int, int], tuple[float, dict[str, int]]] = {}
        self._lock = threading.Lock()
        self._max_age, self._clock = max_age, clock

    def counts(self, session: Session, start: date, end: date,
               fetch: Callable[[Session, date, date], MonthCounts] | None = None) -> MonthCounts:
        """Return {(year, month): {theme: responses}} for the months from start to end,
        asking ``fetch`` (by default a count) for those it does not hold."""
        months = _months(start, end)
        now = self._clock()
        with self._lock:
            missing = [m for m in months
                       if m not in self._entries or now - self._entries[m][0] > self._max_age]
        if missing:
            first, last = missing[0], missing[-1]
            fetched = (fetch or reports.theme_month_counts)(
                session, date(first[0], first[1], 1), _month_after(last))
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


# Finished months' counts kept in the database, under the month's version.

#: How long after a month ends (by the database's clock) before its counts are stored: a
#: write that began in the month and commits later changed no version (see migration 0017).
SETTLE = timedelta(days=2)
#: {month: figures} of one kind, and what counts the months from start to end (exclusive).
Counter = Callable[[Session, date, date, datetime], Mapping[Month, Any]]


@dataclass(frozen=True)
class Kind:
    """A kind of stored figures: its name, how it is counted and how it is kept as JSON."""

    name: str
    count: Counter
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    empty: Callable[[], Any]


def _db_now(session: Session) -> datetime:
    """The database's clock (UTC), the one its triggers read."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.scalar(text("SELECT clock_timestamp() AT TIME ZONE 'UTC'"))
    else:
        value = session.scalar(text("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now')"))
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC)


def settled(month: Month, db_now: datetime, now: datetime) -> bool:
    """May a month's counts be stored? Once it has been over for ``SETTLE`` by both clocks,
    and every one of its comments' reading deadlines has passed."""
    end = datetime.combine(_month_after(month), time(0), UTC)
    last_noon = end - timedelta(hours=12)
    return (min(db_now, now) >= end + SETTLE
            and now >= add_working_days(last_noon, READ_WORKING_DAYS))


def _runs(months: Sequence[Month]) -> list[list[Month]]:
    """Split months (in order) into runs of consecutive months."""
    runs: list[list[Month]] = []
    for month in months:
        if runs and month_number(*runs[-1][-1]) + 1 == month_number(*month):
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def stored_months(session: Session, kind: Kind, start: date, end: date, now: datetime
                  ) -> dict[Month, Any]:
    """Return a kind's figures for every month from start to end (exclusive).

    A settled month's stored figures are used while their version is still the
    month's; every other month is counted (consecutive months in one go), and a
    settled one is stored with the version read *before* it was counted, so a write
    made meanwhile leaves it outdated, never wrong.
    """
    months = _months(start, end)
    if not months:
        return {}
    db_now = _db_now(session)
    keep = {m for m in months if settled(m, db_now, now)}
    first, last = month_number(*months[0]), month_number(*months[-1])
    versions = dict(session.execute(
        select(BoardMonthVersion.month, BoardMonthVersion.version)
        .where(BoardMonthVersion.month.between(first, last))).all())
    result: dict[Month, Any] = {}
    if keep:
        rows = session.execute(
            select(BoardMonthCounts.month, BoardMonthCounts.version, BoardMonthCounts.counts)
            .where(BoardMonthCounts.kind == kind.name,
                   BoardMonthCounts.month.between(first, last)))
        for number, version, counts in rows:
            month = (number // 12, number % 12 + 1)
            if month in keep and version == versions.get(number, 0):
                try:
                    result[month] = kind.decode(json.loads(counts))
                except (KeyError, TypeError, ValueError):  # another release's form: count
                    LOG.info("board: a stored month of kind %s is counted again", kind.name)
    missing = [m for m in months if m not in result]
    fresh: list[dict[str, Any]] = []
    for run in _runs(missing):
        counted = kind.count(session, date(run[0][0], run[0][1], 1), _month_after(run[-1]), now)
        for month in run:
            result[month] = counted.get(month) or kind.empty()
            if month in keep:
                number = month_number(*month)
                fresh.append({"month": number, "kind": kind.name,
                              "version": versions.get(number, 0), "counted_at": now,
                              "counts": json.dumps(kind.encode(result[month]),
                                                   separators=(",", ":"))})
    if fresh:
        _store(session, fresh)
    return result


def _store(session: Session, rows: list[dict[str, Any]]) -> None:
    """Keep counted months, in a transaction of their own (a page's own is never committed).

    A store that cannot be written now (SQLite busy with another writer) is skipped:
    the months are counted again next time.
    """
    bind = session.get_bind()
    if not isinstance(bind, Engine):
        return
    statement = DIALECT_INSERTS[bind.dialect.name](BoardMonthCounts)
    statement = statement.on_conflict_do_update(
        index_elements=["month", "kind"],
        set_={column: statement.excluded[column]
              for column in ("version", "counts", "counted_at")})
    sqlite = bind.dialect.name == "sqlite"
    try:
        with bind.begin() as connection:
            if sqlite:  # never wait for a writer: counting again later is cheaper
                waits = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                connection.execute(statement, rows)
            finally:
                if sqlite:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(waits or 0)}")
    except OperationalError:
        LOG.info("board: %d counted months not stored (database busy)", len(rows))


@dataclass(frozen=True)
class MonthFigures:
    """One month's atoms of its year's published set, and its comments' golden thread."""

    #: Responses per theme and place.
    themes: Mapping[str, Mapping[Any, int]]
    #: Responses per place.
    responses: Mapping[Any, int]
    #: Comments per theme and feeling.
    feelings: Mapping[str, Mapping[str | None, int]]
    comments: int
    #: ``impact.THREAD``: read in time (met, out of), linked, replied, case comments.
    thread: tuple[int, ...]
    #: The children (case ids) heard per theme, and per pod holding the case.
    theme_cases: Mapping[str, frozenset[int]]
    pod_cases: Mapping[int, frozenset[int]]
    #: The plan actions linked to the month's case comments: done now or not.
    actions: Mapping[int, bool]


def _count_figures(session: Session, start: date, end: date, now: datetime
                   ) -> dict[Month, MonthFigures]:
    themes = reports.theme_place_month_counts(session, start, end)
    responses = reports.response_month_facts(session, start, end)
    feelings = reports.sentiment_month_counts(session, start, end)
    comments = reports.comment_month_counts(session, start, end)
    thread = impact.comment_thread(session, start, end, now)
    theme_cases = reports.theme_case_months(session, start, end)
    pod_cases = reports.pod_case_months(session, start, end)
    actions = impact.action_months(session, start, end)
    return {month: MonthFigures(
        themes={t: by[month] for t, by in themes.items() if month in by},
        responses=responses.get(month, {}),
        feelings={t: by[month] for t, by in feelings.items() if month in by},
        comments=comments.get(month, 0), thread=thread.get(month, impact.NO_THREAD),
        theme_cases={t: frozenset(c) for t, c in theme_cases.get(month, {}).items()},
        pod_cases={p: frozenset(c) for p, c in pod_cases.get(month, {}).items()},
        actions=actions.get(month, {}))
        for month in _months(start, end)}


def _cells(cells: Mapping[Any, int]) -> list[list[Any]]:
    return [[*key, n] if isinstance(key, tuple) else [key, n] for key, n in cells.items()]


def _places(rows: list[list[Any]]) -> dict[Any, int]:
    return {tuple(row[:-1]): row[-1] for row in rows}


def _feelings(rows: list[list[Any]]) -> dict[str | None, int]:
    return {row[0]: row[1] for row in rows}


def _encode(f: MonthFigures) -> dict[str, Any]:
    return {"t": {t: _cells(c) for t, c in f.themes.items()}, "r": _cells(f.responses),
            "c": f.comments, "h": list(f.thread),
            "f": {t: _cells(c) for t, c in f.feelings.items()},
            "k": {t: sorted(c) for t, c in f.theme_cases.items()},
            "p": [[pod, sorted(c)] for pod, c in f.pod_cases.items()],
            "a": sorted([action, int(done)] for action, done in f.actions.items())}


def _decode(d: dict[str, Any]) -> MonthFigures:
    return MonthFigures(
        themes={t: _places(rows) for t, rows in d["t"].items()}, responses=_places(d["r"]),
        feelings={t: _feelings(rows) for t, rows in d["f"].items()}, comments=d["c"],
        thread=tuple(d["h"]), theme_cases={t: frozenset(c) for t, c in d["k"].items()},
        pod_cases={pod: frozenset(c) for pod, c in d["p"]},
        actions={action: bool(done) for action, done in d["a"]})


YEAR = Kind(name="year", count=_count_figures, encode=_encode, decode=_decode,
            empty=lambda: MonthFigures({}, {}, {}, 0, impact.NO_THREAD, {}, {}, {}))
TREND = Kind(name="trend", count=lambda session, start, end, _now:
             reports.theme_month_counts(session, start, end),
             encode=dict, decode=dict, empty=dict)


def year_months(session: Session, year: int, now: datetime) -> dict[Month, MonthFigures]:
    """Every month's figures of a calendar year, stored where settled and unchanged."""
    return stored_months(session, YEAR, date(year, 1, 1), date(year + 1, 1, 1), now)


def year_counts(year: int, months: Mapping[Month, MonthFigures]) -> YearCounts:
    """A year's atoms (as ``summaries.count_year`` counts them) from its months' figures."""
    themes: dict[str, dict[Month, Mapping[Any, int]]] = defaultdict(dict)
    feelings: dict[str, dict[Month, Mapping[Any, int]]] = defaultdict(dict)
    for month, figures in sorted(months.items()):
        for theme, cells in figures.themes.items():
            themes[theme][month] = cells
        for theme, cells in figures.feelings.items():
            feelings[theme][month] = cells
    return YearCounts(year=year, themes=dict(themes), feelings=dict(feelings),
                      responses={m: f.responses for m, f in months.items() if f.responses},
                      comments={m: f.comments for m, f in months.items() if f.comments})


def thread_of(months: Mapping[Month, MonthFigures], period: Period) -> tuple[int, ...]:
    """The period's golden-thread comment figures, added up over its months."""
    totals = [0] * len(impact.NO_THREAD)
    for month in period.months():
        for index, n in enumerate(months[month].thread):
            totals[index] += n
    return tuple(totals)


def children_of(months: Mapping[Month, MonthFigures]) -> summaries.Children:
    """A period's children per theme and per pod, joined from its months' sets."""
    def children(period: Period) -> tuple[dict[str, int], dict[int, int]]:
        themes: dict[str, set[int]] = defaultdict(set)
        pods: dict[int, set[int]] = defaultdict(set)
        for month in period.months():
            for theme, cases in months[month].theme_cases.items():
                themes[theme] |= cases
            for pod, cases in months[month].pod_cases.items():
                pods[pod] |= cases
        return ({t: len(c) for t, c in themes.items()}, {p: len(c) for p, c in pods.items()})
    return children


def actions_of(months: Mapping[Month, MonthFigures], period: Period) -> tuple[int, int]:
    """The period's plan actions done and linked, each once, joined from its months."""
    actions: dict[int, bool] = {}
    for month in period.months():
        actions.update(months[month].actions)
    return sum(actions.values()), len(actions)


def theme_months(now: datetime) -> Callable[[Session, date, date], MonthCounts]:
    """Responses per month and theme, stored where settled and unchanged (for the trend)."""
    def counts(session: Session, start: date, end: date) -> MonthCounts:
        return {m: by for m, by in stored_months(session, TREND, start, end, now).items() if by}
    return counts
