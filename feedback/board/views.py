"""Pages for the safeguarding board's analysts."""

from __future__ import annotations

from flask import Blueprint, render_template

from feedback.models import Role
from feedback.security import require_roles

bp = Blueprint("board", __name__, url_prefix="/board")
bp.before_request(require_roles(Role.BOARD, Role.ADMIN))


@bp.get("/")
def index() -> str:
    """Show the board's starting page."""
    return render_template("board/index.html")
