"""Assemble the board's themed summary from grouped counts, with suppression applied.

* Theme counts (responses per theme, in every period of the trend) hide
  counts from 1 to threshold - 1. The children and the comments of a hidden
  theme are hidden with it: they bound its count.
* A cross-tabulation (theme × pod, age band, questionnaire, session, or
  theme × feeling) breaks a theme down only when the theme's total reaches
  the cross-tabulation threshold; its cells below that threshold are hidden,
  with secondary suppression inside the row. Because a broken-down total is
  never small, a suppressed cell never forces the total itself to be hidden,
  so the theme table, the trend and the cross-tabulations always agree.
* The one-way breakdowns of responses share the grand total (and the
  sessions' group of the pod breakdown is the session breakdown's total):
  they are suppressed as one system.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from feedback.models import AgeBand, ParticipationSession, Sentiment
from feedback.services import reports
from feedback.services.reports import DIMENSIONS, Period, Place
from feedback.services.suppression import TOTAL, K, Line, crosstab_threshold, shown, suppress
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
    responses: Mapping[Hashable, Count]
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


def break_down(rows: Mapping[str, Mapping[K, int]], totals: Mapping[str, Count],
               threshold: int) -> dict[str, dict[K, Count] | None]:
    """Suppress a cross-tabulation: rows whose shown total reaches the threshold are broken
    down (cells below it hidden, then secondary suppression within the row); others are not.
    """
    strict = crosstab_threshold(threshold)
    result: dict[str, dict[K, Count] | None] = {}
    for row, cells in rows.items():
        total = totals[row]
        if not total.value:
            result[row] = {key: Count(0) for key in cells}
            continue
        if total.is_suppressed or total.value < strict:
            result[row] = None
            continue
        values: dict[Hashable, int] = {TOTAL: total.value}
        values.update(cells.items())
        lines: list[Line[Hashable]] = [Line(TOTAL, tuple(cells))]
        limits: dict[Hashable, int] = {TOTAL: threshold}
        hidden = suppress(values, lines, strict, thresholds=limits)
        assert TOTAL not in hidden  # a total this large is never needed to protect a cell
        result[row] = {key: Count(n, key in hidden) for key, n in cells.items()}
    return result


def _crosstabs(places: Mapping[str, Mapping[Place, int]], totals: Mapping[str, Count],
               threshold: int) -> dict[str, tuple[tuple[Hashable, ...], dict]]:
    all_places = [place for by_place in places.values() for place in by_place]
    tables = {}
    for index, dim in enumerate(DIMENSIONS):
        groups = _groups(dim, all_places)
        rows: dict[str, dict[Hashable, int]] = {}
        for theme in THEME_CODES:
            cells: dict[Hashable, int] = dict.fromkeys(groups, 0)
            for place, n in places.get(theme, {}).items():
                cells[place[index]] += n
            rows[theme] = cells
        tables[dim] = (groups, break_down(rows, totals, threshold))
    return tables


#: A key of the responses' system: ("all",), ("r", dimension, group), ("ch", pod) and so on.
SystemKey = tuple[Hashable, ...]


def _response_system(session: Session, period: Period, threshold: int
                     ) -> tuple[dict[SystemKey, Count], dict[str, tuple[Hashable, ...]]]:
    """Suppress the one-way breakdowns, the headline totals and children per pod together."""
    start, end = period.start, period.end
    facts = reports.response_facts(session, start, end)
    groups = {dim: _groups(dim, facts) for dim in DIMENSIONS}
    values: dict[SystemKey, int] = {("all",): sum(facts.values())}
    lines: list[Line[SystemKey]] = []
    for index, dim in enumerate(DIMENSIONS):
        cells: dict[Hashable, int] = defaultdict(int)
        for place, n in facts.items():
            cells[place[index]] += n
        keys = tuple(("r", dim, group) for group in groups[dim])
        values.update({key: cells[key[2]] for key in keys})
        lines.append(Line(("all",), keys))
    # Session responses are one group of the pod breakdown and the whole session breakdown.
    for dim, other in (("pod", "session"), ("session", "pod")):
        if ("r", dim, None) in values:
            lines.append(Line(("r", dim, None), tuple(("r", other, g)
                                                      for g in groups[other] if g is not None)))
    children = reports.children_by_pod(session, start, end)
    values[("children",)] = sum(children.values())
    values.update({("ch", pod): n for pod, n in children.items()})
    lines.append(Line(("children",), tuple(("ch", pod) for pod in children)))
    values[("comments",)] = reports.comment_count(session, start, end)
    hidden = suppress(values, lines, threshold)
    # A pod's children cannot outnumber its responses: hide them together.
    bounded = {("ch", key[2]) for key in hidden if key[:2] == ("r", "pod")}
    hidden = suppress(values, lines, threshold, forced=hidden | bounded)
    return {k: Count(v, k in hidden) for k, v in values.items()}, groups


MonthCounts = Callable[[Session, date, date], Mapping[tuple[int, int], Mapping[str, int]]]


def _trend(session: Session, window: Sequence[Period], current: Mapping[str, int],
           threshold: int, month_counts: MonthCounts) -> dict[str, tuple[Count, ...]]:
    """Responses per theme in each period of the window; the last is the current period."""
    months = month_counts(session, window[0].start, window[-1].start)
    counts: dict[str, list[Count]] = {theme: [] for theme in THEME_CODES}
    for period in window[:-1]:
        for theme in THEME_CODES:
            value = sum(months.get(month, {}).get(theme, 0) for month in period.months())
            counts[theme].append(primary(value, threshold))
    for theme in THEME_CODES:
        counts[theme].append(primary(current.get(theme, 0), threshold))
    return {theme: tuple(values) for theme, values in counts.items()}


def build_summary(session: Session, period: Period, threshold: int,
                  month_counts: MonthCounts = reports.theme_month_counts) -> Summary:
    """Count and suppress everything the board sees for one period.

    ``month_counts`` counts the earlier periods of the trend (a cache may answer).
    """
    window = reports.trend_periods(period)
    places = reports.theme_place_counts(session, period.start, period.end)
    current = {theme: sum(by_place.values()) for theme, by_place in places.items()}
    trend = _trend(session, window, current, threshold, month_counts)
    totals = {theme: trend[theme][-1] for theme in THEME_CODES}
    responses, groups = _response_system(session, period, threshold)
    feelings = reports.sentiment_by_theme(session, period.start, period.end)
    comments = {t: primary(sum(feelings.get(t, {}).values()), threshold,
                           hide=totals[t].is_suppressed) for t in THEME_CODES}
    by_feeling = break_down({t: {s: feelings.get(t, {}).get(s, 0) for s in SENTIMENTS}
                             for t in THEME_CODES}, comments, threshold)
    children = reports.children_by_theme(session, period.start, period.end)
    crosstabs = _crosstabs(places, totals, threshold)
    rows = tuple(ThemeRow(
        theme=t, responses=totals[t], trend=trend[t], comments=comments[t],
        children=primary(children.get(t, 0), threshold, hide=totals[t].is_suppressed),
        sentiment=by_feeling[t]) for t in THEME_CODES)
    breakdowns = {dim: Breakdown(
        dimension=dim, groups=groups[dim],
        responses={g: responses["r", dim, g] for g in groups[dim]},
        children={g: responses.get(("ch", g), Count(0)) for g in groups[dim] if g is not None}
        if dim == "pod" else None,
        themed_groups=crosstabs[dim][0], by_theme=crosstabs[dim][1]) for dim in DIMENSIONS}
    return Summary(period=period, trend_periods=tuple(window), threshold=threshold,
                   crosstab_threshold=crosstab_threshold(threshold),
                   responses=responses["all",], comments=responses["comments",],
                   children=responses["children",], themes=rows, breakdowns=breakdowns)


def session_summary(session: Session, event: ParticipationSession, threshold: int
                    ) -> tuple[Count, Sequence[tuple[str, Count]] | None]:
    """Return how many took part and, once that is not suppressed, responses per theme.

    A session's theme counts are a column of the theme × session cross-tabulation,
    so they use the cross-tabulation threshold.
    """
    took_part = primary(event.participant_count, threshold)
    # Opened by distinct devices, not responses: one tablet sending six answers is not
    # six young people.
    if took_part.is_suppressed or not took_part.value or event.device_count < threshold:
        return took_part, None
    themes = reports.session_theme_counts(session, event.id)
    strict = crosstab_threshold(threshold)
    return took_part, [(t, primary(themes.get(t, 0), strict)) for t in THEME_CODES]
