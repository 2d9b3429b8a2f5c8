"""Managers: search their pods' audit trail, see who read a case, export a subject-access file."""

from __future__ import annotations

import json

from flask import Response, g, render_template, request
from flask_login import current_user
from sqlalchemy import select

from feedback.web.audit_forms import AuditSearchForm
from feedback.extensions import db
from feedback.models import Role, StaffUser
from feedback.web.numbers import int_arg
from feedback.web.security import roles_required
from feedback.services import access, audit, audit_trail
from feedback.web.staff import bp, wording


def _names() -> dict[int, str]:
    return {u.id: u.name for u in db.session.scalars(select(StaffUser))}


@bp.get("/audit")
@roles_required(Role.MANAGER)
def search_audit() -> str:
    """Search what the pods' staff did: sign-ins, reads, exports, decisions."""
    form = AuditSearchForm(request.args)
    events = audit_trail.search(db.session, form.filters(), int_arg("page", 1),
                                actors_in_pods=current_user.pod_ids) if form.validate() else []
    return render_template("staff/search_audit.html", form=form, events=events, names=_names())


@bp.get("/cases/<reference>/reads")
@roles_required(Role.MANAGER)
def view_case_reads(reference: str) -> str:
    """List who has seen this child's words, and when."""
    case = access.case_for(db.session, current_user, reference)
    return render_template("staff/view_case_reads.html", case=case,
                           reads=audit_trail.reads_of_case(db.session, case))


@bp.get("/cases/<reference>/subject-access")
@roles_required(Role.MANAGER)
def export_subject_access(reference: str) -> Response:
    """Download everything held about the child's case, with its audit trail."""
    case = access.case_for(db.session, current_user, reference)
    document = audit_trail.subject_access(db.session, case, current_user,
                                          wording.record_words())
    audit.record(db.session, "case.subject_access", actor=current_user, object_type="case",
                 object_id=case.id, request_id=g.request_id)
    db.session.commit()
    response = Response(json.dumps(document, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{case.reference}-subject-access.json"'
    return response
