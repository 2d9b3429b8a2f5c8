"""Managers keep cases: open one, change it, move it to another pod, close or reopen it."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WebResponse

from feedback.extensions import db
from feedback.models import Pod, Role, StaffUser
from feedback.services import access, case_admin
from feedback.web.i18n import CHILD_LANGUAGES
from feedback.web.security import roles_required
from feedback.web.staff import bp
from feedback.web.staff.case_forms import (
    CaseForm, CloseForm, TransferForm, case_data, details, fill_choices,
)
from feedback.web.staff.case_wording import reason


def _people(pods: Sequence[Pod]) -> dict[int, Sequence[StaffUser]]:
    return {pod.id: case_admin.allocatable(db.session, pod.id) for pod in pods}


def _my_pods() -> Sequence[Pod]:
    return db.session.scalars(select(Pod).where(Pod.id.in_(current_user.pod_ids))
                              .order_by(Pod.name)).all()


def _refused(form: CaseForm | TransferForm, error: case_admin.CaseAdminError) -> None:
    """Show the service's refusals on the fields they are about (what was typed stays)."""
    db.session.rollback()
    for refusal in error.refusals:
        field = form[refusal.field if refusal.field in form else
                     ("reference" if "reference" in form else "pod")]
        field.errors = [*field.errors, reason(refusal)]


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def new_case() -> str | WebResponse:
    """Open a case in one of the manager's pods."""
    pods = _my_pods()
    form = CaseForm()
    fill_choices(form, pods, _people(pods))
    if form.validate_on_submit():
        try:
            case = case_admin.create_case(db.session, current_user, details(form),
                                          CHILD_LANGUAGES, g.request_id)
        except case_admin.CaseAdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Case %(reference)s opened.", reference=case.reference))
            return redirect(url_for("staff.view_case", reference=case.reference))
    return render_template("staff/case_form.html", form=form, case=None)


@bp.route("/cases/<reference>/edit", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def edit_case(reference: str) -> str | WebResponse:
    """Change a case's reference, name, allocated worker, age band, language or hold."""
    case = access.case_for(db.session, current_user, reference)
    form = CaseForm(data=case_data(case))
    del form.pod  # a case changes pod by transfer, which leaves its own audit event
    fill_choices(form, [case.pod], _people([case.pod]))
    if form.validate_on_submit():
        try:
            case_admin.edit_case(db.session, current_user, case, details(form),
                                 CHILD_LANGUAGES, g.request_id)
        except case_admin.CaseAdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Case %(reference)s saved.", reference=case.reference))
            return redirect(url_for("staff.view_case", reference=case.reference))
    return render_template("staff/case_form.html", form=form, case=case,
                           close_form=CloseForm())


@bp.route("/cases/<reference>/transfer", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def transfer_case(reference: str) -> str | WebResponse:
    """Move a case to another pod, allocated to one of its people or to nobody yet."""
    case = access.case_for(db.session, current_user, reference)
    pods = case_admin.transfer_targets(db.session, case)
    form = TransferForm()
    fill_choices(form, pods, _people(pods))
    if form.validate_on_submit():
        worker = form.worker.data
        try:
            case_admin.transfer_case(db.session, current_user, case, form.pod.data,
                                     int(worker) if worker else None, g.request_id)
        except case_admin.CaseAdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Case %(reference)s moved to %(pod)s.", reference=case.reference,
                    pod=case.pod.name))
            return redirect(url_for("staff.caseload_page"))
    return render_template("staff/case_transfer.html", form=form, case=case)


@bp.post("/cases/<reference>/close")
@roles_required(Role.MANAGER)
def close_case(reference: str) -> WebResponse:
    """Close a case: its access codes open nothing any more."""
    case = access.case_for(db.session, current_user, reference)
    if not CloseForm().validate_on_submit():
        abort(400)
    if case_admin.close_case(db.session, current_user, case, g.request_id):
        flash(_("Case %(reference)s closed.", reference=case.reference))
    db.session.commit()
    return redirect(url_for("staff.edit_case", reference=case.reference))


@bp.post("/cases/<reference>/reopen")
@roles_required(Role.MANAGER)
def reopen_case(reference: str) -> WebResponse:
    """Open a closed case again."""
    case = access.case_for(db.session, current_user, reference)
    if not CloseForm().validate_on_submit():
        abort(400)
    if case_admin.reopen_case(db.session, current_user, case, g.request_id):
        flash(_("Case %(reference)s reopened.", reference=case.reference))
    db.session.commit()
    return redirect(url_for("staff.edit_case", reference=case.reference))
