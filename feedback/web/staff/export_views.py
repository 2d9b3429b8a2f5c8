"""Export the child's views for the council's case record, and note when it is filed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import Response, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WebResponse

from feedback.exports.pdf import html_to_pdf
from feedback.extensions import db
from feedback.models import today
from feedback.services import access, case_records
from feedback.web.staff import forms, wording
from feedback.web.staff import bp


@bp.route("/cases/<reference>/export", methods=["GET", "POST"])
def export_case(reference: str) -> str | WebResponse:
    """Make a PDF or JSON of the child's views for a date range."""
    case = access.case_for(db.session, current_user, reference)
    form = forms.ExportForm(data={"from_date": today() - timedelta(days=90),
                                  "to_date": today(), "format": "pdf"})
    if form.validate_on_submit():
        if form.to_date.data < form.from_date.data:
            form.to_date.errors.append(_("The end date must be the same as or after the "
                                         "start date"))
        else:
            record = case_records.build_record(db.session, case, form.from_date.data,
                                               form.to_date.data, current_user,
                                               wording.record_words())
            export = case_records.record_export(db.session, case, form.from_date.data,
                                                form.to_date.data, form.format.data,
                                                current_user)
            db.session.commit()
            return _download(record, export.format, f"{case.reference}-views-{export.id}")
    return render_template("staff/export_case.html", case=case, form=form,
                           exports=case_records.exports_of(db.session, case))


def _download(record: dict[str, Any], fmt: str, name: str) -> Response:
    if fmt == "json":
        body = json.dumps(record, ensure_ascii=False, indent=2).encode()
        mimetype = "application/json"
    else:
        body = html_to_pdf(render_template("exports/case_record.html", record=record,
                                           request_id=g.request_id))
        mimetype = "application/pdf"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.post("/exports/<int:export_id>/filed")
def mark_export_filed(export_id: int) -> WebResponse:
    """Record that an export is now in the council's case record."""
    export = access.export_for(db.session, current_user, export_id)
    if forms.ReadForm().validate_on_submit():
        case_records.mark_filed(db.session, export, current_user)
        db.session.commit()
    return redirect(url_for("staff.export_case", reference=export.case.reference))
