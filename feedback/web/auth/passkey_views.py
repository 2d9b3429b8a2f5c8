"""Passkeys: adding one to an account, and giving one as the second factor."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from flask import abort, g, jsonify, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.models import Outcome
from feedback.services import audit, passkeys, sign_in_guard
from feedback.web.auth import bp
from feedback.web.auth.signing_in import client_address, finish, pending_user
from feedback.web.security import public


def _relying_party() -> tuple[str, str]:
    """This site's domain (the passkey's scope) and origin, as the proxy reports them."""
    return urlsplit(request.host_url).hostname or "", f"{request.scheme}://{request.host}"


def _credential() -> str:
    body: Any = request.get_json(silent=True) or {}
    credential = body.get("credential")
    if not isinstance(credential, dict):
        abort(400)
    return json.dumps(credential)


@bp.get("/account/passkeys/new")
def add_passkey() -> str:
    """Offer to add a passkey to the signed-in person's account."""
    return render_template("auth/add_passkey.html",
                           passkeys=passkeys.of(db.session, current_user))


@bp.post("/account/passkeys/options")
def passkey_registration_options() -> Response:
    """Start adding a passkey: the browser's ``navigator.credentials.create`` options."""
    options, challenge = passkeys.registration_options(db.session, current_user,
                                                       _relying_party()[0])
    session["passkey_challenge"] = challenge.hex()
    return Response(options, mimetype="application/json")


@bp.post("/account/passkeys")
def save_passkey() -> Response:
    """Finish adding a passkey: check the device's answer and keep the key."""
    challenge = bytes.fromhex(session.pop("passkey_challenge", "") or "")
    rp_id, origin = _relying_party()
    body: Any = request.get_json(silent=True) or {}
    try:
        passkeys.register(db.session, current_user, _credential(), challenge=challenge,
                          rp_id=rp_id, origin=origin, name=str(body.get("name") or ""))
    except passkeys.PasskeyError:
        return jsonify(error="refused"), 400  # type: ignore[return-value]
    db.session.commit()
    return jsonify(redirect=url_for("auth.list_sessions"))


@bp.get("/sign-in/passkey")
@public
def sign_in_with_passkey() -> str | Response:
    """Offer the passkey as the second factor."""
    user = pending_user()
    if user is None or not passkeys.has_passkey(db.session, user):
        abort(404)
    return render_template("auth/sign_in_with_passkey.html")


@bp.post("/sign-in/passkey/options")
@public
def passkey_sign_in_options() -> Response:
    """The browser's ``navigator.credentials.get`` options for the pending person's keys."""
    user = pending_user()
    if user is None:
        abort(404)
    options, challenge = passkeys.authentication_options(db.session, user, _relying_party()[0])
    session["passkey_challenge"] = challenge.hex()
    return Response(options, mimetype="application/json")


@bp.post("/sign-in/passkey")
@public
def check_passkey() -> Response | tuple[Response, int]:
    """Check the passkey's answer; sign the person in."""
    user = pending_user()
    if user is None:
        abort(404)
    attempt = sign_in_guard.Attempt("code", user.email, client_address())
    try:
        sign_in_guard.admit(db.session, attempt)
    except sign_in_guard.SignInThrottledError:
        return jsonify(error="throttled"), 429
    db.session.commit()
    challenge = bytes.fromhex(session.pop("passkey_challenge", "") or "")
    rp_id, origin = _relying_party()
    try:
        passkeys.authenticate(db.session, user, _credential(), challenge=challenge,
                              rp_id=rp_id, origin=origin)
    except passkeys.PasskeyError:
        audit.record(db.session, "auth.second_factor", actor=user, outcome=Outcome.DENIED,
                     detail={"factor": "passkey"}, request_id=g.request_id)
        db.session.commit()
        return jsonify(error="refused"), 400
    sign_in_guard.succeeded(db.session, attempt)
    finish(user, "password+passkey", session.pop("pending")["next"])
    return jsonify(redirect=url_for("auth.home"))
