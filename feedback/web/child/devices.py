"""A random, long-lived cookie that tells one browser from another in a session's count.

It is not a fingerprint: nothing is read from the device, only a random value
this service gave it. It is never stored with a response; a participation
session keeps only an HMAC of it with the session's id (``session_devices``),
so the same tablet cannot be followed from one session to the next.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask, current_app, g, request
from werkzeug.wrappers import Response as WebResponse

from feedback.services.participation import device_hash

LIFETIME = timedelta(days=365)
_ID_LENGTH = 32  # secrets.token_urlsafe(24)


def cookie_name(app: Flask) -> str:
    """``__Host-device`` where cookies are Secure (production), else ``device``."""
    return "__Host-device" if app.config["SESSION_COOKIE_SECURE"] else "device"


def device_id() -> str:
    """Return this browser's device id, making one (set on the response) if it has none."""
    if "device_id" not in g:
        sent = request.cookies.get(cookie_name(current_app), "")
        if len(sent) == _ID_LENGTH and sent.replace("-", "").replace("_", "").isalnum():
            g.device_id = sent
        else:
            g.device_id = secrets.token_urlsafe(24)
            g.new_device = True
    return str(g.device_id)


def known_as(session_id: int) -> str:
    """Return how a participation session's count knows this browser: a keyed hash."""
    return device_hash(current_app.config["SECRET_KEY"], session_id, device_id())


def give_cookie(response: WebResponse) -> WebResponse:
    """Set the device cookie on a browser that has none (every child page's response)."""
    device_id()
    if g.get("new_device"):
        secure = current_app.config["SESSION_COOKIE_SECURE"]
        response.set_cookie(cookie_name(current_app), g.device_id,
                            max_age=int(LIFETIME.total_seconds()), path="/", secure=secure,
                            httponly=True, samesite="Lax")
    return response
