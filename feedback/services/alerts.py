"""Alerts: raised with the comment, in the same transaction, and sent out through the outbox.

Who an alert belongs to is decided in ``alert_routing``; this module raises,
acknowledges and escalates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    Alert, AlertReason, AlertState, AlertTier, Case, Comment, Notification,
    ParticipationSession, StaffUser, utcnow,
)
from feedback.services import audit
from feedback.services.alert_routing import (
    escalation_recipients, inbox_alerts, new_alert_recipients,
)
from feedback.services.working_time import add_working_hours, is_working_time

#: Help presses from one case or one join code within this window add to one alert.
HELP_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Mail:
    """Alert e-mail is on; out of hours, urgent alerts also go to this mailbox."""

    out_of_hours_email: str = ""


def raise_alert(session: Session, *, reason: AlertReason, case: Case | None = None,
                event: ParticipationSession | None = None, comment: Comment | None = None,
                response_id: int | None = None, tier: AlertTier = AlertTier.URGENT,
                detail: str = "", mail: Mail | None = None) -> Alert:
    """Create an alert and, when mail is on, its outbox rows; flush.

    An urgent alert e-mails its owners (a link, never the words), and out of hours
    the out-of-hours mailbox as well; a concern e-mails nobody.
    """
    alert = Alert(case=case, session=event, comment=comment, response_id=response_id,
                  reason=reason, tier=tier, detail=detail[:500], created_at=utcnow())
    session.add(alert)
    session.flush()
    if mail is not None and tier == AlertTier.URGENT:
        for recipient in new_alert_recipients(session, alert):
            session.add(Notification(alert=alert, kind="new_alert", recipient=recipient))
        if mail.out_of_hours_email and not is_working_time(alert.created_at):
            session.add(Notification(alert=alert, kind="out_of_hours",
                                     recipient=mail.out_of_hours_email))
        session.flush()
    return alert


def recent_help_alert(session: Session, *, case: Case | None,
                      event: ParticipationSession | None, now: datetime) -> Alert | None:
    """Return the open help alert this case or join code raised in the last ten minutes."""
    owner = Alert.case_id == case.id if case is not None else \
        Alert.session_id == (event.id if event is not None else None)
    return session.scalar(
        select(Alert).where(owner, Alert.reason == AlertReason.BUTTON,
                            Alert.state.in_([AlertState.NEW, AlertState.ESCALATED]),
                            Alert.created_at >= now - HELP_WINDOW)
        .order_by(Alert.created_at.desc()).limit(1))


#: What a worker can record on acknowledging an alert (the form adds free text).
ACTIONS = ("spoke_to_child", "referred_front_door", "strategy_discussion",
           "police_informed", "safety_plan", "no_concern")


class AlertStateError(ValueError):
    """The alert is not in a state that allows this."""


def acknowledge(session: Session, alert: Alert, by: StaffUser, action: str, note: str) -> Alert:
    """Record who acknowledged the alert, when, and the action taken; the words it
    showed them are now read."""
    if alert.state not in (AlertState.NEW, AlertState.ESCALATED):
        raise AlertStateError("already acknowledged")
    if action not in ACTIONS:
        raise AlertStateError(f"unknown action {action!r}")
    # Everything read first, so that no lazy load flushes a half-made change.
    shown, by_id, now = alert_comments(alert), by.id, utcnow()
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by_id = by_id
    alert.action_taken = action
    alert.action_note = note.strip() or None
    for comment in shown:
        if comment.read_at is None:
            comment.read_at, comment.read_by_id = now, by_id
    session.flush()
    audit.record(session, "alert.acknowledge", actor=by, object_type="alert",
                 object_id=alert.id, detail={"action": action})
    return alert


def alert_comments(alert: Alert) -> list[Comment]:
    """Return the words the alert page shows: its submission's comments."""
    if alert.response is not None:
        return list(alert.response.comments)
    return [alert.comment] if alert.comment is not None else []


def escalate_due(session: Session, now: datetime, working_hours: float,
                 notify: bool) -> list[Alert]:
    """Escalate every urgent alert left unacknowledged past its deadline; return them."""
    waiting = session.scalars(select(Alert).where(Alert.state == AlertState.NEW,
                                                  Alert.tier == AlertTier.URGENT)
                              .order_by(Alert.created_at)
                              .with_for_update(skip_locked=True)).all()
    due = [a for a in waiting if add_working_hours(a.created_at, working_hours) <= now]
    for alert in due:
        alert.state = AlertState.ESCALATED
        alert.escalated_at = now
        if notify:
            for recipient in escalation_recipients(session, alert):
                session.add(Notification(alert=alert, kind="escalation", recipient=recipient))
        audit.record(session, "alert.escalate", object_type="alert", object_id=alert.id)
    session.flush()
    return list(due)


def open_alerts(session: Session, user: StaffUser) -> Sequence[Alert]:
    """Unacknowledged alerts this person must act on: urgent first, then oldest first."""
    waiting = session.scalars(
        select(Alert).where(Alert.state.in_([AlertState.NEW, AlertState.ESCALATED]))
        .options(selectinload(Alert.case), selectinload(Alert.session))).all()
    mine = inbox_alerts(session, user, waiting)
    return sorted(mine, key=lambda a: (a.tier != AlertTier.URGENT, a.created_at))


def record_listed(session: Session, user: StaffUser, listed: Sequence[Alert],
                  request_id: str | None) -> None:
    """Audit that a list showed this person the opening words of these alerts."""
    shown = [alert.id for alert in listed if alert.comment_id is not None]
    if shown:
        audit.record(session, "alert.list", actor=user, object_type="alert",
                     detail={"alerts": shown}, request_id=request_id)


def session_open_alerts(session: Session, event: ParticipationSession) -> Sequence[Alert]:
    """Unacknowledged alerts of one participation session, urgent first, oldest first."""
    return session.scalars(
        select(Alert).where(Alert.session_id == event.id,
                            Alert.state.in_([AlertState.NEW, AlertState.ESCALATED]))
        .order_by(case((Alert.tier == AlertTier.URGENT, 0), else_=1), Alert.created_at)).all()
