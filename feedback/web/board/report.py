"""Everything the board sees for one period, in the reader's words: tables, charts, figures.

The page and every export are drawn from the same ``Report``, so a number can
never be shown in one and hidden in another. The counting, and the caches that
spare it, are in ``feedback.services.board_report``; this module words the
result (with ``tables`` and ``definitions``) and finds this app's settings and
caches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from feedback.exports.tabular import Cell, Sheet
from feedback.extensions import db
from feedback.models import utcnow
from feedback.services import board_report
from feedback.services.board_cache import MAX_AGE, MonthCache
from feedback.services.board_report import Kept, ReportData, Settings
from feedback.services.reports import Period
from feedback.services.summaries import Summary
from feedback.web.board.definitions import ImpactRow, definitions, impact_rows, method
from feedback.web.board.key_messages import (KeyMessages, empty_breakdowns, key_messages,
                                             left_out_sentence)
from feedback.web.board.tables import (GroupNames, Table, breakdown_tables, charts,
                                       period_label, theme_tables)
from feedback.web.caches import caches
from feedback.web.i18n import current_language
from feedback.web.labels import THEME_LABELS


@dataclass(frozen=True)
class Report:
    period: Period
    label: str
    #: The month the report was produced (never a finer date).
    produced: str
    headline: tuple[tuple[str, Cell], ...]
    tables: dict[str, Table]
    theme_chart: Markup
    trend_charts: tuple[tuple[str, Markup], ...]
    impact: tuple[ImpactRow, ...]
    quotes: tuple[tuple[str, tuple[str, ...]], ...]
    definitions: tuple[tuple[str, str], ...]
    method: tuple[str, ...]
    summary: Summary = field(repr=False)
    #: Page 1 of the paper: the themes raised most, the golden thread, two quotes.
    key: KeyMessages | None = None
    #: Breakdown tables with nothing to show, left out of the paper with ``left_out_text``.
    left_out: tuple[str, ...] = ()
    left_out_text: str | None = None

    def sheets(self) -> list[Sheet]:
        """Return every table, then the figures, quotes and definitions, for CSV and XLSX."""
        about = Sheet(_("About"), _("Board summary: %(period)s", period=self.label),
                      [_("Item"), _("Value")],
                      [[_("Period"), self.label], [_("Produced"), self.produced],
                       *[[label, value] for label, value in self.headline]], self.method)
        figures = Sheet(_("Impact"), _("Impact figures"),
                        [_("Figure"), _("Met"), _("Out of"), _("Share"), _("Definition")],
                        [[r.title, r.met, r.total,
                          r.fraction if r.fraction is not None else r.share, r.definition]
                         for r in self.impact], percent_columns=(3,))
        quoted = Sheet(_("Quotes"), _("Approved quotes"), [_("Theme"), _("Quote")],
                       [[theme, text] for theme, texts in self.quotes for text in texts])
        terms = Sheet(_("Definitions"), _("Definitions"), [_("Term"), _("Definition")],
                      [list(pair) for pair in self.definitions])
        how = Sheet(_("Method"), _("Method and small numbers"), [_("Method")],
                    [[paragraph] for paragraph in self.method])
        return [about, *(t.sheet() for t in self.tables.values()), figures, quoted, terms, how]


def build_report(data: ReportData, *, now: datetime, for_export: bool = False) -> Report:
    """Word everything the board sees for one period (``data``: from ``board_report``)."""
    summary = data.summary
    label = period_label(data.period)
    theme_chart, trend_charts = charts(summary, label)
    headline: tuple[tuple[str, Cell], ...] = (
        (_("Responses"), summary.responses.shown), (_("Comments"), summary.comments.shown),
        (_("Children heard"), summary.children.shown))
    tables = {**theme_tables(summary),
              **breakdown_tables(summary, GroupNames(data.names, for_export))}
    impact = impact_rows(data.figures, data.settings.alert_hours, data.settings.drift_days)
    quoted = tuple((str(THEME_LABELS[theme]), texts) for theme, texts in data.quotes)
    left_out = empty_breakdowns(summary)
    return Report(
        period=data.period, label=label, produced=format_date(now.date(), "MMMM yyyy"),
        headline=headline, tables=tables, theme_chart=theme_chart, trend_charts=trend_charts,
        impact=impact, quotes=quoted, definitions=definitions(summary), method=method(summary),
        summary=summary, key=key_messages(summary, tables, impact, quoted),
        left_out=left_out, left_out_text=left_out_sentence(left_out))


def settings() -> Settings:
    """This installation's settings that change the board's figures."""
    config = current_app.config
    return Settings(threshold=int(config["SUPPRESSION_THRESHOLD"]),
                    alert_hours=int(config["ALERT_ESCALATION_HOURS"]),
                    drift_days=int(config["DRIFT_DAYS"]))


def _max_age() -> float:
    """``BOARD_CACHE_SECONDS`` from the configuration (0 turns the caches off)."""
    return float(current_app.config.get("BOARD_CACHE_SECONDS", MAX_AGE))


def month_cache() -> MonthCache:
    """Return this app's month cache (one per process, in the app's cache registry)."""
    return caches().kept("board.months", lambda: MonthCache(_max_age()))


#: How many finished periods' counts, and finished years' sets, each process keeps.
MAX_RESULTS, MAX_YEARS = 64, 8


def result_cache() -> Kept:
    """Return this app's cache of finished periods' counts (one per process)."""
    return caches().bounded("board.results", MAX_RESULTS, max_age=_max_age())


def year_cache() -> Kept:
    """Return this app's cache of finished years' published sets (one per process)."""
    return caches().bounded("board.years", MAX_YEARS, max_age=_max_age())


def report_for(period: Period, for_export: bool = False) -> Report:
    """Build the report for a period with this installation's settings and caches.

    A finished period's counts are reused for ``BOARD_CACHE_SECONDS``.
    """
    now = utcnow()
    data = board_report.report_data(db.session, period, settings(), now=now,
                                    language=current_language().tag,
                                    months=month_cache(), results=result_cache(),
                                    years=year_cache())
    return build_report(data, now=now, for_export=for_export)
