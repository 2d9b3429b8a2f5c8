"""A participation session's alerts, for the people who own them."""

from __future__ import annotations

from flask import g, render_template
from flask_login import current_user

from feedback.extensions import db
from feedback.models import utcnow
from feedback.services import access, alerts
from feedback.web.staff import bp


@bp.get("/sessions/<int:session_id>")
def view_session(session_id: int) -> str:
    """Show a session's open alerts, urgent first, to its lead, their team and the duty team."""
    event = access.session_for(db.session, current_user, session_id)
    waiting = alerts.session_open_alerts(db.session, event)
    alerts.record_listed(db.session, current_user, waiting, g.request_id)
    db.session.commit()
    return render_template("staff/view_session.html", event=event, open_alerts=waiting,
                           now=utcnow())
