"""The application's log: one line per event on standard error, JSON in production.

Every line carries the request's id (the same id the access log line and the
error page show), the route's pattern and the method, so an operator can follow
one request. A line never carries a child's words, a code or a token: the
route is the URL rule (``/staff/cases/<reference>``), not the path, nothing
logs a form, and an error is logged as its type and stack, never its message
(a database error's message quotes the values it was given).
``tests/test_production_logs.py`` checks a server's every line.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

#: The package's logger: the app's own and every ``feedback.*`` module's.
LOGGER = "feedback"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(method)s %(route)s] %(message)s"
JSON_FIELDS = ("asctime", "levelname", "name", "message", "request_id", "method", "route")


class RequestFields(logging.Filter):
    """Adds the request's id, method and route pattern (or "-") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        in_request = has_request_context()
        rule = request.url_rule if in_request else None
        record.request_id = (g.get("request_id") if in_request else None) or "-"
        record.method = request.method if in_request else "-"
        record.route = rule.rule if rule is not None else "-"
        return True


def handler_for(env: str) -> logging.Handler:
    """A handler writing to standard error: JSON in production, text elsewhere."""
    handler = logging.StreamHandler(sys.stderr)
    if env == "production":
        handler.setFormatter(JsonFormatter(list(JSON_FIELDS), rename_fields={
            "asctime": "time", "levelname": "level", "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestFields())
    return handler


def init_app(app: Flask) -> None:
    """Send the package's log lines to standard error (tests capture them instead)."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    env = app.config["FEEDBACK_ENV"]
    if env == "testing":
        return  # lines propagate to pytest's capture; a test adds a handler of its own
    ours = [h for h in logger.handlers if getattr(h, "feedback_env", None) is not None]
    if not ours:  # one handler per process, however many apps it makes
        handler = handler_for(env)
        handler.feedback_env = env  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False
