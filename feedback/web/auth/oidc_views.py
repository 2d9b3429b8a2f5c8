"""Single sign-on with the council's account (OpenID Connect)."""

from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from flask import abort, current_app, g, render_template, request, session, url_for
from joserfc.errors import JoseError
from requests import RequestException
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.services import oidc
from feedback.web.auth import bp
from feedback.web.auth.oidc import CLOCK_LEEWAY, IssuerMismatchError, council_client, group_roles
from feedback.web.auth.oidc import oidc_enabled
from feedback.web.auth.signing_in import finish, safe_next
from feedback.web.security import public

#: What can go wrong in the protocol: a bad or spent state, a token that fails its
#: checks (signature, issuer, audience, expiry, nonce), the provider unreachable.
PROTOCOL_ERRORS = (OAuthError, JoseError, IssuerMismatchError, RequestException, KeyError,
                   ValueError)


@bp.get("/sign-in/council")
@public
def sign_in_with_council() -> Response | tuple[str, int]:
    """Send the person to the council's sign-in page."""
    if not oidc_enabled():
        abort(404)
    session["council_next"] = safe_next(request.args.get("next"))
    try:
        return council_client().authorize_redirect(  # type: ignore[no-any-return]
            url_for("auth.council_callback", _external=True))
    except PROTOCOL_ERRORS as error:  # the provider is down or not what was configured
        return _refused(type(error).__name__)


@bp.get("/sign-in/council/callback")
@public
def council_callback() -> Response | tuple[str, int]:
    """Finish single sign-on: check the provider's answer and sign the person in."""
    if not oidc_enabled():
        abort(404)
    try:
        token = council_client().authorize_access_token(
            leeway=CLOCK_LEEWAY, claims_options=_claims_options())
        claims = token.get("userinfo")
        if not claims:  # no ID token checked: never sign in on an access token alone
            raise ValueError("no id token")
    except PROTOCOL_ERRORS as error:
        claim = getattr(error, "claim", None)  # which check failed, never a value
        return _refused(type(error).__name__ + (f":{claim}" if claim else ""))
    try:
        user = oidc.account_for(db.session, claims, group_roles())
    except oidc.SingleSignOnRefusedError as refused:
        db.session.commit()
        return _refused(refused.reason, audited=True)
    return finish(user, "oidc", session.pop("council_next", None))


def _claims_options() -> dict[str, dict[str, object]]:
    """The issuer and the audience the ID token must name (Authlib checks the rest)."""
    config = current_app.config
    return {"iss": {"essential": True, "values": [config["OIDC_ISSUER"]]},
            "aud": {"essential": True, "value": config["OIDC_CLIENT_ID"]},
            "exp": {"essential": True}, "sub": {"essential": True}}


def _refused(reason: str, audited: bool = False) -> tuple[str, int]:
    """Say that single sign-on did not work, without saying more than the person needs."""
    current_app.logger.warning("single sign-on refused: %s (request %s)", reason,
                               g.get("request_id"))
    if not audited:
        oidc.refusal(db.session, reason, request_id=g.get("request_id"))
        db.session.commit()
    session.pop("council_next", None)
    no_account = reason in ("no-account", "deactivated", "no-group", "no-such-pod")
    return render_template("auth/council_refused.html", no_account=no_account), 403
