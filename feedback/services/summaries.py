"""Assemble the board's themed summary from grouped counts, with suppression applied.

Every additive figure of a period (responses per theme, the theme × pod, age
band, questionnaire and session tables, comments per theme and feeling, the
one-way breakdowns, the headline totals) is hidden as its calendar year's
published set says: :func:`protect_year` counts the year's atoms once and
``year_disclosure.protect_year`` decides, for every month, quarter and the year
together, what shows as c, so no arithmetic across periods or breakdowns
pins a small count (see docs/board.md).

* A cross-tabulation breaks a theme down only when the theme's total is shown
  and reaches the cross-tabulation threshold; its cells below that threshold
  are hidden, with complementary suppression over the whole year; a row that
  nothing else can protect is withdrawn ("–").
* The children and the comments of a hidden theme are hidden with it: they
  bound its count. Children are distinct cases, not sums of months, so they
  are suppressed within the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from feedback.models import AgeBand, ParticipationSession, Sentiment
from feedback.services import reports, year_disclosure
from feedback.services.reports import DIMENSIONS, Period
from feedback.services.suppression import K, Line, crosstab_threshold, shown, suppress
from feedback.theming import THEME_CODES

#: Sentiment columns, with None for comments the analyser could not read.
SENTIMENTS: tuple[str | None, ...] = (Sentiment.POSITIVE.value, Sentiment.MIXED.value,
                                      Sentiment.NEUTRAL.value, Sentiment.NEGATIVE.value, None)
_AGE_ORDER = {band.value: n for n, band in enumerate(AgeBand)}


@dataclass(frozen=True)
class Count:
    """A count as the board sees it: the value, and whether it shows as "c"."""

    value: int
    is_suppressed: bool = False

    @property
    def shown(self) -> int | str:
        result = shown(self.value, self.is_suppressed)
        assert result is not None
        return result


def primary(value: int, threshold: int, hide: bool = False) -> Count:
    """Return a count hidden when it is from 1 to threshold - 1 (or when ``hide``)."""
    return Count(value, bool(value) and (hide or value < threshold))


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    responses: Count
    children: Count
    #: One per trend period, oldest first; the last is ``responses``.
    trend: tuple[Count, ...]
    #: Comments per feeling (None: not analysed), or None when not broken down.
    sentiment: Mapping[str | None, Count] | None
    comments: Count

    @property
    def previous(self) -> Count:
        return self.trend[-2]

    @property
    def change(self) -> int | None:
        """Responses now minus the previous period, or None when either is suppressed."""
        if self.responses.is_suppressed or self.previous.is_suppressed:
            return None
        return self.responses.value - self.previous.value


@dataclass(frozen=True)
class Breakdown:
    """Responses per group of one breakdown, and the theme × group cross-tabulation."""

    dimension: str
    #: Groups in display order; None is the group outside this breakdown (see docs/board.md).
    groups: tuple[Hashable, ...]
    #: Responses per group, or None when the breakdown is withdrawn for the period ("–").
    responses: Mapping[Hashable, Count] | None
    #: Distinct children per pod (pod breakdown only).
    children: Mapping[Hashable, Count] | None
    #: Columns of the cross-tabulation (groups with any themed response).
    themed_groups: tuple[Hashable, ...]
    #: Per theme, the cells by group, or None when the theme is too small to break down.
    by_theme: Mapping[str, Mapping[Hashable, Count] | None]


@dataclass(frozen=True)
class Summary:
    period: Period
    trend_periods: tuple[Period, ...]
    threshold: int
    crosstab_threshold: int
    responses: Count
    comments: Count
    children: Count
    themes: tuple[ThemeRow, ...]
    breakdowns: Mapping[str, Breakdown]

    def theme(self, code: str) -> ThemeRow:
        return next(row for row in self.themes if row.theme == code)


def _sort_key(dimension: str) -> Any:
    def key(group: Hashable) -> tuple[bool, Any]:
        if dimension == "age_band":
            return group is None, _AGE_ORDER.get(str(group), 0)
        return group is None, group if group is not None else 0
    return key


def _groups(dimension: str, places: Any) -> tuple[Hashable, ...]:
    index = DIMENSIONS.index(dimension)
    return tuple(sorted({place[index] for place in places}, key=_sort_key(dimension)))


#: A key of the headline figures: ("all",), ("r", dimension, group), ("ch", pod)...
SystemKey = tuple[Hashable, ...]


def count_year(session: Session, year: int) -> year_disclosure.YearCounts:
    """Count a calendar year's atoms: four grouped queries, whatever period is asked for."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return year_disclosure.YearCounts(
        year=year, themes=reports.theme_place_month_counts(session, start, end),
        responses=reports.response_month_facts(session, start, end),
        feelings=reports.sentiment_month_counts(session, start, end),
        comments=reports.comment_month_counts(session, start, end))


