"""An auditor with a spreadsheet and a solver must not pin any small hidden count.

For every figure shown as c, an integer program (HiGHS, written here
independently of ``feedback.services.disclosure``) finds the smallest and
largest values consistent with every shown figure, every c being at least 1
(zeros are shown as 0) and whole, non-negative counts per month and place.
A true value v from 1 to 5 is *pinned* when that range lies within
[v - 1, v + 1].
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import LinearConstraint, milp

from feedback.services.disclosure import protect_cells, protect_totals, year_periods

DIMENSIONS = [lambda place, i=i: place[i] for i in range(2)]


def published(cells, year, totals_hidden, cells_hidden, withdrawn, broken):
    """Every figure a board user can see: (atoms, value, hidden)."""
    atoms = sorted({(m, p) for m, by in cells.items() for p, n in by.items() if n}, key=repr)
    index = {a: n for n, a in enumerate(atoms)}
    figures = []
    for period in year_periods(year):
        months = set(period.months())
        members = [a for a in atoms if a[0] in months]
        value = sum(cells[m][p] for m, p in members)
        figures.append(({index[a] for a in members}, value, period.code in totals_hidden))
        if period.code not in broken:
            continue
        for d, dim in enumerate(DIMENSIONS):
            if (period.code, d) in withdrawn:
                continue
            for group in {dim(p) for m, p in members}:
                mine = [a for a in members if dim(a[1]) == group]
                figures.append(({index[a] for a in mine}, sum(cells[m][p] for m, p in mine),
                                (period.code, d, group) in cells_hidden))
    return figures, len(atoms)


def pinned_cells(figures, width):
    rows = [f for f in figures if f[0]]
    matrix = np.zeros((len(rows), width))
    for n, (members, _v, _h) in enumerate(rows):
        matrix[n, sorted(members)] = 1
    lower = [1 if hidden else value for _m, value, hidden in rows]
    upper = [np.inf if hidden else value for _m, value, hidden in rows]
    constraint = LinearConstraint(matrix, lower, upper)
    found = []
    for members, value, hidden in rows:
        if not hidden or not 1 <= value <= 5:
            continue
        c = np.zeros(width)
        c[sorted(members)] = 1
        low = milp(c, integrality=np.ones(width), bounds=(0, np.inf), constraints=constraint)
        high = milp(-c, integrality=np.ones(width), bounds=(0, np.inf), constraints=constraint)
        top = -high.fun if high.status == 0 else np.inf
        assert low.status == 0
        if value - 1 <= low.fun and top <= value + 1:
            found.append((sorted(members), value, low.fun, top))
    return found


def audit(cells, year=2026, threshold=6, strict=10):
    months = {m: sum(by.values()) for m, by in cells.items()}
    totals_hidden = protect_totals(months, year, threshold)
    broken = {p.code for p in year_periods(year) if p.code not in totals_hidden
              and sum(months.get(m, 0) for m in p.months()) >= strict}
    hidden, withdrawn = protect_cells(cells, year, DIMENSIONS, totals_hidden, broken,
                                      strict, threshold)
    figures, width = published(cells, year, totals_hidden, hidden, withdrawn, broken)
    return pinned_cells(figures, width)


def test_a_quarter_minus_two_months_does_not_give_the_third():
    # Q3 "Family" 21 - July 9 - August 8 = September 4.
    cells = {(2026, 7): {("a", "x"): 9}, (2026, 8): {("a", "x"): 8},
             (2026, 9): {("a", "x"): 4}}
    assert audit(cells) == []


def test_one_breakdown_minus_another_does_not_give_a_cell():
    # Pod row North 20, South c, Sessions c; session row S1 c, S2 c, cases 24.
    cells = {(2026, 7): {("North", None): 20, ("South", None): 4,
                         (None, "S1"): 3, (None, "S2"): 3}}
    assert audit(cells) == []


places = st.tuples(st.sampled_from(["North", "South", None]),
                   st.sampled_from(["S1", "S2", None]))
month_cells = st.dictionaries(places, st.one_of(st.integers(1, 5), st.integers(6, 25)),
                              max_size=4)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from([(2026, 7), (2026, 8), (2026, 9)]), month_cells,
                       min_size=1))
@example({(2026, 7): {("a", "x"): 9}, (2026, 8): {("a", "x"): 8}, (2026, 9): {("a", "x"): 4}})
def test_no_small_hidden_count_is_pinned(cells):
    assert audit(cells) == []
