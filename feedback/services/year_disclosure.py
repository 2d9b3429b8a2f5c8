"""One calendar year's published set, protected: every month, quarter and the year.

The board's figures of a year, as :mod:`feedback.services.disclosure` sees them:
each count of one theme (or of responses) in one month at one place or with one
feeling is an atom, and every month, quarter and the year of every table is a
figure made of atoms. The totals are decided first, then the cells of each
breakdown without changing them (see ``docs/board.md``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from feedback.services.disclosure import CannotProtect, Figure, protect
from feedback.services.reports import Period

#: (year, month): the atoms' calendar month.
Month = tuple[int, int]
#: A breakdown: the group an atom's place belongs to.
Dimension = Callable[[Any], Hashable]


def year_periods(year: int) -> list[Period]:
    """Every period a board user can ask for within one year: 12 months, 4 quarters, the year."""
    return ([Period("month", year, n) for n in range(1, 13)]
            + [Period("quarter", year, n) for n in range(1, 5)] + [Period("year", year)])


def protect_totals(months: Mapping[Month, int], year: int, threshold: int,
                   forced: Iterable[str] = ()) -> frozenset[str]:
    """Return the codes of the year's periods whose total shows as c.

    Each month is an atom; every month, quarter and the year is a figure.
    ``forced`` periods are hidden whatever their size (unless zero).
    """
    figures = []
    for period in year_periods(year):
        atoms = frozenset(m for m in period.months() if months.get(m, 0))
        value = sum(months.get(month, 0) for month in period.months())
        figures.append(Figure(period.code, atoms, value, table=period.kind))
    primary = {f.key: 0 < f.value < threshold for f in figures}
    if not any(primary.values()) and not forced:
        return frozenset()
    return frozenset(str(k) for k in protect(figures, primary, hidden=forced).hidden)


#: A hidden cell of a year's breakdowns: (period code, dimension index, group).
CellKey = tuple[str, int, Hashable]


def protect_cells(cells: Mapping[Month, Mapping[Any, int]], year: int,
                  dimensions: Sequence[Dimension], totals_hidden: Iterable[str],
                  broken_down: Iterable[str], threshold: int, total_threshold: int
                  ) -> tuple[frozenset[CellKey], frozenset[tuple[str, int]]]:
    """Return the breakdown cells to show as c, and the (period, dimension) rows withdrawn.

    ``cells`` counts the atoms ({month: {place: n}}); each dimension maps a
    place to its group. The periods' totals (hidden as ``totals_hidden`` say,
    decided by :func:`protect_totals`) are published and never hidden here; the
    small ones are protected again, now against the cells too. Cells are
    published for the ``broken_down`` periods; a cell below ``threshold`` is
    hidden. A withdrawn (period, dimension) is not broken down at all: when
    nothing else can protect a figure, and at the latest when every row is
    withdrawn, only the totals remain, which :func:`protect_totals` protected.
    """
    totals_hidden, broken_down = set(totals_hidden), set(broken_down)
    totals, values = _values(cells, year, dimensions)
    if not (any(0 < totals[code] < total_threshold for code in totals_hidden if code in totals)
            or any(0 < n < threshold for key, n in values.items() if key[0] in broken_down)):
        return frozenset(), frozenset()  # nothing small is published: nothing to protect
    figures: list[Figure] = []
    primary: dict[Hashable, bool] = {}
    for period in year_periods(year):
        months = set(period.months())
        atoms = {(m, p): n for m in months for p, n in cells.get(m, {}).items() if n}
        figures.append(Figure(period.code, frozenset(atoms), sum(atoms.values()),
                              table=period.code, complement=False))
        primary[period.code] = (period.code in totals_hidden
                                and 0 < sum(atoms.values()) < total_threshold)
        if period.code not in broken_down:
            continue
        for d, dimension in enumerate(dimensions):
            groups: dict[Hashable, set[tuple[Month, Any]]] = defaultdict(set)
            for atom in atoms:
                groups[dimension(atom[1])].add(atom)
            for group, members in groups.items():
                key = (period.code, d, group)
                value = sum(atoms[a] for a in members)
                figures.append(Figure(key, frozenset(members), value,
                                      table=(period.code, d), group=(period.code, d)))
                primary[key] = 0 < value < threshold
    if not any(primary.values()):
        return frozenset(), frozenset()
    try:
        outcome = protect(figures, primary, hidden=totals_hidden)
    except CannotProtect:
        # Fail closed: no period of this table is broken down at all. What remains is
        # the totals, which protect_totals protected among themselves.
        return frozenset(), frozenset((code, d) for code in broken_down
                                      for d in range(len(dimensions)))
    cells_hidden = frozenset(k for k in outcome.hidden if isinstance(k, tuple))
    return cells_hidden, frozenset(outcome.withdrawn)  # type: ignore[arg-type]


def _values(cells: Mapping[Month, Mapping[Any, int]], year: int,
            dimensions: Sequence[Dimension]) -> tuple[dict[str, int], dict[CellKey, int]]:
    """Every period's total and every (period, dimension, group)'s value, added up from
    the months (the same numbers the figures add up, without listing their atoms)."""
    months: dict[Month, dict[tuple[int, Hashable], int]] = {}
    for month, places in cells.items():
        sums: dict[tuple[int, Hashable], int] = defaultdict(int)
        for place, n in places.items():
            for d, dimension in enumerate(dimensions):
                sums[d, dimension(place)] += n
        months[month] = sums
    totals: dict[str, int] = {}
    values: dict[CellKey, int] = defaultdict(int)
    for period in year_periods(year):
        totals[period.code] = sum(sum(cells.get(m, {}).values()) for m in period.months())
        for month in period.months():
            for (d, group), n in months.get(month, {}).items():
                values[period.code, d, group] += n
    return totals, values


@dataclass(frozen=True)
class YearCounts:
    """A calendar year's atoms: every additive figure of its periods is a sum of these."""

    year: int
    #: Responses per theme: {theme: {month: {place: n}}}.
    themes: Mapping[str, Mapping[Month, Mapping[Any, int]]]
    #: Responses: {month: {place: n}}.
    responses: Mapping[Month, Mapping[Any, int]]
    #: Comments per theme and feeling: {theme: {month: {feeling: n}}}.
    feelings: Mapping[str, Mapping[Month, Mapping[Any, int]]]
    #: Comments: {month: n}.
    comments: Mapping[Month, int]

    def theme_months(self, theme: str) -> dict[Month, int]:
        return {m: sum(by.values()) for m, by in self.themes.get(theme, {}).items()}


