"""Assemble the board's themed summary from grouped counts, with suppression applied.

Tables that print the same number are suppressed as one system, so that a
total shown in one table cannot uncover a cell hidden in another:

* theme counts (responses per theme) are the row totals of the four
  cross-tabulations (theme × pod, age band, questionnaire, session);
* the one-way breakdowns of responses share the grand total, and the
  "participation sessions" group of the pod breakdown is the total of the
  session breakdown (and the other way round for case responses);
* each theme's sentiment split adds up to the theme's comment count.

Every period of a trend line is suppressed exactly as its own summary is, so
the line never shows a number that period's own page hides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from feedback.models import AgeBand, ParticipationSession, Sentiment
from feedback.services import reports
from feedback.services.reports import DIMENSIONS, Period, Place
from feedback.services.suppression import Line, crosstab_threshold, shown, suppress
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


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    responses: Count
    children: Count
    #: One per trend period, oldest first; the last is ``responses``.
    trend: tuple[Count, ...]
    #: Comments per sentiment (None: not analysed) and their total.
    sentiment: Mapping[str | None, Count]
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
    by_theme: Mapping[str, Mapping[Hashable, Count]]


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


def _months(facts: Mapping[tuple[int, int], Mapping[str, Mapping[Place, int]]],
            period: Period) -> dict[str, dict[Place, int]]:
    """Add the monthly counts up to the period."""
    total: dict[str, dict[Place, int]] = defaultdict(lambda: defaultdict(int))
    for month in period.months():
        for theme, places in facts.get(month, {}).items():
            for place, n in places.items():
                total[theme][place] += n
    return total


def _theme_system(facts: Mapping[str, Mapping[Place, int]], threshold: int
                  ) -> tuple[dict[Hashable, Count], dict[str, tuple[Hashable, ...]]]:
    """Suppress the theme counts and the four cross-tabulations together."""
    all_places = [place for places in facts.values() for place in places]
    groups = {dim: _groups(dim, all_places) for dim in DIMENSIONS}
    values: dict[Hashable, int] = {("theme", t): sum(facts.get(t, {}).values())
                                   for t in THEME_CODES}
    lines, strict = [], crosstab_threshold(threshold)
    for index, dim in enumerate(DIMENSIONS):
        for theme in THEME_CODES:
            cells: dict[Hashable, int] = defaultdict(int)
            for place, n in facts.get(theme, {}).items():
                cells[place[index]] += n
            keys = tuple(("x", dim, theme, group) for group in groups[dim])
            values.update({key: cells[key[3]] for key in keys})
            lines.append(Line(("theme", theme), keys))
    limits = {key: strict for key in values if key[0] == "x"}
    hidden = suppress(values, lines, threshold, thresholds=limits)
    return {k: Count(v, k in hidden) for k, v in values.items()}, groups


def _response_system(session: Session, period: Period, threshold: int
                     ) -> tuple[dict[Hashable, Count], dict[str, tuple[Hashable, ...]]]:
    """Suppress the one-way breakdowns, the headline totals and children per pod together."""
    start, end = period.start, period.end
    facts = reports.response_facts(session, start, end)
    groups = {dim: _groups(dim, facts) for dim in DIMENSIONS}
    values: dict[Hashable, int] = {("all",): sum(facts.values())}
    lines = []
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
    return {k: Count(v, k in hidden) for k, v in values.items()}, groups


def _sentiment_system(session: Session, period: Period, threshold: int
                      ) -> dict[Hashable, Count]:
    facts = reports.sentiment_by_theme(session, period.start, period.end)
    values: dict[Hashable, int] = {}
    lines = []
    for theme in THEME_CODES:
        keys = tuple(("s", theme, s) for s in SENTIMENTS)
        values.update({key: facts.get(theme, {}).get(key[2], 0) for key in keys})
        values[("sc", theme)] = sum(facts.get(theme, {}).values())
        lines.append(Line(("sc", theme), keys))
    limits = {key: crosstab_threshold(threshold) for key in values if key[0] == "s"}
    hidden = suppress(values, lines, threshold, thresholds=limits)
    return {k: Count(v, k in hidden) for k, v in values.items()}


def build_summary(session: Session, period: Period, threshold: int) -> Summary:
    """Count, link and suppress everything the board sees for one period."""
    window = reports.trend_periods(period)
    facts = reports.theme_facts(session, window[0].start, period.end)
    systems = [_theme_system(_months(facts, p), threshold) for p in window]
    themed, themed_groups = systems[-1]
    responses, groups = _response_system(session, period, threshold)
    sentiment = _sentiment_system(session, period, threshold)
    children = reports.children_by_theme(session, period.start, period.end)
    rows = tuple(ThemeRow(
        theme=theme, responses=themed["theme", theme],
        children=Count(children.get(theme, 0), 0 < children.get(theme, 0) < threshold),
        trend=tuple(counts["theme", theme] for counts, _ in systems),
        sentiment={s: sentiment["s", theme, s] for s in SENTIMENTS},
        comments=sentiment["sc", theme]) for theme in THEME_CODES)
    breakdowns = {dim: Breakdown(
        dimension=dim, groups=groups[dim],
        responses={g: responses["r", dim, g] for g in groups[dim]},
        children={g: responses.get(("ch", g), Count(0)) for g in groups[dim] if g is not None}
        if dim == "pod" else None,
        themed_groups=themed_groups[dim],
        by_theme={t: {g: themed["x", dim, t, g] for g in themed_groups[dim]}
                  for t in THEME_CODES}) for dim in DIMENSIONS}
    return Summary(period=period, trend_periods=tuple(window), threshold=threshold,
                   crosstab_threshold=crosstab_threshold(threshold),
                   responses=responses["all",], comments=responses["comments",],
                   children=responses["children",], themes=rows, breakdowns=breakdowns)


def session_summary(session: Session, event: ParticipationSession, threshold: int
                    ) -> tuple[Count, Sequence[tuple[str, Count]] | None]:
    """Return how many took part and, once that is not suppressed, responses per theme.

    A session's theme counts are one column of the period's theme × session
    cross-tabulation, so they use the cross-tabulation threshold.
    """
    took_part = event.participant_count
    count = Count(took_part, 0 < took_part < threshold)
    if count.is_suppressed or took_part == 0:
        return count, None
    themes = reports.session_theme_counts(session, event.id)
    strict = crosstab_threshold(threshold)
    return count, [(t, Count(themes.get(t, 0), 0 < themes.get(t, 0) < strict))
                   for t in THEME_CODES]
