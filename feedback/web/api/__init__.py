"""The read-only JSON API for the council's case-management system (docs/api.md).

Bearer tokens only: no cookie, no session, no CSRF token (nothing here changes
anything), and every error is JSON. The blueprint is made here and its view modules
are listed once, below: a view module missing from the list would have no routes
(tests/test_architecture.py).
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from feedback.extensions import csrf, limiter
from feedback.services.errors import OutOfScopeError
from feedback.web.api import bearer, json_errors

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.before_request(bearer.require_token)
bp.register_error_handler(OutOfScopeError, json_errors.handle_out_of_scope)
bp.register_error_handler(HTTPException, json_errors.handle_http_error)
bp.register_error_handler(Exception, json_errors.handle_unexpected)
# Per token first, under a ceiling per address (a token's limit is its own, however
# many servers pull with it). Both are checked before the token is looked up, so a
# guessing client is slowed down as much as a real one.
limiter.limit(bearer.token_limit, key_func=bearer.rate_key)(bp)
limiter.limit(bearer.ADDRESS_LIMIT)(bp)

from feedback.web.api import views  # noqa: E402,F401 (the views add their routes to bp)
