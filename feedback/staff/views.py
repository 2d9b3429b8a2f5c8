"""Pages for social workers and their managers."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_login import current_user
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Case, Response, Role
from feedback.security import require_roles
from feedback.services import access, audit, casework

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.before_request(require_roles(Role.WORKER, Role.MANAGER))


@bp.get("/inbox")
def inbox() -> str:
    """Show the pod's cases, most recently heard first."""
    last_heard = func.max(Response.submitted_on).label("last_heard")
    rows = db.session.execute(
        select(Case, last_heard).outerjoin(Response, Response.case_id == Case.id)
        .where(access.case_scope(current_user), Case.is_open.is_(True))
        .group_by(Case.id).order_by(last_heard.desc().nulls_last(), Case.reference)).all()
    return render_template("staff/inbox.html", rows=rows)


@bp.get("/cases/<reference>")
def view_case(reference: str) -> str:
    """Show a child's case with everything they have said, newest first."""
    case = access.case_for(db.session, current_user, reference)
    responses = casework.case_timeline(db.session, case)
    audit.record(db.session, "case.view", actor=current_user, object_type="case",
                 object_id=case.id, request_id=g.request_id,
                 detail={"responses": len(responses)})
    db.session.commit()
    return render_template("staff/view_case.html", case=case, responses=responses)
