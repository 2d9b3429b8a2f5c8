"""Pages for administrators."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from feedback.web.audit_forms import AuditSearchForm
from feedback.extensions import db
from feedback.services import audit_trail
from feedback.web.labels import ROLE_LABELS
from feedback.web.numbers import int_arg
from feedback.models import Pod, StaffUser
from feedback.web.admin import bp


@bp.get("/")
def index() -> str:
    """List staff accounts and pods."""
    staff = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    pods = db.session.scalars(select(Pod).order_by(Pod.name)).all()
    return render_template("admin/index.html", staff=staff, pods=pods, role_labels=ROLE_LABELS)


@bp.get("/audit")
def search_audit() -> str:
    """Search the whole audit trail."""
    form = AuditSearchForm(request.args)
    events = audit_trail.search(db.session, form.filters(), int_arg("page", 1)) \
        if form.validate() else []
    names = {u.id: u.name for u in db.session.scalars(select(StaffUser))}
    return render_template("admin/search_audit.html", form=form, events=events, names=names)
