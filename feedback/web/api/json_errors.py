"""Errors as JSON, never the HTML error pages: ``{"error": {"status", "code", "message"}}``."""

from __future__ import annotations

import traceback

from flask import Response, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from feedback.extensions import db
from feedback.models import Outcome
from feedback.services import audit
from feedback.services.api_tokens import ACTOR_KIND
from feedback.services.errors import OutOfScopeError

#: A short code a program can test, and words a person can read.
ERRORS = {
    400: ("bad_request", _l("The request's parameters are not valid.")),
    401: ("unauthorized", _l("Send a valid API token: Authorization: Bearer <token>.")),
    403: ("forbidden", _l("This token cannot do that.")),
    404: ("not_found", _l("There is nothing at this address for this token.")),
    405: ("method_not_allowed", _l("The API only reads: use GET.")),
    429: ("too_many_requests", _l("Too many requests: wait a minute, then try again.")),
    500: ("server_error", _l("Something went wrong on our side. Try again later.")),
}


def error_response(status: int) -> tuple[Response, int]:
    status = status if status in ERRORS else 500
    code, message = ERRORS[status]
    response = jsonify(error={"status": status, "code": code, "message": str(message),
                              "request_id": g.get("request_id")})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
    return response, status


def handle_http_error(error: HTTPException) -> tuple[Response, int]:
    response, status = error_response(error.code or 500)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)  # RFC 9110 asks for it
    return response, status


def handle_out_of_scope(error: OutOfScopeError) -> tuple[Response, int]:
    """Answer 404, exactly as for a missing case, and audit the denial."""
    token = g.get("api_token")
    token_id = token.id if token is not None else None
    db.session.rollback()
    audit.record(db.session, "access.denied", actor_kind=ACTOR_KIND,
                 object_type=error.object_type, object_id=error.object_id,
                 outcome=Outcome.DENIED, request_id=g.get("request_id"),
                 detail={"endpoint": request.endpoint or "",
                         "token": token_id})
    db.session.commit()
    return error_response(404)


def handle_unexpected(error: Exception) -> tuple[Response, int]:
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    # The trace without the exception's message: a message can quote a child's words.
    current_app.logger.error("unhandled %s (request %s)\n%s", type(error).__name__,
                             g.get("request_id"), "".join(traceback.format_tb(error.__traceback__)))
    db.session.rollback()
    return error_response(InternalServerError.code)
