"""Administrators' sign-in security for an account: its sessions and its second factor."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.models import StaffUser
from feedback.services import second_factor, staff_sessions
from feedback.web.admin import bp


def _account(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/staff/<int:user_id>/security")
def view_security(user_id: int) -> str:
    """Show where an account is signed in and whether it has a second factor."""
    user = _account(user_id)
    config = current_app.config
    rows = staff_sessions.active(db.session, user, idle=config["PERMANENT_SESSION_LIFETIME"],
                                 absolute=config["SESSION_ABSOLUTE_LIFETIME"])
    return render_template("admin/view_security.html", user=user, sessions=rows,
                           has_app=second_factor.has_totp(user),
                           recovery_left=second_factor.recovery_codes_left(db.session, user))


@bp.post("/staff/<int:user_id>/sessions/end")
def end_sessions(user_id: int) -> Response:
    """End every session of the account: each of its browsers is signed out at once."""
    user = _account(user_id)
    staff_sessions.end_all(db.session, user, reason="ended-by-admin", by=current_user,
                           request_id=g.request_id)
    db.session.commit()
    flash(_("Every session of %(name)s has ended.", name=user.name))
    return redirect(url_for("admin.view_security", user_id=user.id))


@bp.post("/staff/<int:user_id>/second-factor/reset")
def reset_second_factor(user_id: int) -> Response:
    """Remove the account's app, recovery codes and passkeys; end its sessions.

    The person sets up a new app at their next sign-in.
    """
    user = _account(user_id)
    second_factor.reset(db.session, user, by=current_user, request_id=g.request_id)
    staff_sessions.end_all(db.session, user, reason="second-factor-reset", by=current_user,
                           request_id=g.request_id)
    db.session.commit()
    flash(_("%(name)s will set up a new authenticator app when they next sign in.",
            name=user.name))
    return redirect(url_for("admin.view_security", user_id=user.id))