@dataclass(frozen=True)
class Protected:
    """One system's outcome: period totals shown as c, cells shown as c, rows withdrawn."""

    totals: frozenset[str] = frozenset()
    cells: frozenset[Hashable] = frozenset()
    withdrawn: frozenset[tuple[str, int]] = frozenset()


@dataclass(frozen=True)
class YearProtection:
    """What every period of one year shows as c, decided for the whole year at once."""

    counts: YearCounts
    threshold: int
    crosstab_threshold: int
    #: Responses per theme, and the theme × pod/age band/questionnaire/session tables.
    themes: Mapping[str, Protected]
    #: Comments per theme, and the theme × feeling table.
    feelings: Mapping[str, Protected]
    #: All responses, and the responses by pod/age band/questionnaire/session.
    responses: Protected
    #: All comments.
    comments: frozenset[str]

    def broken_down(self, theme: str, period: Period) -> bool:
        """Whether the theme's responses are broken down by place in the period."""
        total = _period_sum(self.counts.theme_months(theme), period)
        return (period.code not in self.themes[theme].totals
                and total >= self.crosstab_threshold)

    def feelings_broken_down(self, theme: str, period: Period) -> bool:
        total = _period_sum(_month_sums(self.counts.feelings.get(theme, {})), period)
        return (period.code not in self.feelings[theme].totals
                and total >= self.crosstab_threshold)


def _period_sum(months: Mapping[Month, int], period: Period) -> int:
    return sum(months.get(m, 0) for m in period.months())


def _month_sums(cells: Mapping[Month, Mapping[Any, int]]) -> dict[Month, int]:
    return {m: sum(by.values()) for m, by in cells.items()}


def _itself(value: Any) -> Hashable:
    result: Hashable = value
    return result


def _place_dimensions(width: int) -> list[Dimension]:
    return [itemgetter(i) for i in range(width)]


def protect_theme_totals(months: Mapping[Month, Mapping[str, int]], year: int,
                         themes: Iterable[str], threshold: int) -> dict[str, frozenset[str]]:
    """Return, per theme, the year's periods whose responses show as c (from month counts).

    The same answer as :func:`protect_year` gives for the totals, from the
    month counts alone (the trend's earlier years need no more).
    """
    return {theme: protect_totals({m: by.get(theme, 0) for m, by in months.items()
                                   if m[0] == year}, year, threshold) for theme in themes}


def protect_year(counts: YearCounts, themes: Iterable[str], threshold: int,
                 crosstab_threshold: int, place_width: int) -> YearProtection:
    """Decide what every period of the year shows as c: one published set.

    Theme totals first (months, quarters and the year against each other),
    then the theme × place cells of the periods whose theme total is shown and
    at least ``crosstab_threshold``, protecting the small totals again; the same
    for comments per theme and their feelings (a theme's comments are hidden
    whenever its responses are: they bound them); the same for all responses and
    their one-way breakdowns (published for every period); all comments on their own.
    """
    year, periods = counts.year, year_periods(counts.year)
    dimensions = _place_dimensions(place_width)
    by_theme: dict[str, Protected] = {}
    by_feeling: dict[str, Protected] = {}
    for theme in themes:
        cells = counts.themes.get(theme, {})
        months = _month_sums(cells)
        totals = protect_totals(months, year, threshold)
        broken = {p.code for p in periods if p.code not in totals
                  and _period_sum(months, p) >= crosstab_threshold}
        hidden, withdrawn = protect_cells(cells, year, dimensions, totals, broken,
                                          crosstab_threshold, threshold)
        by_theme[theme] = Protected(totals, hidden, withdrawn)
        feelings = counts.feelings.get(theme, {})
        feeling_months = _month_sums(feelings)
        feeling_totals = protect_totals(feeling_months, year, threshold, forced=totals)
        broken = {p.code for p in periods if p.code not in feeling_totals
                  and _period_sum(feeling_months, p) >= crosstab_threshold}
        hidden, withdrawn = protect_cells(feelings, year, [_itself],
                                          feeling_totals, broken, crosstab_threshold, threshold)
        by_feeling[theme] = Protected(feeling_totals, hidden, withdrawn)
    # The headline responses first, then their one-way breakdowns without changing them:
    # a board reads how many children answered before it reads by whom.
    response_totals = protect_totals(_month_sums(counts.responses), year, threshold)
    hidden, withdrawn = protect_cells(counts.responses, year, dimensions, response_totals,
                                      {p.code for p in periods}, threshold, threshold)
    responses = Protected(response_totals, hidden, withdrawn)
    comments = protect_totals(counts.comments, year, threshold)
    return YearProtection(counts, threshold, crosstab_threshold, by_theme, by_feeling,
                          responses, comments)
