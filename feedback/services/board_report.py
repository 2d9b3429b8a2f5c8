"""Everything the board sees for one period, counted: numbers and structures, no words.

The web layer (``feedback.web.board.report``) words what this returns: period
labels, titles, definitions, charts. The page, every export and the command
line all start here, so a number can never be shown in one and hidden in
another. A finished period's counts, and a finished year's published set, may
be reused from a ``caching.BoundedCache`` with a ``max_age``, and the trend's
earlier months from a :class:`~feedback.services.board_cache.MonthCache`; the
caller passes the caches it keeps.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from feedback.services import board_cache, impact, quotes, reports, summaries, year_disclosure
from feedback.services.board_cache import MonthCache
from feedback.services.caching import BoundedCache
from feedback.services.reports import Period
from feedback.services.summaries import Summary


#: A cache of finished periods' counts or finished years' sets.
Kept = BoundedCache[Hashable, Any]


@dataclass(frozen=True)
class Settings:
    """The installation's settings that change the board's figures."""

    #: Counts below this are suppressed (``SUPPRESSION_THRESHOLD``).
    threshold: int
    #: Working hours within which an alert should be acknowledged.
    alert_hours: int
    #: Days without a response after which an open case is in drift.
    drift_days: int


@dataclass(frozen=True)
class Counts:
    """A period's suppressed summary and impact figures: what a cache keeps."""

    summary: Summary
    figures: tuple[impact.Figure, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything the board's report shows for one period, before it is worded."""

    period: Period
    settings: Settings
    summary: Summary
    figures: tuple[impact.Figure, ...]
    #: What each breakdown's groups are called.
    names: reports.Names
    #: Theme codes whose count is shown (not zero, not suppressed), in the summary's order.
    shown_themes: tuple[str, ...]
    #: (theme code, approved excerpts) for the shown themes that have any.
    quotes: tuple[tuple[str, tuple[str, ...]], ...]


def year_sets(session: Session, threshold: int, now: datetime,
              years: Kept | None = None, *, stored: bool = True) -> summaries.YearSets:
    """Return what decides a year's published set: a finished year's is reused from
    ``years``; a running year is decided afresh. With ``stored``, the year's settled
    months are read from the database where unchanged (``board_cache.year_months``)."""
    def year_set(year: int) -> year_disclosure.YearProtection:
        def made() -> year_disclosure.YearProtection:
            counts = (board_cache.year_counts(year, board_cache.year_months(session, year, now))
                      if stored else None)
            return summaries.protect_year(session, year, threshold, counts)
        if years is not None and date(year + 1, 1, 1) <= now.date():
            return years.get_or_make((year, threshold), made)
        return made()
    return year_set


def count(session: Session, period: Period, settings: Settings, *, now: datetime,
          month_counts: summaries.MonthCounts | None = None,
          years: Kept | None = None, stored: bool = True) -> Counts:
    """Count and suppress the period's summary and impact figures.

    The period's figures are hidden as its whole year's published set says; a
    finished year's set is reused from ``years`` (a running year is decided afresh).
    With ``stored`` (the default) a settled month's figures are read from the
    database while unchanged, and counted and stored otherwise; without, everything
    is counted afresh (the two give the same figures: ``tests/test_board_store.py``).
    """
    months: dict[board_cache.Month, board_cache.MonthFigures] = {}

    def year_months(year: int) -> dict[board_cache.Month, board_cache.MonthFigures]:
        if not months:
            months.update(board_cache.year_months(session, year, now))
        return months

    def year_set(year: int) -> year_disclosure.YearProtection:
        def made() -> year_disclosure.YearProtection:
            counts = board_cache.year_counts(year, year_months(year)) if stored else None
            return summaries.protect_year(session, year, settings.threshold, counts)
        if years is not None and date(year + 1, 1, 1) <= now.date():
            return years.get_or_make((year, settings.threshold), made)
        return made()

    if month_counts is None:
        month_counts = (board_cache.theme_months(now) if stored
                        else reports.theme_month_counts)
    summary = summaries.build_summary(
        session, period, settings.threshold, month_counts, year_set,
        board_cache.children_of(year_months(period.year)) if stored else None)
    figures = impact.impact_figures(
        session, period, now=now, threshold=settings.threshold,
        alert_hours=settings.alert_hours, drift_days=settings.drift_days,
        thread=board_cache.thread_of(year_months(period.year), period) if stored else None,
        actions=board_cache.actions_of(year_months(period.year), period) if stored else None)
    return Counts(summary, tuple(figures))


def counts(session: Session, period: Period, settings: Settings, *, now: datetime,
           months: MonthCache | None = None, results: Kept | None = None,
           years: Kept | None = None) -> Counts:
    """Count the period, reusing a finished period's counts from ``results``.

    A period that includes today is always counted afresh (its settled months read
    from the database where unchanged); ``months`` (when given) answers the trend's
    earlier months, themselves read from the database where settled and unchanged.
    """
    stored = board_cache.theme_months(now)
    month_counts: summaries.MonthCounts = (
        (lambda session, start, end: months.counts(session, start, end, fetch=stored))
        if months is not None else stored)

    def counted() -> Counts:
        return count(session, period, settings, now=now, month_counts=month_counts,
                     years=years)

    if results is not None and period.end <= now.date():
        return results.get_or_make((period.code, settings), counted)
    return counted()


def shown_themes(summary: Summary) -> tuple[str, ...]:
    """Return the themes whose response count is shown: not zero and not suppressed."""
    return tuple(row.theme for row in summary.themes
                 if row.responses.value and not row.responses.is_suppressed)


def report_data(session: Session, period: Period, settings: Settings, *, now: datetime,
                language: str = "en", months: MonthCache | None = None,
                results: Kept | None = None, years: Kept | None = None
                ) -> ReportData:
    """Count everything the board sees for one period, with names in ``language``."""
    counted = counts(session, period, settings, now=now, months=months, results=results,
                     years=years)
    shown = shown_themes(counted.summary)
    approved = quotes.approved(session, period, shown)
    return ReportData(
        period=period, settings=settings, summary=counted.summary, figures=counted.figures,
        names=reports.names(session, language), shown_themes=shown,
        quotes=tuple((theme, tuple(approved[theme])) for theme in shown if theme in approved))
