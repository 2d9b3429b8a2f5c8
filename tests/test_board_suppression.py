"""Small numbers never show, and no suppressed count can be worked out from what does."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.services.suppression import (
    SUPPRESSED, TOTAL, Line, crosstab_threshold, determined_cells, grid_lines, grid_values,
    shown, suppress,
)


def free_columns(matrix: list[list[Fraction]],
                 width: int) -> tuple[list[list[Fraction]], list[int]]:
    """Dense reduced row echelon form (independent of the module's sparse one)."""
    rows = [row[:] for row in matrix]
    pivots: list[int] = []
    for column in range(width):
        pivot = next((i for i in range(len(pivots), len(rows)) if rows[i][column]), None)
        if pivot is None:
            continue
        top = len(pivots)
        rows[top], rows[pivot] = rows[pivot], rows[top]
        rows[top] = [value / rows[top][column] for value in rows[top]]
        for i in range(len(rows)):
            if i != top and rows[i][column]:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[top])]
        pivots.append(column)
    return rows[:len(pivots)], pivots


def recoverable(lines: list[Line], hidden: set) -> set:
    """Hidden cells the published totals pin down: no solution of the equations can move them.

    A cell can move when some vector of the null space is non-zero there; the null
    space is spanned by one vector per free column of the reduced echelon form.
    """
    keys = sorted(hidden, key=repr)
    matrix = [[Fraction(-1 if key == line.total else int(key in line.parts)) for key in keys]
              for line in lines]
    reduced, pivots = free_columns(matrix, len(keys))
    free = [n for n in range(len(keys)) if n not in pivots]
    movable = set(free)
    for row, pivot in zip(reduced, pivots):
        if any(row[n] for n in free):
            movable.add(pivot)
    return {key for n, key in enumerate(keys) if n not in movable}


counts = st.one_of(st.just(0), st.integers(1, 5), st.integers(6, 12), st.integers(13, 400))


@st.composite
def tables(draw):
    rows = list(range(draw(st.integers(1, 6))))
    columns = [f"c{n}" for n in range(draw(st.integers(1, 6)))]
    drawn = draw(st.lists(counts, min_size=len(rows) * len(columns),
                          max_size=len(rows) * len(columns)))
    cells = dict(zip([(r, c) for r in rows for c in columns], drawn))
    row_totals, column_totals = draw(st.booleans()), draw(st.booleans())
    values = grid_values(cells, rows, columns, row_totals=row_totals,
                         column_totals=column_totals)
    lines = grid_lines(rows, columns, row_totals=row_totals, column_totals=column_totals)
    return values, lines, draw(st.integers(6, 11))


@settings(max_examples=2000, deadline=None)
@given(tables())
def test_no_shown_count_is_small_and_no_suppressed_count_can_be_worked_out(table):
    values, lines, threshold = table
    hidden = suppress(values, lines, threshold)
    for key, value in values.items():
        display = shown(value, key in hidden)
        assert display == SUPPRESSED or not 0 < display < threshold
        assert value != 0 or display == 0
    assert recoverable(lines, set(hidden)) == set()


@settings(max_examples=300, deadline=None)
@given(tables(), st.data())
def test_cross_tabulated_cells_use_their_own_higher_threshold(table, data):
    values, lines, threshold = table
    inner = [k for k in values if TOTAL not in k]
    strict = {key: crosstab_threshold(threshold) for key in inner}
    hidden = suppress(values, lines, threshold, thresholds=strict)
    assert all(key in hidden for key in inner if 0 < values[key] < 10)
    assert recoverable(lines, set(hidden)) == set()


def test_a_lone_small_cell_in_a_row_takes_the_next_smallest_with_it():
    values = grid_values({(0, "a"): 3, (0, "b"): 40, (0, "c"): 25}, [0], ["a", "b", "c"],
                         column_totals=False)
    hidden = suppress(values, grid_lines([0], ["a", "b", "c"], column_totals=False), 6)
    assert hidden == {(0, "a"), (0, "c")}


def test_zeros_are_shown_and_never_hide_a_count():
    assert shown(0, True) == 0
    assert shown(None, True) is None
    values = {"a": 0, "b": 4, "total": 4}
    # b is the only non-zero part: it can only be protected by hiding the total too.
    assert suppress(values, [Line("total", ("a", "b"))], 6) == {"b", "total"}


def test_two_blocks_joined_by_one_cell_are_caught_though_every_line_has_two_hidden():
    # Each row and column holds two hidden cells, yet the joining cell (1, 2) follows
    # from rows 0-1 minus columns 0-1. The simple line rule misses this; the module must not.
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
    lines = grid_lines(range(4), range(4), row_totals=True, column_totals=True)
    assert (1, 2) in determined_cells(lines, hidden)
    assert recoverable(lines, hidden) == {(1, 2)}


def test_tables_sharing_a_total_are_suppressed_together():
    # A theme's count (published in one table) is the row total of a cross-tabulation.
    values = {"theme": 8, ("theme", "pod a"): 8, ("theme", "pod b"): 0}
    lines = [Line("theme", (("theme", "pod a"), ("theme", "pod b")))]
    hidden = suppress(values, lines, 6, thresholds={("theme", "pod a"): 10,
                                                    ("theme", "pod b"): 10})
    assert hidden == {"theme", ("theme", "pod a")}


def test_forced_cells_are_hidden_unless_zero():
    values = {"a": 20, "b": 30, "t": 50, "z": 0}
    hidden = suppress(values, [Line("t", ("a", "b"))], 6, forced=["a", "z"])
    assert hidden == {"a", "b"}
