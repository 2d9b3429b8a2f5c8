"""Pages for administrators."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from feedback.web.audit_forms import AuditSearchForm
from feedback.extensions import db
from feedback.services import audit_trail
from feedback.web.numbers import int_arg
from feedback.models import StaffUser
from feedback.web.admin import bp


@bp.get("/")
def index() -> str:
    """The administrator's sections: staff, pods, questionnaires, tokens, audit."""
    return render_template("admin/index.html")


@bp.get("/audit")
def search_audit() -> str:
    """Search the whole audit trail."""
    form = AuditSearchForm(request.args)
    events = audit_trail.search(db.session, form.filters(), int_arg("page", 1)) \
        if form.validate() else []
    names = {u.id: u.name for u in db.session.scalars(select(StaffUser))}
    return render_template("admin/search_audit.html", form=form, events=events, names=names)
