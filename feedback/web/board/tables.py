"""The board's tables and charts in the reader's words: labels, titles, breakdown names.

Numbers come counted and suppressed from ``feedback.services.board_report``;
this module only words them (``feedback.web.board.report`` assembles the Report).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from feedback.exports.charts import bar_chart, line_chart
from feedback.exports.tabular import Cell, Sheet
from feedback.services import reports, summaries
from feedback.services.reports import Period
from feedback.services.summaries import Count, Summary
from feedback.web.labels import SENTIMENT_LABELS, THEME_LABELS


@dataclass(frozen=True)
class Table:
    """A table of counts: the first column labels the rows; the rest are numbers or "c"."""

    key: str
    #: A short name, for the table's spreadsheet tab.
    short: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    total: tuple[str, tuple[Cell, ...]] | None = None
    notes: tuple[str, ...] = ()

    def sheet(self) -> Sheet:
        rows = [[label, *cells] for label, cells in self.rows]
        if self.total is not None:
            rows.append([self.total[0], *self.total[1]])
        rows = [["–" if value is None else value for value in row] for row in rows]
        return Sheet(self.short, self.title, self.headers, rows, self.notes)


def period_label(period: Period) -> str:
    if period.kind == "month":
        return format_date(period.start, "MMMM yyyy")
    if period.kind == "quarter":
        last = period.months()[-1]
        return _("%(first)s to %(last)s", first=format_date(period.start, "MMMM"),
                 last=format_date(date(last[0], last[1], 1), "MMMM yyyy"))
    return _("January to December %(year)s", year=period.year)


def short_label(period: Period) -> str:
    if period.kind == "month":
        return format_date(period.start, "MMM yyyy")
    if period.kind == "quarter":
        return _("Q%(number)s %(year)s", number=period.number, year=period.year)
    return str(period.year)


class GroupNames:
    """Words for the groups of each breakdown; sessions by number and month in exports."""

    def __init__(self, names: reports.Names, for_export: bool) -> None:
        self.names, self.for_export = names, for_export

    def __call__(self, dimension: str, group: Hashable) -> str:
        if group is None:
            return {"pod": _("Participation sessions (anonymous)"), "age_band": _("Not given"),
                    "questionnaire": _("Help messages (no questionnaire)"),
                    "session": _("Children's cases (not a session)")}[dimension]
        if dimension == "pod":
            return self.names.pods.get(int(str(group)), "?")
        if dimension == "age_band":
            return _("Aged %(band)s", band=group)
        if dimension == "questionnaire":
            return self.names.questionnaires.get(int(str(group)), "?")
        title, starts_on = self.names.sessions.get(int(str(group)), ("?", date.min))
        month = format_date(starts_on, "MMMM yyyy")
        if self.for_export:
            return _("Session %(number)s (%(month)s)", number=group, month=month)
        return _("%(title)s (%(month)s)", title=title, month=month)


def dimension_titles(dimension: str) -> tuple[str, str, str, str, str]:
    """Return the group heading, then the one-way table's tab and title, then the cross-tab's."""
    return {
        "pod": (_("Pod"), _("By pod"), _("Responses by pod"), _("Themes by pod"),
                _("Responses by theme and pod")),
        "age_band": (_("Age band"), _("By age band"), _("Responses by age band"),
                     _("Themes by age band"), _("Responses by theme and age band")),
        "questionnaire": (_("Questionnaire"), _("By questionnaire"),
                          _("Responses by questionnaire"), _("Themes by questionnaire"),
                          _("Responses by theme and questionnaire")),
        "session": (_("Participation session"), _("By session"),
                    _("Responses by participation session"), _("Themes by session"),
                    _("Responses by theme and participation session")),
    }[dimension]


def theme_tables(summary: Summary) -> dict[str, Table]:
    previous = short_label(summary.period.previous())
    themes = Table("themes", _("Themes"), _("Responses and children by theme"),
                   (_("Theme"), _("Responses"), _("Children"),
                    _("Responses in %(period)s", period=previous), _("Change")),
                   tuple((str(THEME_LABELS[r.theme]), (r.responses.shown, r.children.shown,
                                                       r.previous.shown, _change(r)))
                         for r in summary.themes))
    sentiment_headers = tuple(str(SENTIMENT_LABELS[s]) if s else _("Not analysed")
                              for s in summaries.SENTIMENTS)
    sentiment = Table("sentiment", _("Feelings"), _("Comments by theme and feeling"),
                      (_("Theme"), *sentiment_headers, _("All comments")),
                      tuple((str(THEME_LABELS[r.theme]),
                             (*_cells(r.sentiment, summaries.SENTIMENTS), r.comments.shown))
                            for r in summary.themes),
                      notes=(_crosstab_note(summary),))
    trend = Table("trend", _("Trend"), _("Responses by theme over time"),
                  (_("Theme"), *(short_label(p) for p in summary.trend_periods)),
                  tuple((str(THEME_LABELS[r.theme]), tuple(c.shown for c in r.trend))
                        for r in summary.themes))
    return {"themes": themes, "sentiment": sentiment, "trend": trend}


def _cells(cells: Mapping[Hashable, Count] | None, keys: Sequence[Hashable]
           ) -> tuple[Cell, ...]:
    """Return a cross-tabulated row's cells; blanks when the row is not broken down."""
    if cells is None:
        return tuple(None for _key in keys)
    return tuple(cells[key].shown for key in keys)


