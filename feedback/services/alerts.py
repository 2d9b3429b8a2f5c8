"""Alerts: raised with the comment, in the same transaction, and sent out through the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    Alert, AlertReason, AlertState, Case, Comment, Notification, ParticipationSession, Pod,
    Role, StaffUser, utcnow,
)
from feedback.services import audit
from feedback.services.access import case_scope
from feedback.services.working_time import add_working_hours


def recipients_for(session: Session, case: Case | None,
                   event: ParticipationSession | None) -> list[str]:
    """Return who is told about a new alert: the pod's mailbox (or its people), or the
    facilitator."""
    if event is not None:
        return [event.facilitator.email]
    assert case is not None
    if case.pod.email:
        return [case.pod.email]
    return list(session.scalars(
        select(StaffUser.email).where(StaffUser.pod_id == case.pod_id,
                                      StaffUser.role.in_([Role.WORKER, Role.MANAGER]),
                                      StaffUser.is_active_account.is_(True))))


def raise_alert(session: Session, *, reason: AlertReason, case: Case | None = None,
                event: ParticipationSession | None = None, comment: Comment | None = None,
                detail: str = "", notify: bool = True) -> Alert:
    """Create an alert and, when mail is on, one outbox row per recipient; flush."""
    alert = Alert(case=case, session=event, comment=comment, reason=reason, detail=detail[:500])
    session.add(alert)
    if notify:
        for recipient in recipients_for(session, case, event):
            session.add(Notification(alert=alert, kind="new_alert", recipient=recipient))
    session.flush()
    return alert


#: What a worker can record on acknowledging an alert (the form adds free text).
ACTIONS = ("spoke_to_child", "referred_front_door", "strategy_discussion",
           "police_informed", "safety_plan", "no_concern")


class AlertStateError(ValueError):
    """The alert is not in a state that allows this."""


def acknowledge(session: Session, alert: Alert, by: StaffUser, action: str, note: str) -> Alert:
    """Record who acknowledged the alert, when, and the action they took."""
    if alert.state not in (AlertState.NEW, AlertState.ESCALATED):
        raise AlertStateError("already acknowledged")
    if action not in ACTIONS:
        raise AlertStateError(f"unknown action {action!r}")
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by_id = by.id
    alert.action_taken = action
    alert.action_note = note.strip() or None
    session.flush()
    audit.record(session, "alert.acknowledge", actor=by, object_type="alert",
                 object_id=alert.id, detail={"action": action})
    return alert


def managers_of(session: Session, alert: Alert) -> list[StaffUser]:
    """Return who an alert escalates to: the pod's managers, or the facilitator's admins."""
    if alert.case is None:
        return list(session.scalars(select(StaffUser).where(
            StaffUser.role == Role.ADMIN, StaffUser.is_active_account.is_(True))))
    pod_id = alert.case.pod_id
    own = select(StaffUser).where(StaffUser.role == Role.MANAGER,
                                  StaffUser.is_active_account.is_(True))
    return list(session.scalars(own.where(
        (StaffUser.pod_id == pod_id) | StaffUser.extra_pods.any(Pod.id == pod_id))))


def escalate_due(session: Session, now: datetime, working_hours: float,
                 notify: bool) -> list[Alert]:
    """Escalate every alert left unacknowledged past its deadline; return them."""
    waiting = session.scalars(select(Alert).where(Alert.state == AlertState.NEW)
                              .order_by(Alert.created_at)
                              .with_for_update(skip_locked=True)).all()
    due = [a for a in waiting if add_working_hours(a.created_at, working_hours) <= now]
    for alert in due:
        alert.state = AlertState.ESCALATED
        alert.escalated_at = now
        if notify:
            for manager in managers_of(session, alert):
                session.add(Notification(alert=alert, kind="escalation",
                                         recipient=manager.email))
        audit.record(session, "alert.escalate", object_type="alert", object_id=alert.id)
    session.flush()
    return list(due)


def open_alerts(session: Session, user: StaffUser) -> Sequence[Alert]:
    """Unacknowledged alerts this person must see, oldest first."""
    visible = Alert.case_id.in_(select(Case.id).where(case_scope(user))) | (
        Alert.session_id.in_(select(ParticipationSession.id)
                             .where(ParticipationSession.facilitator_id == user.id)))
    return session.scalars(
        select(Alert).where(Alert.state.in_([AlertState.NEW, AlertState.ESCALATED]), visible)
        .options(selectinload(Alert.case)).order_by(Alert.created_at)).all()
