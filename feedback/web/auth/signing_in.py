"""The steps of signing in that every way in shares (password, code, passkey, council SSO).

A person who has given a password but not yet their second factor is *pending*:
the session holds only who and since when, Flask-Login knows nothing of them, so
every staff page still sends them to sign in (``security.deny_by_default``). Only
``finish`` signs them in: a new session id, a ``StaffSession`` row, an audit event.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from feedback.extensions import db, login
from feedback.models import StaffUser, utcnow
from feedback.services import accounts, passkeys, second_factor, staff_sessions
from feedback.services.sign_in_guard import SignInThrottledError
from feedback.web.redirects import is_safe_next
from feedback.web.security import is_public_endpoint, start_staff_session

#: A pending sign-in must be finished within this many seconds.
PENDING_SECONDS = 10 * 60
#: Blueprints whose pages belong to a signed-in member of staff.
STAFF_BLUEPRINTS = frozenset({"staff", "board", "admin", "auth"})

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"),
            ("Linux", "Linux"))


def client_address() -> str:
    """The address the request came from, as the proxy reports it (ProxyFix)."""
    return request.remote_addr or "unknown"


def describe_device(user_agent: str) -> str:
    """Say which browser on which system, in a few words, from a User-Agent header."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    system = next((name for token, name in _SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or re.sub(r"[^\w ./-]", "", user_agent)[:40] or "Unknown"


def secret_box() -> second_factor.SecretBox:
    """The key TOTP secrets are sealed with, derived once per app from SECRET_KEY."""
    box = current_app.extensions.get("totp_box")
    if box is None:
        box = second_factor.SecretBox.from_secret_key(current_app.config["SECRET_KEY"])
        current_app.extensions["totp_box"] = box
    return box


def second_factor_required() -> bool:
    """Every password account needs a second factor in production (SECOND_FACTOR_REQUIRED)."""
    return bool(current_app.config["SECOND_FACTOR_REQUIRED"])


def throttled(error: SignInThrottledError) -> tuple[str, int]:
    """The page for a try that was not checked: locked here, or asked to wait."""
    current_app.logger.warning("sign-in try refused: %s (request %s)", error.rule.name,
                               g.get("request_id"))
    minutes = max(1, round(error.wait_seconds / 60))
    return render_template("auth/throttled.html", error=error, minutes=minutes), 429


def begin_pending(user: StaffUser, first: str, next_path: str | None) -> Response:
    """Remember that ``user`` gave their first factor; send them to the second."""
    has_factor = second_factor.has_totp(user) or passkeys.has_passkey(db.session, user)
    step = "code" if has_factor else "enrol"
    session["pending"] = {"user": user.id, "at": utcnow().timestamp(), "first": first,
                          "next": next_path, "step": step}
    return redirect(url_for("auth.enter_code" if step == "code" else "auth.enrol_app"))


def pending_user() -> StaffUser | None:
    """Return the person half way through signing in, if they still may finish."""
    pending = session.get("pending")
    if not pending or utcnow().timestamp() - pending["at"] > PENDING_SECONDS:
        return None
    user = db.session.get(StaffUser, pending["user"])
    return user if user is not None and user.is_active else None


def finish(user: StaffUser, method: str, next_path: str | None = None) -> Response:
    """Sign ``user`` in under a fresh session id; record the session; go on."""
    accounts.signed_in(db.session, user, method, g.request_id)
    row = staff_sessions.start(db.session, user, method=method,
                               device=describe_device(request.user_agent.string),
                               address=client_address(), request_id=g.request_id)
    db.session.commit()  # before the session store's own write, which SQLite serialises
    start_staff_session(user)
    session["staff_session_id"] = row.id
    login_user(user)
    return redirect(safe_next(next_path) or url_for("auth.home"))


def safe_next(target: str | None) -> str | None:
    """Allow only a path on this site as the page to return to (the app's one check)."""
    return target if is_safe_next(target) else None


def check_staff_session() -> Any:
    """Sign out a request whose staff session was ended (by its owner, an admin, a leaver)."""
    if request.blueprint not in STAFF_BLUEPRINTS or "_user_id" not in session:
        return None
    session_id = session.get("staff_session_id")
    state = staff_sessions.check(db.session, session_id, current_user.id) \
        if isinstance(session_id, int) and current_user.is_authenticated else "ended"
    if state == "touched":
        db.session.commit()  # ``last_used_at``, written at most once a minute
    if state != "ended":
        return None
    logout_user()
    session.clear()
    if is_public_endpoint(current_app, request.endpoint):
        return None
    return login.unauthorized()
