"""An auditor with a spreadsheet and a solver must not pin any small hidden count.

The auditor reads every figure a board user can obtain for every period of a
year (12 months, 4 quarters, the year: the same ``Summary`` the page, the
CSV, XLSX and PDF and the charts are drawn from) and writes each additive
figure as a sum of unknowns: counts per theme (or of responses, comments)
per month and place or feeling. For every figure shown as c, an integer
program (HiGHS through scipy, written here independently of
``feedback.services.disclosure``) finds the smallest and largest values
consistent with every shown figure, every c being at least 1 (zeros are shown
as 0) and whole, non-negative unknowns. A true value v from 1 to 5 is
*pinned* when that range lies within [v - 1, v + 1]. The auditor is given
more than an attacker has (which unknowns are zero), so it errs towards
finding a pin.

Examples: ``AUDIT_EXAMPLES`` (default 15 locally, 300 in CI, 100 in CI's
PostgreSQL lane, which runs this file's database test too).
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Hashable
from datetime import UTC, date, datetime
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from apps import IS_POSTGRES
from feedback import demo
from feedback.extensions import db
from feedback.services import summaries, year_disclosure
from feedback.services.reports import DIMENSIONS, Period
from feedback.services.suppression import crosstab_threshold
from feedback.theming import THEME_CODES
from feedback.web.analyser import current_analyser
from servers import IN_CI

EXAMPLES = int(os.environ.get("AUDIT_EXAMPLES") or
               (15 if not IN_CI else 100 if IS_POSTGRES else 300))
YEAR = 2026
PERIODS = ([Period("month", YEAR, n) for n in range(1, 13)]
           + [Period("quarter", YEAR, n) for n in range(1, 5)] + [Period("year", YEAR)])


def figures_of(summary, counts) -> list[tuple[frozenset, int, bool]]:
    """Every additive figure of a period's summary: (unknowns it adds up, value, shown as c).

    Children (distinct cases, not sums of months) are not additive and are left out.
    """
    months = summary.period.months()
    found = []

    def add(unknowns, count):
        found.append((frozenset(unknowns), count.value, count.is_suppressed))

    responses = [(m, place) for m in months for place, n in counts.responses.get(m, {}).items()
                 if n]
    add({("r", *a) for a in responses}, summary.responses)
    add({("c", m) for m in months if counts.comments.get(m)}, summary.comments)
    for index, dim in enumerate(DIMENSIONS):
        for group, count in (summary.breakdowns[dim].responses or {}).items():
            add({("r", *a) for a in responses if a[1][index] == group}, count)
    for row in summary.themes:
        theme = row.theme
        atoms = [(m, place) for m in months
                 for place, n in counts.themes.get(theme, {}).get(m, {}).items() if n]
        add({("t", theme, *a) for a in atoms}, row.responses)
        for index, dim in enumerate(DIMENSIONS):
            cells = summary.breakdowns[dim].by_theme[theme]
            for group, count in (cells or {}).items():
                add({("t", theme, *a) for a in atoms if a[1][index] == group}, count)
        feelings = [(m, s) for m in months
                    for s, n in counts.feelings.get(theme, {}).get(m, {}).items() if n]
        add({("f", theme, *a) for a in feelings}, row.comments)
        for feeling, count in (row.sentiment or {}).items():
            add({("f", theme, *a) for a in feelings if a[1] == feeling}, count)
    return found


def value_of(counts, unknown) -> int:
    kind, *rest = unknown
    if kind == "r":
        return counts.responses[rest[0]][rest[1]]
    if kind == "c":
        return counts.comments[rest[0]]
    table = counts.themes if kind == "t" else counts.feelings
    return table[rest[0]][rest[1]][rest[2]]


def pinned_figures(figures, counts) -> tuple[int, list]:
    """Return how many small hidden figures were audited, and those pinned."""
    # Unknowns of different kinds and themes never share a figure: solve each system alone.
    systems: dict[Hashable, list] = defaultdict(list)
    for figure in figures:
        if figure[0]:
            first = next(iter(figure[0]))
            systems[first[:2] if first[0] in "tf" else first[:1]].append(figure)
    audited, found = 0, []
    for rows in systems.values():
        unknowns = sorted({u for members, _v, _h in rows for u in members}, key=repr)
        index = {u: n for n, u in enumerate(unknowns)}
        matrix = np.zeros((len(rows), len(unknowns)))
        for n, (members, _v, _h) in enumerate(rows):
            matrix[n, [index[u] for u in members]] = 1
        lower = [1 if hidden else value for _m, value, hidden in rows]
        upper = [np.inf if hidden else value for _m, value, hidden in rows]
        constraint = LinearConstraint(matrix, lower, upper)
        truth = np.array([value_of(counts, u) for u in unknowns])
        assert np.all(matrix @ truth >= np.array(lower) - 1e-9)  # what is shown is true
        assert np.all(matrix @ truth <= np.array(upper) + 1e-9)
        done = set()
        for members, value, hidden in rows:
            if not hidden or not 1 <= value <= 5 or members in done:
                continue
            done.add(members)
            audited += 1
            c = np.zeros(len(unknowns))
            c[[index[u] for u in members]] = 1
            whole, bounds = np.ones(len(unknowns)), Bounds(0, np.inf)
            low = milp(c, integrality=whole, bounds=bounds, constraints=constraint)
            high = milp(-c, integrality=whole, bounds=bounds, constraints=constraint)
            # The true counts fit, so "unbounded or infeasible" (4) is unbounded.
            assert low.status == 0 and high.status in (0, 3, 4)
            top = -high.fun if high.status == 0 else np.inf
            if value - 1 <= low.fun and top <= value + 1:
                found.append((sorted(members, key=repr), value, low.fun, top))
    return audited, found


def no_children(*_args, **_kwargs):
    return {}


def summaries_of(counts, threshold=6):
    """Every period's summary, as the board's page would build it, from the year's counts."""
    protection = year_disclosure.protect_year(counts, THEME_CODES, threshold,
                                              crosstab_threshold(threshold), len(DIMENSIONS))
    with mock.patch.object(summaries.reports, "children_by_pod", no_children), \
            mock.patch.object(summaries.reports, "children_by_theme", no_children):
        return [summaries.build_summary(None, period, threshold,  # type: ignore[arg-type]
                                        month_counts=lambda *_: {},
                                        year_set=lambda _year: protection)
                for period in PERIODS]


