"""Staff sign-in and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from feedback.web.auth import bp
from feedback.web.auth.forms import SignInForm
from feedback.extensions import db, limiter
from feedback.models import Role
from feedback.web.security import public, start_staff_session
from feedback.services import accounts, audit


HOME_BY_ROLE = {Role.WORKER: "staff.inbox_page", Role.MANAGER: "staff.inbox_page",
                Role.BOARD: "board.index", Role.ADMIN: "admin.index"}


def _account_key() -> str:
    return "sign-in:" + accounts.normalise_email(request.form.get("email", ""))


def _failed(_response: Response) -> bool:
    return bool(g.get("sign_in_failed"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit("5 per 15 minutes", key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit("30 per 15 minutes", methods=["POST"], deduct_when=_failed)
def sign_in() -> str | Response:
    """Sign a member of staff in."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(db.session, form.email.data or "",
                                         form.password.data or "", g.request_id)
        except accounts.SignInFailedError:
            g.sign_in_failed = failed = True
        else:
            db.session.commit()  # before the session store's own write, which SQLite serialises
            start_staff_session(user)
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
        db.session.commit()
    return render_template("auth/sign_in.html", form=form, failed=failed)


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    """Sign out, ending the session on the server."""
    if current_user.is_authenticated:
        audit.record(db.session, "auth.sign_out", actor=current_user, request_id=g.request_id)
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in", signed_out=1))


@bp.get("/home")
def home() -> Response:
    """Send a signed-in person to the first page for their role."""
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


def _safe_next(target: str | None) -> str | None:
    """Allow only a path on this site as the page to return to."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
