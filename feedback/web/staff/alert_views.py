"""Alert pages: read the comment in context, record the action taken."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WebResponse

from feedback.extensions import db
from feedback.services import access, alerts, audit
from feedback.web.staff import forms
from feedback.web.staff import bp


@bp.route("/alerts/<int:alert_id>", methods=["GET", "POST"])
def view_alert(alert_id: int) -> str | WebResponse:
    """Show an alert with the child's words in context; acknowledge it with the action taken."""
    alert = access.alert_for(db.session, current_user, alert_id)
    form = forms.AcknowledgeForm()
    if form.validate_on_submit():
        try:
            alerts.acknowledge(db.session, alert, current_user, form.action.data or "",
                               form.note.data or "")
        except alerts.AlertStateError:
            abort(409)
        db.session.commit()
        return redirect(url_for("staff.view_alert", alert_id=alert.id))
    audit.record(db.session, "alert.view", actor=current_user, object_type="alert",
                 object_id=alert.id, request_id=g.request_id)
    db.session.commit()
    response = alert.comment.response if alert.comment else None
    return render_template("staff/view_alert.html", alert=alert, response=response, form=form)
