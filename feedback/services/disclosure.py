"""Complementary suppression over a whole published set, checked by linear programs.

The board can ask for any month, quarter or year, and every additive figure in
those reports is a sum of *atoms*: counts of one theme (or of responses) in one
calendar month at one *place* (pod, age band, questionnaire, session) or with
one feeling. Figures of different periods and different breakdowns share atoms,
so a hidden figure could be worked out from others (a quarter minus two of its
months; one breakdown's total minus another's cells). Calendar years share no
atoms, so one year is one published set: all its months, quarters and the year,
every table of every breakdown.

For each figure hidden because it is small, :func:`protect` finds the smallest
and largest values it could take given every shown figure (exactly), every
hidden figure (at least 1: a zero is shown as 0) and whole, non-negative atoms,
the *attacker's problem* of the GSS/ONS statistical disclosure control guidance
and of tau-ARGUS's audit. The figure is *pinned* when that range lies within
one of its true value (``[v-1, v+1]``). While it is pinned, one more figure is
hidden (a *complementary* suppression): the first of the nearest, smallest
candidates that frees it, else the smallest. When no candidate is left, a whole
group (a cross-tabulated row of one period and breakdown) is withdrawn. Hiding
or withdrawing a figure only widens every range, so a figure once free stays
free, and each small figure is checked to the end once.

It is fast because (1) the figures are split into *components*, figures linked
by shared atoms (each theme is its own system, for example), and each is
solved alone; (2) each bound is first a linear-programming relaxation (HiGHS),
which decides it outright when the relaxation says "pinned" (an integer range
lies inside the relaxed one) or when its optimum is already whole; only
otherwise is an integer program solved; (3) a range is not pinned as soon as
its top exceeds ``v + 1``, so the bottom is often never computed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_array  # type: ignore[import-untyped]

#: How many candidates are tried (each costs a linear program or two) before the smallest
#: is taken.
TRIES = 4
#: How many whole solutions each component keeps to answer "not pinned" without a solver.
WITNESSES = 64
_EPS = 1e-6


@dataclass(frozen=True)
class Figure:
    """A published count: its key, the atoms it adds up, and its true value."""

    key: Hashable
    atoms: frozenset[Hashable]
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


class _System:
    """One component: its figures as rows of a 0/1 matrix over its own atoms."""

    def __init__(self, figures: Sequence[Figure]) -> None:
        self.figures = list(figures)
        atoms = sorted({a for f in figures for a in f.atoms}, key=repr)
        self.atom_index = {a: n for n, a in enumerate(atoms)}
        self.row = {f.key: n for n, f in enumerate(self.figures)}
        indices = [self.atom_index[a] for f in self.figures for a in f.atoms]
        indptr = np.cumsum([0, *(len(f.atoms) for f in self.figures)])
        self.matrix = csr_array((np.ones(len(indices)), indices, indptr),
                                shape=(len(self.figures), len(atoms)))
        self.width = len(atoms)
        #: Whole, non-negative atoms that fit every figure as last published (witnesses).
        self.found: list[np.ndarray] = []

    def bounds(self, hidden: set[Hashable], withdrawn: set[Hashable]
               ) -> tuple[np.ndarray, np.ndarray]:
        low = np.empty(len(self.figures))
        high = np.empty(len(self.figures))
        for n, figure in enumerate(self.figures):
            if figure.group is not None and figure.group in withdrawn:
                low[n], high[n] = 0.0, np.inf
            elif figure.key in hidden:
                low[n], high[n] = 1.0, np.inf
            else:
                low[n] = high[n] = float(figure.value)
        return low, high

    def _solve(self, objective: np.ndarray, constraint: LinearConstraint, integral: bool
               ) -> Any:
        return milp(objective, integrality=np.full(self.width, int(integral)),
                    bounds=Bounds(0, np.inf), constraints=constraint)

    def _keep(self, x: np.ndarray, constraint: LinearConstraint) -> None:
        """Keep a solver's whole solution as a witness, once checked exactly."""
        point = np.round(x)
        sums = self.matrix @ point
        if (np.all(point >= 0) and np.all(sums >= constraint.lb)
                and np.all(sums <= constraint.ub)):
            self.found.append(point)

    def _exceeds(self, objective: np.ndarray, constraint: LinearConstraint, limit: float
                 ) -> bool:
        """Whether the largest whole value of ``objective · atoms`` is above ``limit``.

        Fails closed: a solver that gives up answers "no" (so more is hidden). Every
        whole solution is kept in ``found``: it fits, whatever it says of this figure.
        """
        relaxed = self._solve(-objective, constraint, integral=False)
        # Unbounded: HiGHS says 3, or 4 ("unbounded or infeasible": the true counts fit).
        # A rational polyhedron with a whole point is unbounded in whole points too.
        if relaxed.status in (3, 4):
            return True
        if relaxed.status != 0:
            return False
        whole = bool(np.all(np.abs(relaxed.x - np.round(relaxed.x)) < _EPS))
        if whole:
            self._keep(relaxed.x, constraint)
        if -relaxed.fun <= limit + _EPS:  # the whole maximum is no larger
            return False
        if whole:
            return True
        exact = self._solve(-objective, constraint, integral=True)
        if exact.status in (3, 4):
            return True
        if exact.status == 0:
            self._keep(exact.x, constraint)
        return bool(exact.status == 0 and -exact.fun > limit + _EPS)

    def is_pinned(self, target: Figure, hidden: set[Hashable], withdrawn: set[Hashable]
                  ) -> bool:
        self.found = []
        low, high = self.bounds(hidden, withdrawn)
        constraint = LinearConstraint(self.matrix, low, high)
        objective = np.zeros(self.width)
        objective[[self.atom_index[a] for a in target.atoms]] = 1.0
        if self._exceeds(objective, constraint, target.value + 1):
            return False
        if target.value <= 2:  # a hidden figure is at least 1, so never below v - 1
            return True
        # The smallest value is below v - 1 when the largest of -value is above 1 - v.
        return not self._exceeds(-objective, constraint, 1 - target.value)

    def range_of(self, target: Figure, hidden: set[Hashable], withdrawn: set[Hashable]
                 ) -> tuple[float, float]:
        """The smallest and largest whole values of ``target`` (``inf``: unbounded)."""
        low, high = self.bounds(hidden, withdrawn)
        constraint = LinearConstraint(self.matrix, low, high)
        objective = np.zeros(self.width)
        objective[[self.atom_index[a] for a in target.atoms]] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            result = self._solve(sign * objective, constraint, integral=True)
            ends.append(np.inf if result.status in (3, 4) else sign * float(result.fun))
        return ends[0], ends[1]


