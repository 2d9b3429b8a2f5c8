"""Pages for administrators."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from feedback.extensions import db
from feedback.labels import ROLE_LABELS
from feedback.models import Pod, Role, StaffUser
from feedback.security import require_roles

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles(Role.ADMIN))


@bp.get("/")
def index() -> str:
    """List staff accounts and pods."""
    staff = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    pods = db.session.scalars(select(Pod).order_by(Pod.name)).all()
    return render_template("admin/index.html", staff=staff, pods=pods, role_labels=ROLE_LABELS)
