"""The board's themed summary and its exports (sessions and quotes have their own modules)."""

from __future__ import annotations

from flask import Response, abort, g, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from feedback.web.board import bp
from feedback.web.board.exporting import MIMETYPES, export_chunks, filename
from feedback.web.board.forms import PeriodForm
from feedback.web.board.report import report_for
from feedback.web.board.tables import period_label
from feedback.extensions import db
from feedback.models import today, utcnow
from feedback.services import audit
from feedback.services.reports import Period, PeriodError, default_period, recent_periods

__all__ = ["bp"]


def _period_form() -> PeriodForm:
    """Offer recent periods, and any earlier one asked for by its address."""
    form = PeriodForm(request.args)
    offered = recent_periods(today())
    try:
        asked = Period.parse(request.args.get("period", ""))
    except PeriodError:
        asked = None
    if asked is not None and asked.start <= today() and asked not in offered[asked.kind]:
        offered[asked.kind].append(asked)
    headings = {"quarter": _("Quarters"), "month": _("Months"), "year": _("Years")}
    form.period.choices = [SelectChoice(p.code, period_label(p), optgroup=headings[kind])
                           for kind in ("quarter", "month", "year") for p in offered[kind]]
    return form


@bp.get("/")
def index() -> tuple[str, int]:
    """Show the themed summary for a period: counts, trends, charts and impact figures."""
    form = _period_form()
    period, status = default_period(today()), 200
    if "period" in request.args:
        if form.validate():
            period = Period.parse(form.period.data or "")
        else:
            form.period.errors = [_("Choose a month, quarter or year from the list")]
            status = 400
    # Checked with or without a period: an unknown breakdown names no table.
    breakdown = form.breakdown.data or ""
    if not form.breakdown.validate(form):
        form.breakdown.errors = [_("Choose a breakdown from the list")]
        breakdown, status = "", 400
    form.period.data = period.code
    report = report_for(period)
    return render_template("board/index.html", form=form, report=report,
                           breakdown=breakdown), status


@bp.get("/export")
def export_summary() -> Response:
    """Download the summary for a period as CSV, XLSX or PDF."""
    fmt = request.args.get("format", "")
    try:
        period = Period.parse(request.args.get("period", ""))
    except PeriodError:
        abort(404)
    if fmt not in MIMETYPES or period.start > today():
        abort(404)
    report = report_for(period, for_export=True)
    audit.record(db.session, "board.export", actor=current_user, request_id=g.request_id,
                 detail={"period": period.code, "format": fmt})
    db.session.commit()
    body = stream_with_context(export_chunks(report, fmt, utcnow()))
    return Response(body, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename(report, fmt)}"'})
