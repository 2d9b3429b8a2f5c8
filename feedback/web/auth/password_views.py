"""A member of staff changes their own password."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.services import own_password, sign_in_guard
from feedback.services.passwords import WeakPasswordError
from feedback.web.auth import bp
from feedback.web.auth.password_forms import ChangePasswordForm, weak_password_message
from feedback.web.auth.signing_in import client_address, throttled


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> str | Response | tuple[str, int]:
    """Change the password: the current one first; every other session then ends."""
    if current_user.oidc_subject is not None:
        abort(404)  # signs in with the council account: no password here
    form = ChangePasswordForm()
    if form.validate_on_submit():
        # Guessing the current password counts like guessing it at sign-in.
        attempt = sign_in_guard.Attempt("password", current_user.email, client_address())
        try:
            sign_in_guard.admit(db.session, attempt)
        except sign_in_guard.SignInThrottledError as error:
            return throttled(error)
        db.session.commit()
        new = form.password.data or ""
        try:
            ended = own_password.change_password(
                db.session, current_user, current=form.current.data or "", new=new,
                keep_session_id=session.get("staff_session_id"), request_id=g.request_id)
        except own_password.PasswordChangeError:
            form.current.errors = [_("Your current password is not right")]
        except WeakPasswordError:
            db.session.rollback()
            form.password.errors = [weak_password_message(new)]
        else:
            sign_in_guard.succeeded(db.session, attempt)
            db.session.commit()
            flash(ngettext("Your password is changed. %(num)d other session was signed out.",
                           "Your password is changed. %(num)d other sessions were signed out.",
                           ended))
            return redirect(url_for("auth.list_sessions"))
        db.session.commit()  # the refused try is counted and audited
    return render_template("auth/change_password.html", form=form)
