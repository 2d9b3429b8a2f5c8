"""Administrators keep pods: a team's mailbox, and which are duty (front-door) teams."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.models import Pod
from feedback.services import staff_admin
from feedback.web.admin import bp
from feedback.web.admin.staff_forms import REFUSALS, PodForm


@bp.get("/pods")
def list_pods() -> str:
    """List the pods with their mailboxes and which are duty teams."""
    pods = db.session.scalars(select(Pod).order_by(Pod.name)).all()
    return render_template("admin/list_pods.html", pods=pods)


@bp.route("/pods/new", methods=["GET", "POST"])
def new_pod() -> str | Response:
    """Add a pod."""
    form = PodForm()
    if form.validate_on_submit():
        try:
            pod = staff_admin.create_pod(db.session, name=form.name.data or "",
                                         email=form.email.data,
                                         is_duty_team=form.is_duty_team.data, by=current_user,
                                         request_id=g.request_id)
        except staff_admin.StaffAdminError as error:
            db.session.rollback()
            form.name.errors = [REFUSALS[error.code]]
        else:
            db.session.commit()
            flash(_("Pod %(name)s added.", name=pod.name))
            return redirect(url_for("admin.list_pods"))
    return render_template("admin/pod_form.html", form=form, pod=None)


@bp.route("/pods/<int:pod_id>", methods=["GET", "POST"])
def edit_pod(pod_id: int) -> str | Response:
    """Set a pod's team mailbox and whether it is a duty team."""
    pod = db.session.get(Pod, pod_id)
    if pod is None:
        abort(404)
    form = PodForm(data={"name": pod.name, "email": pod.email or "",
                         "is_duty_team": pod.is_duty_team})
    del form.name  # a pod keeps its name: the council's own lists and imports use it
    if form.validate_on_submit():
        staff_admin.update_pod(db.session, pod, email=form.email.data,
                               is_duty_team=form.is_duty_team.data, by=current_user,
                               request_id=g.request_id)
        db.session.commit()
        flash(_("Pod %(name)s saved.", name=pod.name))
        return redirect(url_for("admin.list_pods"))
    return render_template("admin/pod_form.html", form=form, pod=pod)