def protect_year(session: Session, year: int, threshold: int,
                 counts: year_disclosure.YearCounts | None = None
                 ) -> year_disclosure.YearProtection:
    """Decide what each of a year's periods shows as c (one published set), from its
    ``counts`` (counted here when not given)."""
    return year_disclosure.protect_year(counts or count_year(session, year), THEME_CODES,
                                        threshold, crosstab_threshold(threshold),
                                        len(DIMENSIONS))


#: Returns the protection of a year (a cache may answer).
YearSets = Callable[[int], year_disclosure.YearProtection]
MonthCounts = Callable[[Session, date, date], Mapping[tuple[int, int], Mapping[str, int]]]


def _in_period(cells: Mapping[tuple[int, int], Mapping[K, int]], period: Period
               ) -> dict[K, int]:
    """Add up a year's {month: {key: n}} over the period's months."""
    total: dict[K, int] = defaultdict(int)
    for month in period.months():
        for key, n in cells.get(month, {}).items():
            total[key] += n
    return dict(total)


def _trend(session: Session, window: Sequence[Period], protection: year_disclosure.YearProtection,
           threshold: int, month_counts: MonthCounts) -> dict[str, tuple[Count, ...]]:
    """Responses per theme in each period of the window, each hidden as its own year's set
    hides it; the last is the current period."""
    year = protection.counts.year
    earlier: dict[int, dict[str, frozenset[str]]] = {}
    months: Mapping[tuple[int, int], Mapping[str, int]] = {}
    if window[0].year < year:
        months = month_counts(session, date(window[0].year, 1, 1), date(year, 1, 1))
        earlier = {y: year_disclosure.protect_theme_totals(months, y, THEME_CODES, threshold)
                   for y in range(window[0].year, year)}
    counts: dict[str, list[Count]] = {theme: [] for theme in THEME_CODES}
    for period in window:
        for theme in THEME_CODES:
            if period.year == year:
                value = sum(protection.counts.theme_months(theme).get(m, 0)
                            for m in period.months())
                hidden = period.code in protection.themes[theme].totals
            else:
                value = sum(months.get(m, {}).get(theme, 0) for m in period.months())
                hidden = period.code in earlier[period.year][theme]
            counts[theme].append(Count(value, hidden and value > 0))
    return {theme: tuple(values) for theme, values in counts.items()}


