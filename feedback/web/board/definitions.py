"""The words beside the board's figures: what each one means, and how small numbers are hidden.

The same words are on the page, in the PDF and in the spreadsheets' definitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _

from feedback.exports.tabular import Cell
from feedback.services import impact
from feedback.services.summaries import Summary


@dataclass(frozen=True)
class ImpactRow:
    code: str
    title: str
    met: Cell
    total: Cell
    share: str | None
    definition: str
    #: The share as a number (0.92), for spreadsheets; None when not shown.
    fraction: float | None = None


def impact_rows(figures: Sequence[impact.Figure], alert_hours: int,
                drift_days: int) -> tuple[ImpactRow, ...]:
    words = {
        "read_in_time": (_("Comments read within 2 working days"), _(
            "Comments from children's cases, sent in the period, that a member of staff read "
            "by the end of the second working day after the day they were sent (working days: "
            "Monday to Friday, 09:00 to 17:00, bank holidays in England excepted). Comments "
            "whose deadline has not passed yet are left out.")),
        "linked": (_("Comments linked to a plan action"), _(
            "Comments from children's cases, sent in the period, that a worker linked to at "
            "least one action in the child's plan.")),
        "actions_done": (_("Plan actions completed"), _(
            "Actions in children's plans linked to comments sent in the period, that are "
            "completed now (an action's status has no history, so this is as it stands "
            "today). An action linked to several comments counts once.")),
        "replied": (_("Comments with a reply shared with the child"), _(
            "Comments from children's cases, sent in the period, with a \u201cyou said, we "
            "did\u201d reply shared with the child, on the comment itself or on a plan action "
            "linked to it.")),
        "alerts_in_time": (_("Alerts acknowledged within the target time"), _(
            "Alerts raised in the period, from cases and sessions, that a named person "
            "acknowledged within %(hours)s working hours. Alerts still inside their target "
            "time and not yet acknowledged are left out.", hours=alert_hours)),
        "heard_recently": (_("Open cases where the child was heard in the last 6 months"), _(
            "Cases open at the end of the period (or now, for a period still running) with "
            "at least one response from the child in the 6 months before. A case counts as "
            "open from when it was created here or when the child first responded, "
            "whichever came first.")),
        "drift": (_("Cases in drift"), _(
            "Cases open at the end of the period (or now, for a period still running) with no "
            "response from the child in the %(days)s days before, including children never "
            "heard.", days=drift_days)),
    }
    rows = []
    for figure in figures:
        title, definition = words[figure.code]
        share = figure.share
        shown_share = format_percent(share, "#,##0%") if share is not None else (
            "c" if figure.total is not None and figure.total.value else None)
        rows.append(ImpactRow(figure.code, title, figure.met.shown,
                              figure.total.shown if figure.total is not None else None,
                              shown_share, definition, share))
    return tuple(rows)


def definitions(summary: Summary) -> tuple[tuple[str, str], ...]:
    return (
        (_("Response"), _("One questionnaire sent by a child, from a case or at a "
                          "participation session, in the period (by the day it was sent).")),
        (_("Responses by theme"), _(
            "Responses with at least one comment carrying the theme, whether the analyser "
            "suggested it or a worker confirmed it. Themes a worker removed are not counted. "
            "A response counts once per theme, and may count under several themes.")),
        (_("Children"), _(
            "Distinct children's cases among those responses. Responses at participation "
            "sessions are anonymous: they count as responses, never as children.")),
        (_("Change"), _("Responses in this period minus responses in the one before; c when "
                        "either is suppressed.")),
        (_("Feeling"), _("The overall feeling of each comment, as the analyser read it; "
                         "\u201cnot analysed\u201d when it could not.")),
        (_("Pod"), _("The team that holds the child's case now.")),
    )


def method(summary: Summary) -> tuple[str, ...]:
    return (
        _("Counts come from the service's database, grouped by the database itself. Periods "
          "are fixed calendar months, quarters and years."),
        _("Counts from 1 to %(below)s are shown as c. A true zero is shown as 0. Tables of "
          "two breakdowns at once (theme and pod, age band, questionnaire, session or "
          "feeling) show counts below %(crosstab)s as c.",
          below=summary.threshold - 1, crosstab=summary.crosstab_threshold),
        _("Every month, quarter and the year of a calendar year, with all their tables, "
          "are protected together as one publication: where the shown figures, added and "
          "subtracted across tables and periods, would narrow a hidden count to within one "
          "of its value, more figures are hidden too (complementary suppression, checked by "
          "a linear-programming audit, as in the GSS guidance and tau-ARGUS), or a theme's "
          "breakdown for that period is left out. A percentage is hidden with its counts."),
        _("Quotes are excerpts of children's words, redacted automatically and approved by "
          "a second person, and appear only for themes whose count is shown."),
    )
