"""Staff sign-in and sign-out.

The blueprint is made here and its view modules are listed once, below.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")

from feedback.web.auth import views  # noqa: E402,F401 (the views add their routes to bp)
