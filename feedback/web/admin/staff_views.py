"""Administrators keep staff accounts: invite, change role and pod, deactivate, reactivate."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from datetime import timedelta

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.models import Pod, Role, StaffUser, utcnow
from feedback.services import accounts, invitations, notifications, staff_admin
from feedback.web.admin import bp
from feedback.web.admin.staff_forms import (
    REFUSALS, ConfirmForm, InviteForm, RoleForm, chosen_pod, fill_choices,
)
from feedback.web.labels import ROLE_LABELS


def _account(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


def _pods() -> Sequence[Pod]:
    return db.session.scalars(select(Pod).order_by(Pod.name)).all()


def _send_link(user: StaffUser, token: str) -> str:
    """E-mail the link; say ``sent``, ``failed``, or ``no-mail`` (no mail server is set)."""
    config = current_app.config
    settings = notifications.settings_from(config)
    if settings is None:
        return "no-mail"
    try:
        notifications.send(invitations.message(
            recipient=user.email, name=user.name, sender=settings.sender,
            link=f"{config['BASE_URL']}{invitations.LINK_PATH}{token}",
            expires_at=utcnow() + timedelta(hours=config["INVITATION_HOURS"])), settings)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("invitation e-mail not sent: %s (request %s)",
                                   type(error).__name__, g.request_id)
        return "failed"
    return "sent"


@bp.get("/staff")
def list_staff() -> str:
    """List every account with its role, pod and state."""
    staff = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    return render_template("admin/list_staff.html", staff=staff, role_labels=ROLE_LABELS,
                           waiting=invitations.waiting_ids(db.session, [u.id for u in staff]))


@bp.route("/staff/invite", methods=["GET", "POST"])
def invite_staff() -> str | Response:
    """Make an account and e-mail its owner a link to set their password."""
    pods = _pods()
    form = InviteForm()
    fill_choices(form, pods)
    if form.validate_on_submit():
        pod, role = chosen_pod(form, pods), Role(form.role.data)
        if role in staff_admin.CASEWORK and pod is None:
            form.pod.errors = [REFUSALS["needs_pod"]]
            return render_template("admin/invite_staff.html", form=form)
        try:
            user, token = invitations.invite(
                db.session, email=form.email.data or "", name=form.name.data or "",
                role=role, pod=pod, by=current_user,
                hours=current_app.config["INVITATION_HOURS"], request_id=g.request_id)
        except accounts.AccountError:
            db.session.rollback()
            form.email.errors = [_("Someone already has an account with this email address")]
        else:
            db.session.commit()
            return _invited(user, token)
    return render_template("admin/invite_staff.html", form=form)


def _invited(user: StaffUser, token: str) -> str | Response:
    """Say whether the e-mail went; without a mail server, show the link once."""
    sent = _send_link(user, token)
    if sent == "sent":
        flash(_("%(name)s has been invited. The link in their e-mail works once, for "
                "%(hours)d hours.", name=user.name,
                hours=current_app.config["INVITATION_HOURS"]))
        return redirect(url_for("admin.edit_staff", user_id=user.id))
    base = current_app.config["BASE_URL"]
    link = f"{base}{invitations.LINK_PATH}{token}" if sent == "no-mail" else None
    return render_template("admin/invitation_sent.html", user=user, invitation_link=link,
                           form=ConfirmForm())


@bp.post("/staff/<int:user_id>/invite-again")
def invite_again(user_id: int) -> str | Response:
    """Send a new link to someone who has not set their password; the old one dies."""
    user = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        token = invitations.invite_again(db.session, user, by=current_user,
                                         hours=current_app.config["INVITATION_HOURS"],
                                         request_id=g.request_id)
    except invitations.InvitationError:
        abort(404)
    db.session.commit()
    return _invited(user, token)


@bp.route("/staff/<int:user_id>", methods=["GET", "POST"])
def edit_staff(user_id: int) -> str | Response:
    """Show an account; change its role and pod."""
    user = _account(user_id)
    pods = _pods()
    form = RoleForm(data={"role": user.role.value, "pod": str(user.pod_id or "")})
    fill_choices(form, pods)
    if form.validate_on_submit():
        try:
            staff_admin.change_role(db.session, user, role=Role(form.role.data),
                                    pod=chosen_pod(form, pods), by=current_user,
                                    request_id=g.request_id)
        except staff_admin.StaffAdminError as error:
            db.session.rollback()
            field = form.pod if error.code == "needs_pod" else form.role
            field.errors = [*field.errors, REFUSALS[error.code]]
        else:
            db.session.commit()
            flash(_("%(name)s's role and pod are saved.", name=user.name))
            return redirect(url_for("admin.edit_staff", user_id=user.id))
    return render_template("admin/edit_staff.html", user=user, form=form,
                           is_waiting=invitations.is_waiting(db.session, user))


@bp.route("/staff/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate_staff(user_id: int) -> str | Response:
    """Ask, then close the account: signed out everywhere now, never signs in again."""
    user = _account(user_id)
    form = ConfirmForm()
    refusal = None
    if form.validate_on_submit():
        try:
            staff_admin.deactivate(db.session, user, by=current_user, request_id=g.request_id)
        except staff_admin.StaffAdminError as error:
            db.session.rollback()
            refusal = REFUSALS[error.code]
        else:
            db.session.commit()
            flash(_("%(name)s's account is deactivated: they are signed out everywhere.",
                    name=user.name))
            return redirect(url_for("admin.edit_staff", user_id=user.id))
    return render_template("admin/deactivate_staff.html", user=user, form=form,
                           refusal=refusal, handover=staff_admin.handover(db.session, user))


@bp.post("/staff/<int:user_id>/reactivate")
def reactivate_staff(user_id: int) -> Response:
    """Open a deactivated account again."""
    user = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        staff_admin.reactivate(db.session, user, by=current_user, request_id=g.request_id)
    except staff_admin.StaffAdminError:
        pass  # active already: nothing to do
    else:
        db.session.commit()
        flash(_("%(name)s's account is active again.", name=user.name))
    return redirect(url_for("admin.edit_staff", user_id=user.id))
