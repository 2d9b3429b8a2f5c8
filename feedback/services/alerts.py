"""Alerts: raised with the comment, in the same transaction, and sent out through the outbox."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import (
    Alert, AlertReason, Case, Comment, Notification, ParticipationSession, Role, StaffUser,
)


def recipients_for(session: Session, case: Case | None,
                   event: ParticipationSession | None) -> list[str]:
    """Return who is told about a new alert: the pod's mailbox (or its people), or the facilitator."""
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