def _responses(session: Session, period: Period, protection: year_disclosure.YearProtection,
               threshold: int, children: Mapping[int, int]
               ) -> tuple[dict[SystemKey, Count], dict[str, tuple[Hashable, ...]]]:
    """The headline totals, the one-way breakdowns and children per pod."""
    code, hidden = period.code, protection.responses
    facts = _in_period(protection.counts.responses, period)
    groups = {dim: _groups(dim, facts) for dim in DIMENSIONS}
    total = sum(facts.values())
    result: dict[SystemKey, Count] = {("all",): Count(total, total > 0 and code in hidden.totals)}
    for index, dim in enumerate(DIMENSIONS):
        cells: dict[Hashable, int] = defaultdict(int)
        for place, n in facts.items():
            cells[place[index]] += n
        result.update({("r", dim, g): Count(cells[g], cells[g] > 0 and (code, index, g)
                                            in hidden.cells) for g in groups[dim]})
    comments = sum(protection.counts.comments.get(m, 0) for m in period.months())
    result[("comments",)] = Count(comments, comments > 0 and code in protection.comments)
    # Children are distinct cases, not sums of months: suppressed within the period, and a
    # pod's children (all children) whenever its responses (all responses) are: they bound them.
    children = dict(sorted(children.items()))  # however they were counted
    values: dict[SystemKey, int] = {("children",): sum(children.values())}
    values.update({("ch", pod): n for pod, n in children.items()})
    lines: list[Line[SystemKey]] = [Line(("children",), tuple(("ch", pod) for pod in children))]
    pods_withdrawn = (code, DIMENSIONS.index("pod")) in hidden.withdrawn
    forced: set[SystemKey] = {("ch", g) for g in groups["pod"]
                              if pods_withdrawn or result["r", "pod", g].is_suppressed}
    if result["all",].is_suppressed:
        forced.add(("children",))
    hidden_children = suppress(values, lines, threshold, forced=forced)
    result.update({k: Count(v, k in hidden_children) for k, v in values.items()})
    return result, groups


#: Children (distinct cases) per theme and per pod heard in a period.
Children = Callable[[Period], tuple[Mapping[str, int], Mapping[int, int]]]


def count_children(session: Session) -> Children:
    """Count a period's children per theme and per pod in the database."""
    def children(period: Period) -> tuple[Mapping[str, int], Mapping[int, int]]:
        return (reports.children_by_theme(session, period.start, period.end),
                reports.children_by_pod(session, period.start, period.end))
    return children


def build_summary(session: Session, period: Period, threshold: int,
                  month_counts: MonthCounts = reports.theme_month_counts,
                  year_set: YearSets | None = None,
                  children_of: Children | None = None) -> Summary:
    """Count everything the board sees for one period, hidden as its year's published set
    says (``year_disclosure.protect_year``).

    ``year_set`` answers the period's year (a cache may); ``month_counts`` counts
    the trend's earlier years (a cache may answer); ``children_of`` the children per
    theme and pod (stored months may answer).
    """
    protection = (year_set or (lambda y: protect_year(session, y, threshold)))(period.year)
    code, strict = period.code, crosstab_threshold(threshold)
    window = reports.trend_periods(period)
    trend = _trend(session, window, protection, threshold, month_counts)
    totals = {theme: trend[theme][-1] for theme in THEME_CODES}
    children, children_by_pod = (children_of or count_children(session))(period)
    responses, groups = _responses(session, period, protection, threshold, children_by_pod)
    places = {t: _in_period(protection.counts.themes.get(t, {}), period) for t in THEME_CODES}
    feelings = {t: _in_period(protection.counts.feelings.get(t, {}), period)
                for t in THEME_CODES}
    comments = {t: Count(sum(feelings[t].values()), sum(feelings[t].values()) > 0
                         and code in protection.feelings[t].totals) for t in THEME_CODES}
    by_feeling: dict[str, Mapping[str | None, Count] | None] = {}
    for t in THEME_CODES:
        withdrawn = (code, 0) in protection.feelings[t].withdrawn
        if not comments[t].value:
            by_feeling[t] = {s: Count(0) for s in SENTIMENTS}
        elif withdrawn or not protection.feelings_broken_down(t, period):
            by_feeling[t] = None
        else:
            by_feeling[t] = {s: Count(feelings[t].get(s, 0), (code, 0, s)
                                      in protection.feelings[t].cells) for s in SENTIMENTS}
    all_places = [place for by_place in places.values() for place in by_place]
    crosstabs: dict[str, tuple[tuple[Hashable, ...], dict[str, dict | None]]] = {}
    for index, dim in enumerate(DIMENSIONS):
        columns = _groups(dim, all_places)
        rows: dict[str, dict | None] = {}
        for t in THEME_CODES:
            cells: dict[Hashable, int] = dict.fromkeys(columns, 0)
            for place, n in places[t].items():
                cells[place[index]] += n
            if not totals[t].value:
                rows[t] = {g: Count(0) for g in columns}
            elif ((code, index) in protection.themes[t].withdrawn
                  or not protection.broken_down(t, period)):
                rows[t] = None
            else:
                rows[t] = {g: Count(n, n > 0 and (code, index, g) in protection.themes[t].cells)
                           for g, n in cells.items()}
        crosstabs[dim] = (columns, rows)
    theme_rows = tuple(ThemeRow(
        theme=t, responses=totals[t], trend=trend[t], comments=comments[t],
        children=primary(children.get(t, 0), threshold, hide=totals[t].is_suppressed),
        sentiment=by_feeling[t]) for t in THEME_CODES)
    breakdowns = {dim: Breakdown(
        dimension=dim, groups=groups[dim],
        responses=None if (code, index) in protection.responses.withdrawn
        else {g: responses["r", dim, g] for g in groups[dim]},
        children={g: responses.get(("ch", g), Count(0)) for g in groups[dim] if g is not None}
        if dim == "pod" else None,
        themed_groups=crosstabs[dim][0], by_theme=crosstabs[dim][1])
        for index, dim in enumerate(DIMENSIONS)}
    return Summary(period=period, trend_periods=tuple(window), threshold=threshold,
                   crosstab_threshold=strict, responses=responses["all",],
                   comments=responses["comments",], children=responses["children",],
                   themes=theme_rows, breakdowns=breakdowns)