def components(figures: Iterable[Figure]) -> list[list[Figure]]:
    """Split figures into groups linked by shared atoms (figures with no atoms are left out)."""
    parent: dict[Hashable, Hashable] = {}

    def find(atom: Hashable) -> Hashable:
        while parent[atom] != atom:
            parent[atom] = parent[parent[atom]]
            atom = parent[atom]
        return atom

    live = [f for f in figures if f.atoms]
    for figure in live:
        first, *rest = figure.atoms
        parent.setdefault(first, first)
        for atom in rest:
            parent.setdefault(atom, atom)
            a, b = find(first), find(atom)
            if a != b:
                parent[b] = a
    grouped: dict[Hashable, list[Figure]] = defaultdict(list)
    for figure in live:
        grouped[find(next(iter(figure.atoms)))].append(figure)
    return list(grouped.values())


class CannotProtect(Exception):
    """No complement or withdrawal left unpins a small figure: the caller must publish less."""

    def __init__(self, key: Hashable) -> None:
        super().__init__(f"cannot protect {key!r}")
        self.key = key


class _Protector:
    """Protects the small figures of one component.

    Figures that add up the same atoms are the same number printed in several
    places (a session held in one month is the same cell in its month, quarter
    and year): they are one figure here, hidden together, published while any
    of their tables is.
    """

    def __init__(self, figures: Sequence[Figure], outcome: Outcome) -> None:
        classes: dict[frozenset[Hashable], list[Figure]] = defaultdict(list)
        for figure in figures:
            classes[figure.atoms].append(figure)
        self.members = {members[0].key: members for members in classes.values()}
        canonical = [Figure(m[0].key, m[0].atoms, m[0].value, table=m[0].table,
                            complement=all(f.complement for f in m))
                     for m in classes.values()]
        self.system = _System(canonical)
        self.figures = self.system.figures
        self.canonical = {f.key: c.key for c, m in zip(canonical, classes.values()) for f in m}
        self.by_key = {f.key: f for f in self.figures}
        self.order = {f.key: n for n, f in enumerate(self.figures)}
        self.by_atom: dict[Hashable, list[Figure]] = defaultdict(list)
        for figure in self.figures:
            for atom in figure.atoms:
                self.by_atom[atom].append(figure)
        self.outcome = outcome
        self.hidden = {self.canonical[k] for k in outcome.hidden if k in self.canonical}
        # A small cell that adds up the same atoms as a shown total that may not be hidden
        # (a breakdown with one group) is that total printed again: it is shown.
        initial = set(outcome.hidden)
        self.fixed = {key for key, members in self.members.items()
                      if any(not f.complement and f.key not in initial for f in members)}
        for key in self.fixed:
            self.hidden.discard(key)
            outcome.hidden.difference_update(f.key for f in self.members[key])
        self.withdrawn: set[Hashable] = set()  # canonical keys no longer published
        #: Whole solutions found so far, newest first, with the trial complements they
        #: assumed: each proves a range wide for any figure it gives a far value.
        self.witnesses: list[tuple[np.ndarray, frozenset[Hashable]]] = []

    def _sync(self) -> None:
        for key in self.hidden:
            self.outcome.hidden.update(f.key for f in self.members[key])

    def live(self, figure: Figure) -> bool:
        return figure.key not in self.withdrawn

    def _unbounded(self, target: Figure, hidden: set[Hashable]) -> bool:
        """Whether one of the target's atoms is in no shown figure: it can grow without end."""
        return any(all(f.key in hidden or f.key in self.withdrawn for f in self.by_atom[atom])
                   for atom in target.atoms)

    def is_pinned(self, target: Figure, extra: Iterable[Hashable] = ()) -> bool:
        trial = frozenset(extra)
        hidden = self.hidden | trial
        if self._unbounded(target, hidden) or self._witnessed(target, hidden):
            return False
        pinned = self.system.is_pinned(target, hidden, self.withdrawn_groups())
        self.witnesses[:0] = [(point, trial) for point in self.system.found]
        del self.witnesses[WITNESSES:]
        return pinned

    def _witnessed(self, target: Figure, hidden: set[Hashable]) -> bool:
        """Whether a kept witness already gives the target a value outside [v-1, v+1].

        A witness found while the figures in its trial were hidden fits whenever they
        are: hiding or withdrawing only widens what fits (a shown v > 0 becomes >= 1,
        a hidden one >= 0), so a witness found earlier still fits now.
        """
        columns = [self.system.atom_index[a] for a in target.atoms]
        for point, trial in self.witnesses:
            if trial <= hidden and abs(point[columns].sum() - target.value) > 1 + _EPS:
                return True
        return False

    def withdrawn_groups(self) -> set[Hashable]:
        return set(self.withdrawn)

    def candidates(self, target: Figure) -> list[Figure]:
        near = {f.key: f for atom in target.atoms for f in self.by_atom[atom]}
        related = {g.key: g for f in near.values() for atom in f.atoms
                   for g in self.by_atom[atom]}
        return sorted((f for f in related.values()
                       if self.live(f) and f.key not in self.hidden
                       and f.complement and f.value > 0),
                      key=lambda f: (f.table != target.table, f.key not in near,
                                     f.value, self.order[f.key]))

    def withdraw(self, target: Figure) -> bool:
        """Withdraw a group near the target (its own first); False when none is left."""
        def open_groups(keys: Iterable[Hashable]) -> list[Hashable]:
            return sorted({f.group for key in keys for f in self.members[key]
                           if f.group is not None
                           and f.group not in self.outcome.withdrawn}, key=repr)

        groups = open_groups(f.key for atom in target.atoms for f in self.by_atom[atom])
        groups = groups or open_groups(self.members)
        if not groups:
            return False
        own = {f.group for f in self.members[target.key]}
        group = next((g for g in groups if g in own), groups[0])
        self.outcome.withdrawn.add(group)
        # A number is published while any table printing it is.
        self.withdrawn = {key for key, members in self.members.items()
                          if all(f.group is not None and f.group in self.outcome.withdrawn
                                 for f in members)}
        return True

    def protect(self, key: Hashable) -> None:
        if self.canonical[key] in self.fixed:
            return
        target = self.by_key[self.canonical[key]]
        while self.live(target) and self.is_pinned(target):
            options = self.candidates(target)
            chosen = next((f for f in options[:TRIES] if not self.is_pinned(target, [f.key])),
                          options[0] if options else None)
            if chosen is not None:
                self.hidden.add(chosen.key)
            elif not self.withdraw(target):
                raise CannotProtect(target.key)  # fail closed
        self._sync()


def protect(figures: Sequence[Figure], primary: Mapping[Hashable, bool], *,
            hidden: Iterable[Hashable] = ()) -> Outcome:
    """Return what to hide (and withdraw) so that no small figure can be pinned.

    ``primary`` says which figures are hidden for being small (these are
    protected); ``hidden`` are already hidden for other reasons. A figure that
    adds up the same atoms as a hidden one is hidden with it.
    """
    outcome = Outcome()
    small = {key for key, is_small in primary.items() if is_small}
    values = {f.key: f.value for f in figures}
    outcome.hidden |= small | {key for key in hidden if values.get(key, 0) > 0}
    for component in components(figures):
        if not any(f.key in outcome.hidden for f in component):
            continue
        protector = _Protector(component, outcome)
        protector._sync()
        for figure in component:
            if figure.key in small:
                protector.protect(figure.key)
    return outcome
