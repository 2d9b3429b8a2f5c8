"""Small-number suppression for board tables: pure functions, no database.

A table is a set of *cells* (counts, keyed by anything hashable) and *lines*:
a published total together with the cells that add up to it (a row with its
row total, a column with its column total, the totals with the grand total).
Several tables that share a total (the same number printed twice) are one
system: pass all their lines together and they are suppressed consistently.

**Primary suppression.** A count from 1 to ``threshold - 1`` is suppressed
(shown as "c"). Zero is a true zero and is shown as 0.

**Secondary suppression.** A suppressed cell must not be recoverable from the
published numbers. The published totals are linear equations over the
suppressed cells; a cell is *determined* when those equations pin down its
value (the simplest case: a line with exactly one suppressed cell, but also
combinations of lines, such as two blocks joined by a single cell). While a
determined cell exists, one more cell on one of its lines is suppressed: the
smallest non-zero cell that is not a total, choosing one that frees the
determined cell when there is one. This stops at the latest when every
non-zero cell on the lines is suppressed, and then nothing can be worked out:
the true counts are a solution in which every suppressed cell is non-zero,
and so is any multiple of them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Generic, TypeVar

#: What a suppressed count shows as, everywhere.
SUPPRESSED: Final = "c"
#: Tables of two breakdowns at once never use a lower threshold than this.
CROSSTAB_MINIMUM: Final = 10
#: The keys of one system of cells and totals.
K = TypeVar("K", bound=Hashable)


class _Total:
    """The key part that names a total in a grid (its row or column of totals)."""

    def __repr__(self) -> str:
        return "TOTAL"


TOTAL: Final = _Total()


@dataclass(frozen=True)
class Line(Generic[K]):
    """A published total and the cells that add up to it."""

    total: K
    parts: tuple[K, ...]


def crosstab_threshold(threshold: int) -> int:
    """Return the threshold for a table of two breakdowns at once."""
    return max(threshold, CROSSTAB_MINIMUM)


def grid_lines(rows: Sequence[Hashable], columns: Sequence[Hashable], *,
               row_totals: bool = True, column_totals: bool = True) -> list[Line[Hashable]]:
    """Return the lines of a grid keyed ``(row, column)``, totals keyed with ``TOTAL``."""
    lines: list[Line[Hashable]] = []
    if row_totals:
        lines += [Line((r, TOTAL), tuple((r, c) for c in columns)) for r in rows]
    if column_totals:
        lines += [Line((TOTAL, c), tuple((r, c) for r in rows)) for c in columns]
    if row_totals and column_totals:
        lines.append(Line((TOTAL, TOTAL), tuple((TOTAL, c) for c in columns)))
        lines.append(Line((TOTAL, TOTAL), tuple((r, TOTAL) for r in rows)))
    return lines


def grid_values(cells: Mapping[tuple[Hashable, Hashable], int], rows: Sequence[Hashable],
                columns: Sequence[Hashable], *, row_totals: bool = True,
                column_totals: bool = True) -> dict[Hashable, int]:
    """Return the grid's cells with the totals ``grid_lines`` names, added up."""
    values: dict[Hashable, int] = {(r, c): cells.get((r, c), 0) for r in rows for c in columns}
    if row_totals:
        values.update({(r, TOTAL): sum(values[r, c] for c in columns) for r in rows})
    if column_totals:
        values.update({(TOTAL, c): sum(values[r, c] for r in rows) for c in columns})
    if row_totals and column_totals:
        values[TOTAL, TOTAL] = sum(values[r, c] for r in rows for c in columns)
    return values


def suppress(values: Mapping[K, int], lines: Sequence[Line[K]], threshold: int, *,
             thresholds: Mapping[K, int] | None = None,
             forced: Iterable[K] = ()) -> frozenset[K]:
    """Return the keys to show as "c": primary, then secondary until nothing is determined.

    ``thresholds`` overrides ``threshold`` per key (cross-tabulated cells);
    ``forced`` keys are suppressed whatever their size, unless they are zero.
    """
    limits = thresholds or {}
    hidden = {key for key, value in values.items()
              if 0 < value < limits.get(key, threshold)}
    hidden |= {key for key in forced if values.get(key, 0) > 0}
    totals = {line.total for line in lines}
    order = {key: n for n, key in enumerate(values)}
    while True:
        determined = determined_cells(lines, hidden)
        if not determined:
            return frozenset(hidden)
        target = min(determined, key=order.__getitem__)
        hidden.add(_complement(values, lines, hidden, target, totals, order))


def determined_cells(lines: Sequence[Line[K]], hidden: Iterable[K]) -> set[K]:
    """Return the hidden cells whose values the published totals pin down exactly."""
    hidden = set(hidden)
    basis: dict[K, dict[K, Fraction]] = {}  # pivot -> reduced row
    for line in lines:
        row: dict[K, Fraction] = {}
        for key, sign in ((line.total, -1), *((part, 1) for part in line.parts)):
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + sign
        _reduce_into(basis, {k: v for k, v in row.items() if v})
    return {pivot for pivot, row in basis.items() if len(row) == 1}


def _reduce_into(basis: dict[K, dict[K, Fraction]], row: dict[K, Fraction]) -> None:
    """Add one equation to a fully reduced row-echelon basis (exact arithmetic)."""
    for pivot in [k for k in row if k in basis]:
        factor = row.get(pivot, Fraction(0))
        if factor:
            for key, value in basis[pivot].items():
                row[key] = row.get(key, Fraction(0)) - factor * value
            row = {k: v for k, v in row.items() if v}
    if not row:
        return
    pivot = next(iter(row))
    scale = row[pivot]
    row = {k: v / scale for k, v in row.items()}
    for other in basis.values():
        factor = other.get(pivot, Fraction(0))
        if factor:
            for key, value in row.items():
                other[key] = other.get(key, Fraction(0)) - factor * value
            for key in [k for k, v in other.items() if not v]:
                del other[key]
    basis[pivot] = row


def _complement(values: Mapping[K, int], lines: Sequence[Line[K]], hidden: set[K],
                target: K, totals: set[K], order: Mapping[K, int]) -> K:
    """Choose the next cell to suppress so that ``target`` can no longer be worked out."""
    def candidates(chosen: Iterable[Line[K]]) -> list[K]:
        keys = {key for line in chosen for key in (line.total, *line.parts)}
        return sorted((k for k in keys if k not in hidden and values.get(k, 0) > 0),
                      key=lambda k: (k in totals, values[k], order.get(k, 0)))

    near = candidates(line for line in lines if target == line.total or target in line.parts)
    for key in near:
        if target not in determined_cells(lines, hidden | {key}):
            return key
    if near:
        return near[0]
    # Every cell beside it is hidden already: widen to every line that touches a hidden cell.
    far = candidates(line for line in lines if hidden & {line.total, *line.parts})
    if not far:  # cannot happen (see the module docstring); fail closed, never open
        raise AssertionError("a determined cell with nothing left to suppress")
    return far[0]


def shown(value: int | None, is_suppressed: bool) -> int | str | None:
    """Return what a count shows as: the number, 0, "c", or None (not applicable)."""
    if value is None:
        return None
    return SUPPRESSED if is_suppressed and value else value
