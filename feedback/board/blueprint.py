"""The board's blueprint: pages for board analysts and administrators; ``flask board``."""

from __future__ import annotations

from flask import Blueprint

from feedback.models import Role
from feedback.security import require_roles

bp = Blueprint("board", __name__, url_prefix="/board", cli_group="board")
bp.before_request(require_roles(Role.BOARD, Role.ADMIN))
