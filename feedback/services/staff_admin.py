"""Administrators keep staff and pods: roles, pods, leavers and returners, team mailboxes.

Each change is audited with who made it. A change never leaves an alert with nobody:
alerts belong to teams (services/alert_routing.py), and when a leaver was the last
person who could open one, it goes to every active manager — the handover names
those alerts so the administrator can tell someone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from feedback.models import (
    Alert, AlertState, Case, ParticipationSession, Pod, Role, StaffUser, today,
)
from feedback.services import accounts, alert_routing, audit, invitations

CASEWORK = (Role.WORKER, Role.MANAGER)


class StaffAdminError(ValueError):
    """The change is refused; ``code`` says why (the web words it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Handover:
    """What a leaver leaves behind: nothing is lost, but someone must know."""

    #: Open alerts nobody else on the team or the duty team can open: they go to managers.
    alerts_to_managers: list[int] = field(default_factory=list)
    #: Open cases allocated to them (unallocated at deactivation, kept in their pod).
    cases: list[int] = field(default_factory=list)
    #: Participation sessions, current or to come, they are safeguarding lead of.
    sessions_led: list[int] = field(default_factory=list)


def _active_count(session: Session, role: Role) -> int:
    return session.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.role == role, StaffUser.is_active_account.is_(True))) or 0


def _check_not_last(session: Session, user: StaffUser, role: Role) -> None:
    """Refuse to remove the last active manager (alerts' last resort) or administrator."""
    if user.role == role and user.is_active_account and _active_count(session, role) == 1:
        raise StaffAdminError(f"last_{role.value}")


def handover(session: Session, user: StaffUser) -> Handover:
    """Say what deactivating this person would leave for others to pick up."""
    # Open alerts are few (each is read the same day): ask the one rule about each.
    open_alerts = session.scalars(
        select(Alert).where(Alert.state.in_((AlertState.NEW, AlertState.ESCALATED)))
        .order_by(Alert.id)).all()
    alone = []
    for alert in open_alerts:
        owners = alert_routing.owners_of(session, alert)
        others = {o.id for o in owners.team + owners.duty} - {user.id}
        if not others and any(o.id == user.id for o in owners.team + owners.duty):
            alone.append(alert.id)
    cases = session.scalars(select(Case.id).where(Case.allocated_worker_id == user.id,
                                                  Case.is_open.is_(True))).all()
    led = session.scalars(select(ParticipationSession.id).where(
        ParticipationSession.safeguarding_lead_id == user.id,
        ParticipationSession.ends_on >= today())).all()
    return Handover(alerts_to_managers=alone, cases=list(cases), sessions_led=list(led))


def deactivate(session: Session, user: StaffUser, *, by: StaffUser,
               request_id: str | None = None) -> Handover:
    """Close the account: every session ends now, links die, cases wait for a new worker.

    What they wrote stays. Refused for one's own account, the last active manager and
    the last active administrator.
    """
    if user.id == by.id:
        raise StaffAdminError("own_account")
    if not user.is_active_account:
        raise StaffAdminError("already_inactive")
    _check_not_last(session, user, Role.ADMIN)
    _check_not_last(session, user, Role.MANAGER)
    left = handover(session, user)
    accounts.deactivate(session, user, by=by)
    invitations.revoke(session, user)
    session.execute(update(Case).where(Case.allocated_worker_id == user.id)
                    .values(allocated_worker_id=None)
                    .execution_options(synchronize_session=False))
    session.expire_all()
    audit.record(session, "staff.handover", actor=by, object_type="staff_user",
                 object_id=user.id, request_id=request_id,
                 detail={"alerts_to_managers": left.alerts_to_managers,
                         "cases_unallocated": left.cases, "sessions_led": left.sessions_led})
    return left


def reactivate(session: Session, user: StaffUser, *, by: StaffUser,
               request_id: str | None = None) -> None:
    """Open a closed account again; they sign in with their old password and factor."""
    if user.is_active_account:
        raise StaffAdminError("already_active")
    user.is_active_account = True
    session.flush()
    audit.record(session, "staff.reactivate", actor=by, object_type="staff_user",
                 object_id=user.id, request_id=request_id)


def change_role(session: Session, user: StaffUser, *, role: Role, pod: Pod | None,
                by: StaffUser, request_id: str | None = None) -> int:
    """Give the person a new role and pod; flush; return how many cases were unallocated.

    Cases allocated to them in a pod they leave wait for a new worker there.
    """
    if user.id == by.id:
        raise StaffAdminError("own_account")
    if role in CASEWORK and pod is None:
        raise StaffAdminError("needs_pod")
    if role != Role.ADMIN:
        _check_not_last(session, user, Role.ADMIN)
    if role != Role.MANAGER:
        _check_not_last(session, user, Role.MANAGER)
    before = {"role": user.role.value, "pod": user.pod_id}
    user.role, user.pod = role, pod
    if role != Role.MANAGER:
        user.extra_pods.clear()
    session.flush()
    moved = update(Case).where(Case.allocated_worker_id == user.id)
    if user.pod_ids:
        moved = moved.where(Case.pod_id.not_in(user.pod_ids))
    result = session.execute(moved.values(allocated_worker_id=None)
                             .execution_options(synchronize_session=False))
    unallocated = int(getattr(result, "rowcount", 0))
    audit.record(session, "staff.change_role", actor=by, object_type="staff_user",
                 object_id=user.id, request_id=request_id,
                 detail={"from": before, "to": {"role": role.value, "pod": user.pod_id},
                         "cases_unallocated": unallocated})
    return unallocated


def create_pod(session: Session, *, name: str, email: str | None, is_duty_team: bool,
               by: StaffUser, request_id: str | None = None) -> Pod:
    """Add a team; flush."""
    name = name.strip()
    if session.scalar(select(Pod).where(func.lower(Pod.name) == name.lower())) is not None:
        raise StaffAdminError("pod_exists")
    pod = Pod(name=name, email=_mailbox(email))
    session.add(pod)
    session.flush()
    audit.record(session, "pod.create", actor=by, object_type="pod", object_id=pod.id,
                 request_id=request_id, detail={"has_mailbox": pod.email is not None})
    if is_duty_team:
        alert_routing.set_duty_team(session, pod, True, by=by, request_id=request_id)
    return pod


def update_pod(session: Session, pod: Pod, *, email: str | None, is_duty_team: bool,
               by: StaffUser, request_id: str | None = None) -> None:
    """Set the team mailbox (alert e-mails, a link only) and whether it is a duty team."""
    mailbox = _mailbox(email)
    if mailbox != pod.email:
        before = pod.email
        pod.email = mailbox
        session.flush()
        audit.record(session, "pod.mailbox", actor=by, object_type="pod", object_id=pod.id,
                     request_id=request_id, detail={"from": before, "to": mailbox})
    if is_duty_team != pod.is_duty_team:
        alert_routing.set_duty_team(session, pod, is_duty_team, by=by, request_id=request_id)


def _mailbox(email: str | None) -> str | None:
    return accounts.normalise_email(email) if email and email.strip() else None
