"""The bearer token a request carries: checked before every API view, audited after."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import abort, current_app, g, request
from flask_limiter.util import get_remote_address

from feedback.extensions import db
from feedback.models import ApiToken, utcnow
from feedback.services import api_tokens

#: Requests a token may make (``API_RATE_LIMIT`` in the app's config overrides it).
DEFAULT_TOKEN_LIMIT = "120 per minute"
#: Requests from one address, whatever token they carry (or none).
ADDRESS_LIMIT = "600 per minute"


def presented() -> str | None:
    """The token in ``Authorization: Bearer …``; never one in the query string."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def rate_key() -> str:
    """Count a token's requests under a hash of it, not the token itself."""
    token = presented()
    if token is None:
        return "api-address:" + get_remote_address()
    return "api-token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def token_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_TOKEN_LIMIT))


def require_token() -> None:
    """Let a request through only with a live token (401 otherwise)."""
    token = presented()
    if token is None:
        abort(401)
    try:
        g.api_token = api_tokens.authenticate(db.session, token, utcnow())
    except api_tokens.TokenError as error:
        if error.reason != "unknown":  # a revoked or expired token still in use: audit it
            api_tokens.record_refusal(db.session, error, endpoint=request.endpoint or "",
                                      request_id=g.get("request_id"))
            db.session.commit()
        abort(401)


def current_token() -> ApiToken:
    token: ApiToken = g.api_token
    return token


def pod_ids() -> list[int]:
    return api_tokens.pod_ids(current_token())


def note_use(object_type: str, object_id: object = None, **detail: Any) -> None:
    """Audit the read this request made and note the token's last use (not committed)."""
    api_tokens.record_use(db.session, current_token(), endpoint=request.endpoint or "",
                          object_type=object_type, object_id=object_id, detail=detail,
                          request_id=g.get("request_id"))
