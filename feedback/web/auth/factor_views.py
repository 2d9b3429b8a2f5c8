"""The second step of signing in with a password: a code from the app, or enrolling one."""

from __future__ import annotations

import segno
from flask import g, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.models import Outcome, StaffUser
from feedback.services import audit, passkeys, second_factor, sign_in_guard
from feedback.web.auth import bp
from feedback.web.auth.forms import CodeForm, EnrolForm
from feedback.web.auth.signing_in import (
    client_address, finish, pending_user, secret_box, throttled,
)
from feedback.web.security import public


def _start_again() -> Response:
    session.pop("pending", None)
    return redirect(url_for("auth.sign_in"))


def _check(user: StaffUser, code: str) -> str:
    """Check an app code or a recovery code; return the method it proves."""
    digits = "".join(ch for ch in code if ch.isalnum())
    if digits.isdigit() and len(digits) == 6:
        second_factor.check_totp(db.session, secret_box(), user, digits)
        return "password+totp"
    second_factor.use_recovery_code(db.session, user, code)
    return "password+recovery"


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
def enter_code() -> str | Response | tuple[str, int]:
    """Ask for the code from the person's authenticator app (or a recovery code)."""
    user = pending_user()
    if user is None or session["pending"]["step"] != "code":
        return _start_again()
    form, failed = CodeForm(), False
    if form.validate_on_submit():
        attempt = sign_in_guard.Attempt("code", user.email, client_address())
        try:
            sign_in_guard.admit(db.session, attempt)
        except sign_in_guard.SignInThrottledError as error:
            return throttled(error)
        db.session.commit()  # the place is taken before the code is checked
        try:
            method = _check(user, form.code.data or "")
        except second_factor.SecondFactorError:
            failed = True
            audit.record(db.session, "auth.second_factor", actor=user,
                         outcome=Outcome.DENIED, request_id=g.request_id)
            db.session.commit()
        else:
            sign_in_guard.succeeded(db.session, attempt)
            return finish(user, method, session.pop("pending")["next"])
    return render_template("auth/enter_code.html", form=form, failed=failed,
                           has_app=second_factor.has_totp(user),
                           has_passkey=passkeys.has_passkey(db.session, user))


@bp.route("/sign-in/app", methods=["GET", "POST"])
@public
def enrol_app() -> str | Response | tuple[str, int]:
    """Set up an authenticator app: show its QR code, check a first code from it."""
    user = pending_user()
    if user is None or session["pending"]["step"] != "enrol":
        return _start_again()
    box = secret_box()
    if "totp_secret" not in session["pending"]:
        session["pending"] = {**session["pending"], "totp_secret": box.seal(
            second_factor.new_secret())}
    secret = box.open(session["pending"]["totp_secret"])
    form, failed = EnrolForm(), False
    if form.validate_on_submit():
        try:
            codes = second_factor.enrol(db.session, box, user, secret, form.code.data or "")
        except second_factor.SecondFactorError:
            failed = True
        else:
            finish(user, "password+totp")
            return render_template("auth/recovery_codes.html", codes=codes)
    qr_code = segno.make(second_factor.provisioning_uri(secret, user.email), error="m")
    return render_template("auth/enrol_app.html", form=form, failed=failed, secret=secret,
                           qr_code=qr_code.svg_data_uri(scale=5, dark="#0b0c0c"))
