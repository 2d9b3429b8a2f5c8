"""Staff sign-in and sign-out: password and second factor, council single sign-on,
and the sessions a person can see and end.

The blueprint is made here and its view modules are listed once, below.
"""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("auth", __name__, url_prefix="/staff")

from feedback.web.auth import (  # noqa: E402,F401 (the views add their routes to bp)
    factor_views, invitation_views, oidc, oidc_views, passkey_views, password_views,
    session_views, signing_in, views,
)


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    oidc.init_app(state.app)
    # Runs on every staff page: a session ended elsewhere is signed out here.
    state.app.before_request(signing_in.check_staff_session)
