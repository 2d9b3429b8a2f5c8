"""Pages for social workers and their managers."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, current_app, g, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Case, Response, Role
from feedback.security import require_roles
from feedback.services import access, audit, casework, codes, questionnaires
from feedback.staff.forms import AccessCodeForm

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
    return render_template("staff/view_case.html", case=case, responses=responses,
                           code_form=_code_form())


def _code_form() -> AccessCodeForm:
    form = AccessCodeForm()
    form.questionnaire.choices = [(v.questionnaire.slug, v.definition["title"]["en"])
                                  for v in questionnaires.current_versions(db.session)
                                  if v.questionnaire.slug != "board-session"]
    return form


@bp.post("/cases/<reference>/access-codes")
def create_access_code(reference: str) -> str:
    """Make a single-use code for the child, shown large and as a QR code to print."""
    case = access.case_for(db.session, current_user, reference)
    form = _code_form()
    if not form.validate_on_submit():
        abort(400)
    questionnaire = questionnaires.by_slug(db.session, form.questionnaire.data or "")
    hours = current_app.config["ACCESS_CODE_HOURS"]
    code, plain = codes.create_access_code(db.session, case, questionnaire, current_user, hours)
    audit.record(db.session, "access_code.create", actor=current_user, object_type="case",
                 object_id=case.id, request_id=g.request_id)
    db.session.commit()
    link = url_for("child.start", code=codes.display(plain), _external=True)
    return render_template("staff/access_code.html", case=case, code=codes.display(plain),
                           expires_at=code.expires_at, hours=hours,
                           qr_svg=segno.make(link, error="m").svg_inline(scale=6, title=None))
