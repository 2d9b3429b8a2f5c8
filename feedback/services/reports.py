"""The board's themed summary: fixed reporting periods and grouped SQL queries.

Every figure is counted by the database (``GROUP BY``); no comment is loaded
into Python. ``build_summary`` (in ``summaries``) applies suppression. Counts
of responses per theme read ``response_themes`` (one row per response and
theme), so they need neither a join through comments nor ``DISTINCT``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, distinct, extract, func, literal_column, select
from sqlalchemy.orm import Session

from feedback.models import (
    Case, Comment, ParticipationSession, Pod, Questionnaire, QuestionnaireVersion, Response,
    ResponseTheme, TagStatus, ThemeTag,
)

PERIOD_KINDS = ("month", "quarter", "year")
#: Breakdowns the board can ask for; each puts every response in exactly one group.
DIMENSIONS = ("pod", "age_band", "questionnaire", "session")
#: How many periods a trend line covers, the chosen one included.
TREND_LENGTH = 6
_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


class PeriodError(ValueError):
    """Not a reporting period: ``2026-11`` (month), ``2026-Q3`` (quarter) or ``2026`` (year)."""


@dataclass(frozen=True, order=True)
class Period:
    """A fixed calendar month, quarter or year (never an arbitrary range)."""

    kind: str
    year: int
    #: Month 1-12, quarter 1-4, or 1 for a year.
    number: int = 1

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2026-11``, ``2026-Q3`` or ``2026``."""
        match = _PERIOD.match(text.strip().upper())
        if match is None or not 2000 <= int(match.group(1)) <= 2999:
            raise PeriodError(f"not a reporting period: {text!r}")
        year, month, quarter = match.groups()
        if month:
            return cls("month", int(year), int(month))
        if quarter:
            return cls("quarter", int(year), int(quarter))
        return cls("year", int(year))

    @classmethod
    def containing(cls, day: date, kind: str) -> Period:
        number = {"month": day.month, "quarter": (day.month - 1) // 3 + 1, "year": 1}[kind]
        return cls(kind, day.year, number)

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-Q{self.number}" if self.kind == "quarter" else str(self.year)

    @property
    def length(self) -> int:
        """Months in the period."""
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def first_month(self) -> int:
        """Months since year 0 of the period's first month (for arithmetic)."""
        return self.year * 12 + (self.number - 1) * self.length

    @property
    def start(self) -> date:
        return date(self.year, (self.first_month % 12) + 1, 1)

    @property
    def end(self) -> date:
        """The day after the period (exclusive)."""
        after = self.first_month + self.length
        return date(after // 12, after % 12 + 1, 1)

    def shifted(self, periods: int) -> Period:
        """Return the period ``periods`` before (negative) or after this one."""
        first = self.first_month + periods * self.length
        year = first // 12
        return Period(self.kind, year, (first % 12) // self.length + 1)

    def previous(self) -> Period:
        return self.shifted(-1)

    def months(self) -> list[tuple[int, int]]:
        return [(m // 12, m % 12 + 1)
                for m in range(self.first_month, self.first_month + self.length)]

    def __str__(self) -> str:
        return self.code


def default_period(today: date) -> Period:
    """Return the last complete quarter: the board's usual reporting period."""
    return Period.containing(today, "quarter").previous()


def recent_periods(today: date) -> dict[str, list[Period]]:
    """Return the periods offered in the period menu, newest first, by kind."""
    counts = {"month": 24, "quarter": 12, "year": 6}
    return {kind: [Period.containing(today, kind).shifted(-n) for n in range(counts[kind])]
            for kind in PERIOD_KINDS}


def trend_periods(period: Period) -> list[Period]:
    """Return the periods of the trend line, oldest first, ending with ``period``."""
    return [period.shifted(n) for n in range(1 - TREND_LENGTH, 1)]


_LIVE_TAG = ThemeTag.status != TagStatus.REMOVED
#: The theme to group by. Concatenated with '' so that SQLite, grouping by theme alone,
#: does not choose to scan every tag in theme order rather than the period's responses.
_THEME = ThemeTag.theme.concat(literal_column("''"))


def _in(start: date, end: date) -> ColumnElement[bool]:
    return (Response.submitted_on >= start) & (Response.submitted_on < end)


#: (pod, age band, questionnaire, session) of a response: its place in each breakdown
#: (None where it has none: no case, no age band given, not in a session).
Place = tuple[int | None, str | None, int | None, int | None]
#: The columns a place is read from, in its order.
_PLACE = (Case.pod_id, Response.age_band, QuestionnaireVersion.questionnaire_id,
          Response.session_id)
#: A SELECT of any columns.
_Query = TypeVar("_Query", bound=Select)


def _with_place(query: _Query) -> _Query:
    """Join what a response's place is read from (a response need not have a case)."""
    return (query.outerjoin(Case, Case.id == Response.case_id)
            .outerjoin(QuestionnaireVersion,
                       QuestionnaireVersion.id == Response.questionnaire_version_id))


def theme_month_counts(session: Session, start: date, end: date
                       ) -> dict[tuple[int, int], dict[str, int]]:
    """Count responses per month and theme: {(year, month): {theme: n}}.

    A response counts once per theme however many of its comments carry the theme.
    Counted per day from the index alone, then added up into months.
    """
    rows = session.execute(
        select(ResponseTheme.submitted_on, ResponseTheme.theme, func.count())
        .where(ResponseTheme.submitted_on >= start, ResponseTheme.submitted_on < end)
        .group_by(ResponseTheme.submitted_on, ResponseTheme.theme))
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, theme, n in rows:
        counts[day.year, day.month][theme] += n
    return {month: dict(themes) for month, themes in counts.items()}


def theme_place_counts(session: Session, start: date, end: date
                       ) -> dict[str, dict[Place, int]]:
    """Count responses per theme and place: {theme: {place: n}}.

    Every response sits in exactly one place, so these counts add up to the
    responses per theme and to any one breakdown.
    """
    query = _with_place(
        select(ResponseTheme.theme, *_PLACE, func.count())
        .select_from(ResponseTheme).join(Response, Response.id == ResponseTheme.response_id))
    rows = session.execute(query.where(ResponseTheme.submitted_on >= start,
                                       ResponseTheme.submitted_on < end)
                           .group_by(ResponseTheme.theme, *_PLACE))
    counts: dict[str, dict[Place, int]] = defaultdict(dict)
    for theme, pod, band, questionnaire, event, n in rows:
        counts[theme][pod, band.value if band else None, questionnaire, event] = n
    return counts


def response_facts(session: Session, start: date, end: date) -> dict[Place, int]:
    """Count responses per place in the period."""
    query = _with_place(select(*_PLACE, func.count(Response.id)).select_from(Response))
    rows = session.execute(query.where(_in(start, end)).group_by(*_PLACE))
    return {(pod, band.value if band else None, q, event): n
            for pod, band, q, event, n in rows}


#: (year, month) of a count.
MonthKey = tuple[int, int]


def _month_of(column: Any) -> tuple[ColumnElement[int], ColumnElement[int]]:
    return extract("year", column), extract("month", column)


def theme_place_month_counts(session: Session, start: date, end: date
                             ) -> dict[str, dict[MonthKey, dict[Place, int]]]:
    """Count responses per theme, month and place: {theme: {(year, month): {place: n}}}.

    SQLite reads the period's responses (their board index covers every column of
    the place) and each one's themes (the primary key of ``response_themes`` covers
    them): one index search per response, not a table row per response and theme.
    PostgreSQL is also given the period on ``response_themes`` (the response's day,
    copied), so it scans that table's board index rather than all of it; SQLite,
    given it, would read the table's rows.
    """
    year, month = _month_of(Response.submitted_on)
    query = _with_place(
        select(ResponseTheme.theme, year, month, *_PLACE, func.count())
        .select_from(Response).join(ResponseTheme, ResponseTheme.response_id == Response.id)
        .where(_in(start, end)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.where(ResponseTheme.submitted_on >= start, ResponseTheme.submitted_on < end)
    rows = session.execute(query.group_by(ResponseTheme.theme, year, month, *_PLACE))
    counts: dict[str, dict[MonthKey, dict[Place, int]]] = defaultdict(lambda: defaultdict(dict))
    for theme, y, m, pod, band, questionnaire, event, n in rows:
        place = (pod, band.value if band else None, questionnaire, event)
        counts[theme][int(y), int(m)][place] = n
    return {theme: dict(months) for theme, months in counts.items()}


def response_month_facts(session: Session, start: date, end: date
                         ) -> dict[MonthKey, dict[Place, int]]:
    """Count responses per month and place: {(year, month): {place: n}}."""
    year, month = _month_of(Response.submitted_on)
    query = _with_place(select(year, month, *_PLACE, func.count(Response.id))
                        .select_from(Response))
    rows = session.execute(query.where(_in(start, end)).group_by(year, month, *_PLACE))
    counts: dict[MonthKey, dict[Place, int]] = defaultdict(dict)
    for y, m, pod, band, questionnaire, event, n in rows:
        counts[int(y), int(m)][pod, band.value if band else None, questionnaire, event] = n
    return dict(counts)


def sentiment_month_counts(session: Session, start: date, end: date
                           ) -> dict[str, dict[MonthKey, dict[str | None, int]]]:
    """Count comments per theme, month and sentiment (None: not analysed)."""
    year, month = _month_of(Response.submitted_on)
    rows = session.execute(
        select(_THEME, year, month, Comment.sentiment, func.count(Comment.id))
        .select_from(Response).join(Comment, Comment.response_id == Response.id)
        .join(ThemeTag, ThemeTag.comment_id == Comment.id)
        .where(_in(start, end), _LIVE_TAG).group_by(_THEME, year, month, Comment.sentiment))
    counts: dict[str, dict[MonthKey, dict[str | None, int]]] = defaultdict(
        lambda: defaultdict(dict))
    for theme, y, m, sentiment, n in rows:
        counts[theme][int(y), int(m)][sentiment.value if sentiment else None] = n
    return {theme: dict(months) for theme, months in counts.items()}


def comment_month_counts(session: Session, start: date, end: date) -> dict[MonthKey, int]:
    """Count comments per month."""
    year, month = _month_of(Response.submitted_on)
    rows = session.execute(select(year, month, func.count(Comment.id)).select_from(Response)
                           .join(Comment, Comment.response_id == Response.id)
                           .where(_in(start, end)).group_by(year, month))
    return {(int(y), int(m)): n for y, m, n in rows}


def theme_case_months(session: Session, start: date, end: date
                      ) -> dict[MonthKey, dict[str, set[int]]]:
    """The children (cases) heard per month and theme: distinct cases are not sums of
    months, but the months' sets can be joined (``children_by_theme`` from stored months)."""
    year, month = _month_of(ResponseTheme.submitted_on)
    rows = session.execute(
        select(ResponseTheme.theme, year, month, ResponseTheme.case_id).distinct()
        .where(ResponseTheme.submitted_on >= start, ResponseTheme.submitted_on < end,
               ResponseTheme.case_id.is_not(None)))
    cases: dict[MonthKey, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for theme, y, m, case_id in rows:
        if case_id is not None:
            cases[int(y), int(m)][theme].add(case_id)
    return {key: dict(by) for key, by in cases.items()}


def pod_case_months(session: Session, start: date, end: date
                    ) -> dict[MonthKey, dict[int, set[int]]]:
    """The children (cases) heard per month, by the pod holding the case now."""
    year, month = _month_of(Response.submitted_on)
    rows = session.execute(
        select(Case.pod_id, year, month, Response.case_id).distinct()
        .select_from(Response).join(Case, Case.id == Response.case_id).where(_in(start, end)))
    cases: dict[MonthKey, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for pod, y, m, case_id in rows:
        if case_id is not None:
            cases[int(y), int(m)][pod].add(case_id)
    return {key: dict(by) for key, by in cases.items()}


def children_by_theme(session: Session, start: date, end: date) -> dict[str, int]:
    """Count distinct children (cases) per theme; anonymous responses have none."""
    rows = session.execute(
        select(ResponseTheme.theme, func.count(distinct(ResponseTheme.case_id)))
        .where(ResponseTheme.submitted_on >= start, ResponseTheme.submitted_on < end,
               ResponseTheme.case_id.is_not(None))
        .group_by(ResponseTheme.theme))
    return {theme: n for theme, n in rows}


def children_by_pod(session: Session, start: date, end: date) -> dict[int, int]:
    """Count distinct children (cases) heard in the period, per pod."""
    rows = session.execute(
        select(Case.pod_id, func.count(distinct(Response.case_id)))
        .select_from(Response).join(Case, Case.id == Response.case_id)
        .where(_in(start, end)).group_by(Case.pod_id))
    return {pod: n for pod, n in rows}


def sentiment_by_theme(session: Session, start: date, end: date
                       ) -> dict[str, dict[str | None, int]]:
    """Count comments per theme and sentiment (None: not analysed)."""
    rows = session.execute(
        select(_THEME, Comment.sentiment, func.count(Comment.id))
        .select_from(Response).join(Comment, Comment.response_id == Response.id)
        .join(ThemeTag, ThemeTag.comment_id == Comment.id)
        .where(_in(start, end), _LIVE_TAG).group_by(_THEME, Comment.sentiment))
    result: dict[str, dict[str | None, int]] = defaultdict(dict)
    for theme, sentiment, n in rows:
        result[theme][sentiment.value if sentiment else None] = n
    return result


def comment_count(session: Session, start: date, end: date) -> int:
    return session.scalar(select(func.count(Comment.id)).select_from(Response)
                          .join(Comment, Comment.response_id == Response.id)
                          .where(_in(start, end))) or 0


def session_theme_counts(session: Session, event_id: int) -> dict[str, int]:
    """Count a session's responses per theme."""
    rows = session.execute(
        select(ResponseTheme.theme, func.count())
        .select_from(ResponseTheme).join(Response, Response.id == ResponseTheme.response_id)
        .where(Response.session_id == event_id).group_by(ResponseTheme.theme))
    return {theme: n for theme, n in rows}


@dataclass(frozen=True)
class Names:
    """What each breakdown's groups are called (pods are teams; sessions have titles)."""

    pods: dict[int, str]
    questionnaires: dict[int, str]
    sessions: dict[int, tuple[str, date]]


def names(session: Session, language: str = "en") -> Names:
    """Return the names of pods, questionnaires and sessions."""
    pods = {id_: name for id_, name in session.execute(select(Pod.id, Pod.name))}
    titles = {}
    for questionnaire in session.scalars(select(Questionnaire)):
        title = questionnaire.current.definition.get("title", {}) if questionnaire.versions \
            else {}
        titles[questionnaire.id] = title.get(language) or title.get("en") or questionnaire.slug
    sessions = {id_: (title, starts) for id_, title, starts in session.execute(
        select(ParticipationSession.id, ParticipationSession.title,
               ParticipationSession.starts_on))}
    return Names(pods, titles, sessions)
