"""The board's caches: finished months, periods and years are reused, expire, are bounded
and can be emptied."""

from datetime import UTC, date, datetime

from feedback.services import board_cache, board_report
from feedback.services.board_cache import MonthCache
from feedback.services.caching import BoundedCache
from feedback.services.board_report import Counts, Settings
from feedback.services.reports import Period
from feedback.web.board.report import month_cache, result_cache, year_cache
from feedback.web.caches import caches

SETTINGS = Settings(threshold=6, alert_hours=24, drift_days=42)
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_month_cache_counts_only_missing_or_expired_months(monkeypatch):
    asked = []

    def month_counts(session, start, end):
        asked.append((start, end))
        return {(start.year, start.month): {"school": 3}}

    monkeypatch.setattr(board_cache.reports, "theme_month_counts", month_counts)
    clock = Clock()
    cache = MonthCache(max_age=60, clock=clock)
    first = cache.counts(None, date(2026, 1, 1), date(2026, 4, 1))
    assert first == {(2026, 1): {"school": 3}, (2026, 2): {}, (2026, 3): {}}
    assert cache.counts(None, date(2026, 2, 1), date(2026, 5, 1))[(2026, 4)] == {"school": 3}
    assert asked == [(date(2026, 1, 1), date(2026, 4, 1)), (date(2026, 4, 1), date(2026, 5, 1))]
    clock.now += 61
    cache.counts(None, date(2026, 3, 1), date(2026, 4, 1))
    assert asked[-1] == (date(2026, 3, 1), date(2026, 4, 1))
    cache.clear()
    cache.counts(None, date(2026, 3, 1), date(2026, 4, 1))
    assert len(asked) == 4


def test_a_bounded_cache_with_a_max_age_keeps_results_that_long_and_clears():
    clock = Clock()
    cache: BoundedCache[str, int] = BoundedCache("results", 2, max_age=60, clock=clock)
    made = []

    def make() -> int:
        made.append(1)
        return len(made)

    assert cache.get_or_make("2026-Q3", make) == cache.get_or_make("2026-Q3", make) == 1
    clock.now += 61
    assert cache.get_or_make("2026-Q3", make) == 2 and len(cache) == 1
    cache.clear()
    assert len(cache) == 0 and cache.get_or_make("2026-Q3", make) == 3
    cache.get_or_make("2026-Q2", make)
    cache.get_or_make("2026-Q1", make)  # the least recently used, 2026-Q3, goes
    assert len(cache) == 2 and cache.get_or_make("2026-Q3", make) == 6


def test_only_a_finished_period_is_reused(monkeypatch):
    made = []

    def count(session, period, settings, *, now, month_counts, years=None):
        made.append(period.code)
        return Counts(None, ())

    monkeypatch.setattr(board_report, "count", count)
    results: BoundedCache = BoundedCache("results", 8)
    for code in ("2026-Q3", "2026-Q3", "2026-Q4", "2026-Q4"):
        board_report.counts(None, Period.parse(code), SETTINGS, now=NOW, results=results)
    assert made == ["2026-Q3", "2026-Q4", "2026-Q4"]
    other = Settings(threshold=10, alert_hours=24, drift_days=42)
    board_report.counts(None, Period.parse("2026-Q3"), other, now=NOW, results=results)
    assert made[-1] == "2026-Q3" and len(results) == 2


def test_the_board_caches_are_named_in_the_app_registry(app):
    assert month_cache() is month_cache() is caches().kept("board.months", MonthCache)
    assert result_cache() is caches().bounded("board.results", 1)
    assert year_cache() is caches().bounded("board.years", 1)
    assert {"board.months", "board.results", "board.years"} <= set(caches().names())
    assert result_cache().max_age == year_cache().max_age == 600


def test_board_cache_seconds_sets_how_long_counts_are_kept(app_factory):
    other = app_factory(BOARD_CACHE_SECONDS=5)
    with other.app_context():
        assert month_cache()._max_age == result_cache().max_age == year_cache().max_age == 5