def _crosstab_note(summary: Summary) -> str:
    return _("Two breakdowns at once: counts below %(crosstab)s are shown as c, and a theme "
             "with fewer than %(crosstab)s is not broken down (–).",
             crosstab=summary.crosstab_threshold)


def _change(row: summaries.ThemeRow) -> Cell:
    change = row.change
    return "c" if change is None else change


def breakdown_tables(summary: Summary, group_name: GroupNames) -> dict[str, Table]:
    tables = {}
    for dim, breakdown in summary.breakdowns.items():
        heading, tab, title, crosstab_tab, crosstab_title = dimension_titles(dim)
        has_children = breakdown.children is not None
        rows = []
        withdrawn = breakdown.responses is None
        for group in breakdown.groups:
            # A withdrawn breakdown shows "–" in every row: see the note below the table.
            cells: tuple[Cell, ...] = (
                None if breakdown.responses is None else breakdown.responses[group].shown,)
            if breakdown.children is not None:
                child = breakdown.children.get(group)
                cells += (child.shown if child is not None else None,)
            rows.append((group_name(dim, group), cells))
        total: tuple[Cell, ...] = (summary.responses.shown,)
        if has_children:
            total += (summary.children.shown,)
        headers = (heading, _("Responses"), *((_("Children"),) if has_children else ()))
        notes = (_("–: anonymous session responses have no children to count."),) \
            if has_children else ()
        if withdrawn:
            notes += (_("–: not broken down this period, so that no small number can be "
                        "worked out from the other tables."),)
        tables[f"by_{dim}"] = Table(f"by_{dim}", tab, title, headers, tuple(rows),
                                    (_("All responses"), total), notes)
        tables[f"themes_by_{dim}"] = Table(
            f"themes_by_{dim}", crosstab_tab, crosstab_title,
            (_("Theme"), *(group_name(dim, g) for g in breakdown.themed_groups),
             _("All responses")),
            tuple((str(THEME_LABELS[r.theme]),
                   (*_cells(breakdown.by_theme[r.theme], breakdown.themed_groups),
                    r.responses.shown)) for r in summary.themes),
            notes=(_crosstab_note(summary),))
    return tables


def charts(summary: Summary, label: str) -> tuple[Markup, tuple[tuple[str, Markup], ...]]:
    bars = [(str(THEME_LABELS[r.theme]), r.responses.shown) for r in summary.themes]
    values = "; ".join(f"{name}: {value}" for name, value in bars)
    theme_chart = bar_chart("chart-themes", _("Responses by theme, %(period)s", period=label),
                            _("Bar chart. %(values)s. The same numbers are in the table "
                              "that follows.", values=values), bars)
    labels = [short_label(p) for p in summary.trend_periods]
    trends = []
    for row in summary.themes:
        name = str(THEME_LABELS[row.theme])
        points = [c.shown for c in row.trend]
        description = _("Line chart of responses per period from %(first)s to %(last)s: "
                        "%(values)s.", first=labels[0], last=labels[-1],
                        values=", ".join(str(p) for p in points))
        trends.append((name, line_chart(f"chart-trend-{row.theme}", name, description,
                                        labels, points)))
    return theme_chart, tuple(trends)