#: The session breakdown's place in a place tuple (``reports.DIMENSIONS``).
_SESSION = DIMENSIONS.index("session")


def _periods_holding(event: ParticipationSession) -> list[Period]:
    """The periods of the session's year holding every day of it (none if it spans two)."""
    if event.starts_on.year != event.ends_on.year:
        return []
    months = set(range(event.starts_on.month, event.ends_on.month + 1))
    return [p for p in year_disclosure.year_periods(event.starts_on.year)
            if months <= {m for _y, m in p.months()}]


def _published(protected: year_disclosure.Protected, period: Period, event_id: int) -> bool:
    return ((period.code, _SESSION) not in protected.withdrawn
            and (period.code, _SESSION, event_id) not in protected.cells)


def session_took_part(session: Session, event: ParticipationSession, threshold: int,
                      year_set: YearSets | None = None) -> Count:
    """How many took part, as the responses by session table shows it (see below)."""
    return _took_part(session, event, threshold, year_set)[0]


def _took_part(session: Session, event: ParticipationSession, threshold: int,
               year_set: YearSets | None
               ) -> tuple[Count, year_disclosure.YearProtection | None]:
    took_part = primary(event.participant_count, threshold)
    periods = _periods_holding(event)
    if took_part.is_suppressed or not took_part.value or not periods:
        return Count(event.participant_count, bool(took_part.value)), None
    protection = (year_set or (lambda y: protect_year(session, y, threshold)))(
        event.starts_on.year)
    if not any(_published(protection.responses, p, event.id) for p in periods):
        return Count(event.participant_count, True), None
    return took_part, protection


def session_summary(session: Session, event: ParticipationSession, threshold: int,
                    year_set: YearSets | None = None
                    ) -> tuple[Count, Sequence[tuple[str, Count]] | None]:
    """Return how many took part and, once that is not suppressed, responses per theme.

    These are the board's figures for the session's column of the responses by
    session and theme × session tables: each is shown only where its year's
    published set shows that same cell in some period holding the whole session
    (a complement hidden there would otherwise be given away here).
    """
    took_part, protection = _took_part(session, event, threshold, year_set)
    # Opened by distinct devices, not responses: one tablet sending six answers is not
    # six young people.
    if (protection is None or took_part.is_suppressed or not took_part.value
            or event.device_count < threshold):
        return took_part, None
    periods = _periods_holding(event)
    themes = reports.session_theme_counts(session, event.id)
    return took_part, [(t, Count(themes.get(t, 0), themes.get(t, 0) > 0 and not any(
        protection.broken_down(t, p) and _published(protection.themes[t], p, event.id)
        for p in periods))) for t in THEME_CODES]
