"""Staff sign-in with a password, and sign-out."""

from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.models import Role
from feedback.services import accounts, audit, sign_in_guard, staff_sessions
from feedback.web.auth import bp
from feedback.web.auth.forms import SignInForm
from feedback.web.auth.signing_in import (
    begin_pending, client_address, finish, second_factor_required, throttled,
)
from feedback.web.auth.oidc import oidc_enabled
from feedback.web.security import public

HOME_BY_ROLE = {Role.WORKER: "staff.inbox_page", Role.MANAGER: "staff.inbox_page",
                Role.BOARD: "board.index", Role.ADMIN: "admin.index"}


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> str | Response | tuple[str, int]:
    """Sign a member of staff in: council account, or e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    passwords_on = bool(current_app.config["PASSWORD_SIGN_IN"])
    form = SignInForm()
    failed = False
    if passwords_on and form.validate_on_submit():
        email = accounts.normalise_email(form.email.data or "")
        attempt = sign_in_guard.Attempt("password", email, client_address())
        try:
            sign_in_guard.admit(db.session, attempt)
        except sign_in_guard.SignInThrottledError as error:
            return throttled(error)
        db.session.commit()  # the place is taken before the password is checked
        try:
            user = accounts.authenticate(db.session, form.email.data or "",
                                         form.password.data or "", g.request_id)
        except accounts.SignInFailedError:
            failed = True
        else:
            sign_in_guard.succeeded(db.session, attempt)
            if user.totp_secret is not None or second_factor_required():
                db.session.commit()
                return begin_pending(user, "password", request.args.get("next"))
            return finish(user, "password", request.args.get("next"))
        db.session.commit()
    elif request.method == "POST" and not passwords_on:
        abort(404)
    return render_template("auth/sign_in.html", form=form, failed=failed,
                           passwords_on=passwords_on, oidc_on=oidc_enabled())


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    """Sign out, ending the session on the server."""
    if current_user.is_authenticated:
        staff_session = session.get("staff_session_id")
        if isinstance(staff_session, int):
            try:
                staff_sessions.end(db.session, current_user, staff_session, reason="signed-out",
                                   request_id=g.request_id)
            except staff_sessions.SessionNotFoundError:
                pass
        audit.record(db.session, "auth.sign_out", actor=current_user, request_id=g.request_id)
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in", signed_out=1))


@bp.get("/home")
def home() -> Response:
    """Send a signed-in person to the first page for their role."""
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))
