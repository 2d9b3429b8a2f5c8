"""Who owns an alert: the one rule for who is told, who can open it and who it escalates to.

- A case alert belongs to the case's pod (its workers and managers).
- A session alert belongs to the session's safeguarding lead and the lead's pod.
- The duty (front-door) team sees every session alert and every escalation, and
  can open any alert.
- If none of those has an active account (a pod emptied, a lead who left), every
  active manager owns it: an alert always reaches someone who can act on it.

Access (``can_open``), the inbox, e-mail recipients and escalation all ask
``owners_of``; nothing else decides who may see an alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import (
    Alert, AlertState, AlertTier, Case, ParticipationSession, Pod, Role, StaffUser,
)
from feedback.services import audit

CASEWORK_ROLES = (Role.WORKER, Role.MANAGER)


@dataclass(frozen=True)
class Owners:
    """The people an alert belongs to, by how they came to own it."""

    #: The owning team: the case's pod, or the session's lead and the lead's pod.
    team: tuple[StaffUser, ...]
    #: The session's safeguarding lead, while their account is active.
    lead: StaffUser | None
    #: Members of the duty team.
    duty: tuple[StaffUser, ...]
    #: Every active manager, only when neither the team nor the duty team has anyone.
    fallback: tuple[StaffUser, ...]
    #: Team mailboxes to tell instead of each member (pod e-mail addresses).
    team_mailboxes: tuple[str, ...]
    duty_mailboxes: tuple[str, ...]

    @property
    def everyone(self) -> tuple[StaffUser, ...]:
        return _unique(self.team + self.duty + self.fallback)

    @property
    def escalation(self) -> tuple[StaffUser, ...]:
        """Managers of the owning team, and the duty team."""
        managers = tuple(user for user in self.team if user.role == Role.MANAGER)
        return _unique(managers + self.duty + self.fallback)


def _unique(users: Iterable[StaffUser]) -> tuple[StaffUser, ...]:
    return tuple({user.id: user for user in users}.values())


def _active_casework(session: Session, pod_ids: Iterable[int]) -> tuple[StaffUser, ...]:
    """Active workers and managers of these pods, including managers overseeing them."""
    ids = list(pod_ids)
    if not ids:
        return ()
    return tuple(session.scalars(
        select(StaffUser).where(
            StaffUser.is_active_account.is_(True), StaffUser.role.in_(CASEWORK_ROLES),
            StaffUser.pod_id.in_(ids)
            | ((StaffUser.role == Role.MANAGER) & StaffUser.extra_pods.any(Pod.id.in_(ids))))
        .order_by(StaffUser.id)))


def duty_pods(session: Session) -> list[Pod]:
    return list(session.scalars(select(Pod).where(Pod.is_duty_team.is_(True))
                                .order_by(Pod.id)))


def _owning_pod_ids(case: Case | None, event: ParticipationSession | None) -> set[int]:
    if case is not None:
        return {case.pod_id}
    lead = event.safeguarding_lead if event is not None else None
    if lead is not None and lead.pod_id is not None:
        return {lead.pod_id}
    return set()


def owners_of(session: Session, alert: Alert) -> Owners:
    """Return who owns this alert (see the module's docstring)."""
    return owners_for(session, alert.case, alert.session)


def owners_for(session: Session, case: Case | None,
               event: ParticipationSession | None) -> Owners:
    """Return who owns the alerts of a case or of a participation session."""
    team_pods = _owning_pod_ids(case, event)
    team = list(_active_casework(session, team_pods))
    lead = event.safeguarding_lead if event is not None else None
    if lead is not None and not (lead.is_active_account and lead.role in CASEWORK_ROLES):
        lead = None
    if lead is not None:
        team.insert(0, lead)
    duty = duty_pods(session)
    duty_members = _active_casework(session, [pod.id for pod in duty])
    fallback: tuple[StaffUser, ...] = ()
    if not team and not duty_members:
        fallback = tuple(session.scalars(
            select(StaffUser).where(StaffUser.is_active_account.is_(True),
                                    StaffUser.role == Role.MANAGER).order_by(StaffUser.id)))
    team_pod_rows = [session.get_one(Pod, pod_id) for pod_id in sorted(team_pods)]
    return Owners(team=_unique(team), lead=lead, duty=duty_members, fallback=fallback,
                  # A mailbox counts only while someone who can open the alert reads it.
                  team_mailboxes=tuple(p.email for p in team_pod_rows
                                       if p.email and any(u.pod_id == p.id for u in team)),
                  duty_mailboxes=tuple(p.email for p in duty
                                       if p.email and any(u.pod_id == p.id
                                                          for u in duty_members)))


def can_open(session: Session, user: StaffUser, alert: Alert) -> bool:
    """May this person open, acknowledge and act on the alert?"""
    return user.is_active_account and any(
        owner.id == user.id for owner in owners_of(session, alert).everyone)


def is_for_inbox(user: StaffUser, alert: Alert, owners: Owners) -> bool:
    """Is the alert this person's to act on now (their inbox), not only theirs to open?

    The owning team sees its alerts; the duty team sees session alerts, escalations
    and alerts with no team; the fallback managers see what has no one else.
    """
    if any(owner.id == user.id for owner in owners.team + owners.fallback):
        return True
    if not any(owner.id == user.id for owner in owners.duty):
        return False
    return (alert.session_id is not None or alert.state == AlertState.ESCALATED
            or not owners.team)


def inbox_alerts(session: Session, user: StaffUser, alerts: Iterable[Alert]) -> list[Alert]:
    """Keep the alerts that are this person's to act on now.

    Alerts of one pod, or of one session, share their owners: each is worked out once.
    """
    known: dict[tuple[str, int], Owners] = {}
    mine = []
    for alert in alerts:
        key = ("pod", alert.case.pod_id) if alert.case is not None else \
            ("session", alert.session_id or 0)
        if key not in known:
            known[key] = owners_of(session, alert)
        if is_for_inbox(user, alert, known[key]):
            mine.append(alert)
    return mine


def new_alert_recipients(session: Session, alert: Alert) -> list[str]:
    """E-mail addresses told about a new urgent alert: the case's team (its mailbox,
    or each member) or the session's lead, and for session alerts the duty team too.
    A concern e-mails nobody."""
    if alert.tier != AlertTier.URGENT:
        return []
    owners = owners_of(session, alert)
    if alert.session_id is not None:
        addresses = [owners.lead.email] if owners.lead is not None else []
    else:
        addresses = list(owners.team_mailboxes) or [user.email for user in owners.team]
    if alert.session_id is not None or not owners.team:
        addresses += list(owners.duty_mailboxes) or [user.email for user in owners.duty]
    addresses += [user.email for user in owners.fallback]
    return list(dict.fromkeys(addresses))


def escalation_recipients(session: Session, alert: Alert) -> list[str]:
    """E-mail addresses told when an alert escalates: the team's managers and the duty
    team (its mailbox, if it has one)."""
    owners = owners_of(session, alert)
    managers = [user.email for user in owners.team if user.role == Role.MANAGER]
    duty = list(owners.duty_mailboxes) or [user.email for user in owners.duty]
    return list(dict.fromkeys(managers + duty + [user.email for user in owners.fallback]))


def set_duty_team(session: Session, pod: Pod, is_duty_team: bool, *,
                  by: StaffUser | None = None, request_id: str | None = None) -> None:
    """Mark a pod as the duty (front-door) team, or not; audited; flush."""
    pod.is_duty_team = is_duty_team
    session.flush()
    audit.record(session, "pod.duty_team", actor=by, object_type="pod", object_id=pod.id,
                 detail={"is_duty_team": is_duty_team}, request_id=request_id)
