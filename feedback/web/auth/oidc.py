"""The council's OpenID Connect provider, as an Authlib client made once per app."""

from __future__ import annotations

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    """Settle the sign-in settings that follow from the others."""
    app.config.setdefault("SECOND_FACTOR_REQUIRED", app.config["FEEDBACK_ENV"] == "production")
    app.config.setdefault("PASSWORD_SIGN_IN", True)


def oidc_enabled() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER"))