def audit(counts, threshold=6):
    made = summaries_of(counts, threshold)
    trend_agrees(made)
    return pinned_figures([f for s in made for f in figures_of(s, counts)], counts)


def trend_agrees(made):
    """A trend point is hidden exactly as that period's own summary hides it."""
    own = {(s.period.code, r.theme): r.responses for s in made for r in s.themes}
    for summary in made:
        for row in summary.themes:
            for period, point in zip(summary.trend_periods, row.trend):
                if (period.code, row.theme) in own:
                    assert own[period.code, row.theme] == point


def year_counts(themes=None, responses=None, feelings=None, comments=None):
    return year_disclosure.YearCounts(YEAR, themes or {}, responses or {}, feelings or {},
                                      comments or {})


NORTH, SOUTH = (1, None, 1, None), (2, None, 1, None)
S1, S2 = (None, "11-13", 3, 11), (None, "11-13", 3, 12)
#: Q3 "Family" 21 - July 9 - August 8 = September 4.
QUARTER_MINUS_MONTHS = year_counts(
    themes={"family": {(YEAR, 7): {NORTH: 9}, (YEAR, 8): {NORTH: 8}, (YEAR, 9): {NORTH: 4}}},
    responses={(YEAR, 7): {NORTH: 9}, (YEAR, 8): {NORTH: 8}, (YEAR, 9): {NORTH: 4}},
    comments={(YEAR, 7): 9, (YEAR, 8): 8, (YEAR, 9): 4})
#: Pod row North 20, South c, Sessions c; session row S1 c, S2 c, cases 24: South = 4.
ONE_BREAKDOWN_MINUS_ANOTHER = year_counts(
    themes={"school": {(YEAR, 7): {NORTH: 20, SOUTH: 4, S1: 3, S2: 3}}},
    responses={(YEAR, 7): {NORTH: 20, SOUTH: 4, S1: 3, S2: 3}},
    feelings={"school": {(YEAR, 7): {"positive": 20, "negative": 4, None: 6}}},
    comments={(YEAR, 7): 30})


def test_a_quarter_minus_two_months_does_not_give_the_third():
    audited, found = audit(QUARTER_MINUS_MONTHS)
    assert audited and found == []
    family = {s.period.code: s.theme("family").responses for s in summaries_of(
        QUARTER_MINUS_MONTHS)}
    assert family["2026-09"].is_suppressed
    assert sum(family[m].is_suppressed for m in ("2026-07", "2026-08", "2026-Q3")) >= 1


def test_one_breakdown_minus_another_does_not_give_a_cell():
    audited, found = audit(ONE_BREAKDOWN_MINUS_ANOTHER)
    assert audited and found == []


#: A theme with every month small but March and June, broken down only for Q1, Q2 and
#: the year (thresholds 6 and 10): no complement unpinned October, and the board's
#: whole year failed (the demo, on some days). Its breakdowns are withdrawn instead.
NO_COMPLEMENT_LEFT = {  # {month: {(pod, age band, questionnaire, session): responses}}
    (YEAR, 1): {(1, None, 4, None): 1, (1, None, 5, None): 1, (2, None, 3, None): 2},
    (YEAR, 2): {(2, None, 3, None): 1},
    (YEAR, 3): {(1, None, 4, None): 2, (2, None, 3, None): 4},
    (YEAR, 4): {(1, None, 3, None): 3, (1, None, 5, None): 1, (2, None, 3, None): 1,
                (2, None, 4, None): 1},
    (YEAR, 5): {(2, None, 3, None): 2},
    (YEAR, 6): {(1, None, 3, None): 1, (1, None, 4, None): 3, (2, None, 3, None): 1,
                (2, None, 4, None): 1},
    (YEAR, 7): {(1, None, 3, None): 1, (1, None, 5, None): 1},
    (YEAR, 8): {(1, None, 3, None): 3, (2, None, 3, None): 1, (2, None, 4, None): 1},
    (YEAR, 9): {(2, None, 3, None): 1},
    (YEAR, 10): {(None, "14-15", 1, 1): 1, (None, "7-10", 1, 1): 1, (1, None, 4, None): 1},
    (YEAR, 11): {(1, None, 3, None): 1},
    (YEAR, 12): {(1, None, 3, None): 2},
}


