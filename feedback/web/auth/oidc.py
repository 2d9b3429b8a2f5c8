"""The council's OpenID Connect provider, as an Authlib client made once per app.

Authlib does the protocol: discovery, PKCE (S256), ``state`` kept in the server-side
session and spent on first use, ``nonce``, and the ID token's signature (the
provider's published keys), issuer, audience and expiry. ``council_client`` adds
one check of its own: the discovery document names the issuer configured.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from feedback.services.oidc import GroupRole, parse_group_roles

#: Leeway for the clocks of this server and the provider, in seconds.
CLOCK_LEEWAY = 60


class IssuerMismatchError(Exception):
    """The provider's discovery document names another issuer than the one configured."""


def init_app(app: Flask) -> None:
    """Settle the sign-in settings that follow from the others; register the provider."""
    app.config.setdefault("SECOND_FACTOR_REQUIRED", app.config["FEEDBACK_ENV"] == "production")
    app.config.setdefault("PASSWORD_SIGN_IN", True)
    issuer = app.config.get("OIDC_ISSUER")
    app.extensions["council_group_roles"] = parse_group_roles(
        app.config.get("OIDC_GROUP_ROLES") or "")
    if not issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        "council", client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                       "timeout": 10})


def oidc_enabled() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER"))


def council_client() -> Any:
    """The registered client, once its provider's discovery document checks out."""
    client = current_app.extensions["authlib.integrations.flask_client"].create_client("council")
    issuer = client.load_server_metadata().get("issuer", "").rstrip("/")
    if issuer != current_app.config["OIDC_ISSUER"]:
        raise IssuerMismatchError(issuer)
    return client


def group_roles() -> list[GroupRole]:
    return list(current_app.extensions["council_group_roles"])
