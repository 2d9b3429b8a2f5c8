"""Test apps and the actions people take through them (imported by conftest and tests)."""

from __future__ import annotations

import html
import os
import re
import time

import pyotp

from flask import Flask, g
from flask.testing import FlaskClient

from feedback.app import create_app
from feedback.extensions import db

SECRET = "test-secret-key-that-is-long-enough-0123456789"
#: The council's duty number, as production sets it (docs/deploy.md).
DUTY_PHONE = "0300 123 4567"
IS_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


def make_app(database_url: str, **config: object) -> Flask:
    app = create_app({"FEEDBACK_ENV": "testing", "SECRET_KEY": SECRET,
                      "DATABASE_URL": database_url, "REDIS_URL": "",
                      "WTF_CSRF_ENABLED": False, **config})
    # Tests keep an app context open, and Flask reuses it for every request, so
    # ``g`` would carry one request's state (the signed-in user…) into the next.
    # Each request gets a clean ``g``, as it does in production.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    return app


def _fresh_g() -> None:
    vars(g).clear()


def dispose(app: Flask) -> None:
    """Close every database connection the app opened, and empty its caches."""
    app.extensions["caches"].clear()
    db.session.remove()
    db.engine.dispose()
    if "session_engine" in app.extensions:
        app.extensions["session_engine"].dispose()


class AuthActions:
    """Sign in and out as a member of staff would."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def sign_in(self, email: str, password: str = "correct-horse-battery", **kwargs: object):
        return self._client.post("/staff/sign-in", data={"email": email, "password": password},
                                 **kwargs)

    def sign_out(self):
        return self._client.post("/staff/sign-out")

    def enter_code(self, code: str, **kwargs: object):
        """Give the second factor: a code from the app, or a recovery code."""
        return self._client.post("/staff/sign-in/code", data={"code": code}, **kwargs)

    def enrol_app(self) -> tuple[str, list[str]]:
        """Set up an authenticator app when asked; return its secret and the recovery codes."""
        page = self._client.get("/staff/sign-in/app").get_data(as_text=True)
        secret = totp_secret_on(page)
        shown = self._client.post("/staff/sign-in/app", data={"code": totp_code(secret)})
        return secret, recovery_codes_on(shown.get_data(as_text=True))


def totp_secret_on(page: str) -> str:
    """The key an enrolment page shows for typing into the app."""
    found = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page)
    assert found, "the page shows no authenticator key"
    return found.group(1)


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<code>([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})</code>", page)


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps on)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


class ChildActions:
    """Answer a questionnaire as a child would, through the web pages."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def enter_code(self, code: str, **kwargs: object):
        return self.client.post("/", data={"code": code}, **kwargs)

    def answer(self, number: int, **fields: str):
        return self.client.post(f"/questions/{number}", data=fields)

    def send_form(self) -> dict[str, str]:
        """Return the fields of the Send form on the check-your-answers page."""
        page = self.client.get("/check").get_data(as_text=True)
        found = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
        return {name: html.unescape(value) for name, value in found}

    def send(self, form: dict[str, str] | None = None):
        return self.client.post("/send", data=form if form is not None else self.send_form())
