"""Complementary suppression over a whole published set, audited by integer programming.

The board can ask for any month, quarter or year, and every figure in those
reports is a sum of *atoms*: counts of one theme (or of responses) in one
calendar month at one *place* (pod, age band, questionnaire, session) or with
one feeling. Figures of different periods and different breakdowns share
atoms, so a hidden figure can be worked out from others (a quarter minus two
of its months; one breakdown's total minus another's cells). Calendar years
share no atoms, so one year is one published set.

For each figure hidden because it is small, :func:`protect` asks an integer
program (HiGHS, through ``scipy.optimize.milp``) for the smallest and largest
values it could take given every shown figure (exactly), every hidden figure
(at least 1: a zero is shown as 0) and whole, non-negative atoms. The figure is
*pinned* when that range lies within one of its true value (``[v-1, v+1]``).
While it is pinned, one more figure is hidden (a *complementary* suppression,
as in tau-ARGUS and the GSS guidance): the first of the nearest, smallest
candidates that frees it, else the smallest. When no candidate is left, a
whole group (a cross-tabulated row, a table) is withdrawn. Hiding or
withdrawing a figure only widens every range, so a figure once free stays
free, and each small figure is checked to the end once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import LinearConstraint, linprog, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_array  # type: ignore[import-untyped]

from feedback.services.reports import Period

#: How many candidates are tried (each costs two integer programs) before the smallest is taken.
TRIES = 4


@dataclass(frozen=True)
class Figure:
    """A published count: its key, the atoms it adds up, and its true value."""

    key: Hashable
    atoms: frozenset[int]
    value: int
    #: Figures of one table (shown side by side) share a table; complements prefer it.
    table: Hashable = None
    #: The group withdrawn together when nothing else can protect (None: never withdrawn).
    group: Hashable = None
    #: Whether the figure may be hidden to protect another.
    complement: bool = True


@dataclass
class Outcome:
    """What to publish: figures shown as c, and groups withdrawn."""

    hidden: set[Hashable] = field(default_factory=set)
    withdrawn: set[Hashable] = field(default_factory=set)


def pinned(value: int, low: float, high: float) -> bool:
    """Whether a range of possible values lies within one of the true value."""
    return value - 1 <= low and high <= value + 1


def _relaxed_constraints(matrix: Any, lower: list[float], upper: list[float]
                         ) -> dict[str, Any]:
    equal = [n for n, (lo, hi) in enumerate(zip(lower, upper)) if lo == hi]
    above = [n for n, (lo, hi) in enumerate(zip(lower, upper)) if lo != hi]
    parts: dict[str, Any] = {}
    if equal:
        parts["A_eq"], parts["b_eq"] = matrix[equal], np.array([lower[n] for n in equal])
    if above:
        parts["A_ub"], parts["b_ub"] = -matrix[above], -np.array([lower[n] for n in above])
    return parts


def feasible_range(figures: Sequence[Figure], hidden: Iterable[Hashable],
                   target: Figure, atom_count: int, *, relaxed: bool = False
                   ) -> tuple[float, float]:
    """Return the smallest and largest whole value ``target`` can take (``inf``: unbounded)."""
    hidden = set(hidden)
    rows, lower, upper = [], [], []
    for figure in figures:
        if not figure.atoms:
            continue
        rows.append(figure.atoms)
        if figure.key in hidden:
            lower.append(1.0)
            upper.append(np.inf)
        else:
            lower.append(float(figure.value))
            upper.append(float(figure.value))
    data = [1.0] * sum(len(r) for r in rows)
    indices = [a for r in rows for a in sorted(r)]
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    matrix = csr_array((data, indices, indptr), shape=(len(rows), atom_count))
    constraint = LinearConstraint(matrix, np.array(lower), np.array(upper))
    objective = np.zeros(atom_count)
    objective[sorted(target.atoms)] = 1.0
    ends = []
    for sign in (1.0, -1.0):
        if relaxed:
            result = linprog(sign * objective, bounds=(0, None), method="highs",
                             **_relaxed_constraints(matrix, lower, upper))
        else:
            result = milp(sign * objective, integrality=np.ones(atom_count),
                          bounds=(0, np.inf), constraints=constraint)
        if result.status != 0 and sign < 0:
            # The true counts are a solution, so it is never infeasible: unbounded above.
            ends.append(math.inf)
        elif result.status != 0:  # a minimum is bounded below by 0: this cannot happen
            raise AssertionError(f"disclosure audit failed: {result.message}")
        else:
            ends.append(sign * float(result.fun))
    return ends[0], ends[1]


class _Protector:
    def __init__(self, figures: Sequence[Figure], atom_count: int) -> None:
        self.figures = list(figures)
        self.by_key = {f.key: f for f in figures}
        self.order = {f.key: n for n, f in enumerate(figures)}
        self.atom_count = atom_count
        self.by_atom: dict[int, list[Figure]] = defaultdict(list)
        for figure in figures:
            for atom in figure.atoms:
                self.by_atom[atom].append(figure)
        self.outcome = Outcome()

    def published(self) -> list[Figure]:
        return [f for f in self.figures if f.group not in self.outcome.withdrawn
                or f.group is None]

    def is_pinned(self, target: Figure, extra: Iterable[Hashable] = ()) -> bool:
        low, high = feasible_range(self.published(), self.outcome.hidden | set(extra), target,
                                   self.atom_count)
        return pinned(target.value, low, high)

    def candidates(self, target: Figure) -> list[Figure]:
        near = {f.key: f for atom in target.atoms for f in self.by_atom[atom]}
        related = {g.key: g for f in near.values() for atom in f.atoms
                   for g in self.by_atom[atom]}
        live = self.published()
        keys = {f.key for f in live}
        return sorted((f for f in related.values()
                       if f.key in keys and f.key not in self.outcome.hidden
                       and f.complement and f.value > 0),
                      key=lambda f: (f.table != target.table, f.key not in near,
                                     f.value, self.order[f.key]))

    def withdraw(self, target: Figure) -> bool:
        groups = sorted({f.group for atom in target.atoms for f in self.by_atom[atom]
                         if f.group is not None and f.group not in self.outcome.withdrawn},
                        key=repr)
        if not groups:
            groups = sorted({f.group for f in self.figures if f.group is not None
                             and f.group not in self.outcome.withdrawn}, key=repr)
        if not groups:
            return False
        group = target.group if target.group in groups else groups[0]
        self.outcome.withdrawn.add(group)
        return True

    def protect(self, target: Figure) -> None:
        while target.group not in self.outcome.withdrawn and self.is_pinned(target):
            options = self.candidates(target)
            chosen = next((f for f in options[:TRIES] if not self.is_pinned(target, [f.key])),
                          options[0] if options else None)
            if chosen is not None:
                self.outcome.hidden.add(chosen.key)
            elif not self.withdraw(target):
                raise AssertionError(f"cannot protect {target.key!r}")  # fail closed


def protect(figures: Sequence[Figure], atom_count: int, primary: Mapping[Hashable, bool], *,
            hidden: Iterable[Hashable] = ()) -> Outcome:
    """Return what to hide (and withdraw) so that no small figure can be pinned.

    ``primary`` says which figures are hidden for being small (these are
    protected); ``hidden`` are already hidden for other reasons.
    """
    protector = _Protector(figures, atom_count)
    protector.outcome.hidden |= {key for key, small in primary.items() if small}
    protector.outcome.hidden |= set(hidden)
    for key in sorted((k for k, small in primary.items() if small),
                      key=protector.order.__getitem__):
        protector.protect(protector.by_key[key])
    return protector.outcome


#: (year, month): the atoms' calendar month.
Month = tuple[int, int]
#: A breakdown: the group an atom's place belongs to.
Dimension = Callable[[Hashable], Hashable]


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
        atoms = frozenset(m - 1 for (_y, m) in period.months() if months.get((year, m), 0))
        value = sum(months.get(month, 0) for month in period.months())
        figures.append(Figure(period.code, atoms, value, table=period.kind))
    values = {f.key: f.value for f in figures}
    forced = {code for code in forced if values.get(code, 0) > 0}
    primary = {f.key: 0 < f.value < threshold for f in figures}
    return frozenset(str(k) for k in protect(figures, 12, primary, hidden=forced).hidden)


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
    nothing else can protect a cell, and at the latest when every row is
    withdrawn, only the totals remain, which :func:`protect_totals` protected.
    """
    index: dict[tuple[Month, Hashable], int] = {}
    for month, places in cells.items():
        for place, n in places.items():
            if n:
                index.setdefault((month, place), len(index))
    totals_hidden, broken_down = set(totals_hidden), set(broken_down)
    figures: list[Figure] = []
    primary: dict[Hashable, bool] = {}
    for period in year_periods(year):
        months = set(period.months())
        atoms = {key: n for key, n in index.items() if key[0] in months}
        value = sum(cells[m][p] for (m, p) in atoms)
        figures.append(Figure(period.code, frozenset(atoms.values()), value,
                              table=period.code, complement=False))
        primary[period.code] = period.code in totals_hidden and 0 < value < total_threshold
        if period.code not in broken_down:
            continue
        for d, dimension in enumerate(dimensions):
            groups: dict[Hashable, set[int]] = defaultdict(set)
            sums: dict[Hashable, int] = defaultdict(int)
            for (month, place), atom in atoms.items():
                groups[dimension(place)].add(atom)
                sums[dimension(place)] += cells[month][place]
            for group, members in groups.items():
                key = (period.code, d, group)
                figures.append(Figure(key, frozenset(members), sums[group],
                                      table=(period.code, d), group=(period.code, d)))
                primary[key] = 0 < sums[group] < threshold
    hidden = {code for code in totals_hidden}
    outcome = protect(figures, len(index), primary, hidden=hidden)
    cells_hidden = frozenset(k for k in outcome.hidden if isinstance(k, tuple))
    return cells_hidden, frozenset(outcome.withdrawn)  # type: ignore[arg-type]
