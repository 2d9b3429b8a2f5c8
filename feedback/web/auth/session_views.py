"""A member of staff's own sessions: where they are signed in, and ending them."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.services import second_factor, staff_sessions
from feedback.web.auth import bp


@bp.get("/account/sessions")
def list_sessions() -> str:
    """List where the person is signed in: device, address, when, and how."""
    config = current_app.config
    rows = staff_sessions.active(db.session, current_user,
                                 idle=config["PERMANENT_SESSION_LIFETIME"],
                                 absolute=config["SESSION_ABSOLUTE_LIFETIME"])
    return render_template(
        "auth/list_sessions.html", sessions=rows, this_session=session.get("staff_session_id"),
        has_app=second_factor.has_totp(current_user),
        recovery_left=second_factor.recovery_codes_left(db.session, current_user))


@bp.post("/account/sessions/<int:session_id>/end")
def end_session(session_id: int) -> Response:
    """End one of the person's other sessions (that browser is signed out at once)."""
    if session_id == session.get("staff_session_id"):
        abort(404)  # this one ends with "Sign out"
    try:
        staff_sessions.end(db.session, current_user, session_id, reason="ended-by-owner",
                           request_id=g.request_id)
    except staff_sessions.SessionNotFoundError:
        abort(404)
    db.session.commit()
    flash(ngettext("%(num)d session ended.", "%(num)d sessions ended.", 1))
    return redirect(url_for("auth.list_sessions"))


@bp.post("/account/sessions/end-others")
def end_other_sessions() -> Response:
    """Sign out everywhere else."""
    count = staff_sessions.end_all(db.session, current_user, reason="ended-by-owner",
                                   by=current_user, keep=session.get("staff_session_id"),
                                   request_id=g.request_id)
    db.session.commit()
    flash(ngettext("%(num)d session ended.", "%(num)d sessions ended.", count))
    return redirect(url_for("auth.list_sessions"))
