"""The board's pages: for board analysts and administrators.

The blueprint is made here and its view modules are listed once, below: a view
module missing from the list would have no routes (tests/test_architecture.py).
"""

from __future__ import annotations

from flask import Blueprint

from feedback.models import Role
from feedback.web.security import require_roles

bp = Blueprint("board", __name__, url_prefix="/board")
bp.before_request(require_roles(Role.BOARD, Role.ADMIN))

from feedback.web.board import quote_views, session_views, views  # noqa: E402,F401
