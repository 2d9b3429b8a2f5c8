"""Friendly error pages in the user's language, with a request id and never a trace."""

from __future__ import annotations

import traceback

from flask import Flask, current_app, g, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from feedback.extensions import db
from feedback.models import Outcome
from feedback.services.errors import OutOfScopeError
from feedback.services import audit

TITLES = {
    400: _l("Something went wrong with that request"),
    403: _l("You cannot do that"),
    404: _l("Page not found"),
    405: _l("Something went wrong with that request"),
    413: _l("That was too much to send at once"),
    429: _l("Too many tries"),
    500: _l("Sorry, something went wrong on our side"),
    503: _l("Sign-in is not available just now"),
}
MESSAGES = {
    400: _l("Go back and try again."),
    403: _l("You do not have permission to see this page."),
    404: _l("Check the address, or go back to the start."),
    405: _l("Go back and try again."),
    413: _l("Make what you wrote shorter, then try again."),
    429: _l("Wait a few minutes, then try again."),
    500: _l("Nothing you did caused this. Please try again in a few minutes."),
    503: _l("Part of the service is down. Please try again in a few minutes. "
            "Children can still send their answers."),
}


def render_error(code: int) -> tuple[str, int]:
    """Render the error page for an HTTP status."""
    shown = code if code in TITLES else 500
    return render_template("errors/error.html", code=shown, title=TITLES[shown],
                           message=MESSAGES[shown], request_id=g.get("request_id")), shown


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    if isinstance(error, SecurityError) and request_ctx.url_adapter is None:
        # A Host not in TRUSTED_HOSTS: Flask made no URL adapter for it. The error
        # page's links are paths, so they are built as for the first trusted host.
        request_ctx.url_adapter = current_app.url_map.bind(
            current_app.config["TRUSTED_HOSTS"][0], script_name=request.script_root or "/",
            url_scheme=request.scheme)
    return render_error(error.code or 500)


def handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_error(400)


def handle_out_of_scope(error: OutOfScopeError) -> tuple[str, int]:
    """Answer 404, exactly as for a missing object, and audit the denial."""
    db.session.rollback()
    audit.record(db.session, "access.denied",
                 actor=current_user if current_user.is_authenticated else None,
                 actor_kind=None if current_user.is_authenticated else "anonymous",
                 object_type=error.object_type, object_id=error.object_id,
                 outcome=Outcome.DENIED, detail={"endpoint": request.endpoint or ""},
                 request_id=g.get("request_id"))
    db.session.commit()
    return render_error(404)


def handle_unexpected(error: Exception) -> tuple[str, int]:
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    # The trace without the exception's message: a message can quote a child's words.
    current_app.logger.error("unhandled %s (request %s)\n%s", type(error).__name__,
                             g.get("request_id"), "".join(traceback.format_tb(error.__traceback__)))
    db.session.rollback()
    return render_error(InternalServerError.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(OutOfScopeError, handle_out_of_scope)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