def test_a_table_with_no_complement_left_is_withdrawn_not_a_failure():
    months = {m: sum(by.values()) for m, by in NO_COMPLEMENT_LEFT.items()}
    counts = year_counts(themes={"family": NO_COMPLEMENT_LEFT}, responses=NO_COMPLEMENT_LEFT,
                         comments=months)
    audited, found = audit(counts)
    assert audited and found == []
    year = next(s for s in summaries_of(counts) if s.period.code == str(YEAR))
    assert year.theme("family").responses.value == sum(months.values())


PLACES = [NORTH, SOUTH, (1, "7-10", 2, None), S1, S2]
counts_of = st.dictionaries(st.sampled_from(PLACES),
                            st.one_of(st.integers(1, 5), st.integers(6, 30)), max_size=4)
months_of = st.sampled_from([(YEAR, m) for m in (1, 2, 3, 7, 8, 9)])


@st.composite
def data_sets(draw):
    """A year of small counts in a few months and places: responses, two themes, feelings."""
    responses = draw(st.dictionaries(months_of, counts_of, min_size=1, max_size=4))
    themes = {theme: draw(st.dictionaries(months_of, counts_of, max_size=4))
              for theme in ("family", "school")}
    feeling_counts = st.dictionaries(st.sampled_from(["positive", "negative", None]),
                                     st.one_of(st.integers(1, 5), st.integers(6, 30)),
                                     max_size=3)
    feelings = {"family": draw(st.dictionaries(months_of, feeling_counts, max_size=4))}
    comments = draw(st.dictionaries(months_of, st.one_of(st.integers(1, 5),
                                                         st.integers(6, 40)), max_size=4))
    return year_counts(themes, responses, feelings, comments)


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data_sets())
@example(QUARTER_MINUS_MONTHS)
@example(ONE_BREAKDOWN_MINUS_ANOTHER)
@example(year_counts(  # a breakdown with one group prints its total again
    themes={"school": {(YEAR, 1): {NORTH: 3}, (YEAR, 2): {NORTH: 1, SOUTH: 1,
                                                          (1, "7-10", 2, None): 1},
                       (YEAR, 7): {S1: 10}}}, responses={(YEAR, 1): {}}))
def test_no_small_hidden_count_is_pinned(counts):
    _audited, found = audit(counts)
    assert found == []


def test_the_demo_data_pins_nothing_in_any_period_of_the_year(app):
    """The demo (as ``flask demo-data`` loads it), audited over every period of its year,
    through the counts the page reads from the database."""
    demo.build_demo(db.session, current_analyser(), seed=7, today=date(YEAR, 12, 31))
    db.session.commit()
    started = time.perf_counter()
    protection = summaries.protect_year(db.session, YEAR, 6)
    counts = protection.counts
    made = [summaries.build_summary(db.session, period, 6, year_set=lambda _y: protection)
            for period in PERIODS]
    seconds = time.perf_counter() - started
    trend_agrees(made)
    figures = [f for s in made for f in figures_of(s, counts)]
    hidden = sum(1 for f in figures if f[2])
    audited, found = pinned_figures(figures, counts)
    print(f"demo {YEAR}: {len(figures)} figures, {hidden} shown as c, {audited} small ones "
          f"audited, {len(found)} pinned; protected in {seconds:.2f} s")
    assert audited > 50 and found == []


def test_a_finished_years_set_is_decided_once_and_reused(app, monkeypatch):
    from feedback.services import board_report
    from feedback.services.caching import BoundedCache
    from feedback.services.board_report import Settings

    made = []
    real = summaries.protect_year

    def counting(session, year, threshold, counts=None):
        made.append(year)
        return real(session, year, threshold, counts)

    monkeypatch.setattr(summaries, "protect_year", counting)
    years, now = BoundedCache("years", 8), datetime(2027, 2, 1, tzinfo=UTC)
    settings_ = Settings(threshold=6, alert_hours=2, drift_days=42)
    for code in ("2026-07", "2026-Q3", "2026", "2027-01", "2027-01"):
        board_report.count(db.session, Period.parse(code), settings_, now=now, years=years)
    assert made == [2026, 2027, 2027]  # 2027 is still running: decided afresh
