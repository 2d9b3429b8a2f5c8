"""Alerts: a possible disclosure that a named person must act on the same day."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow
from feedback.models.cases import Case
from feedback.models.responses import Comment, Response
from feedback.models.sessions import ParticipationSession
from feedback.models.staff import StaffUser


class AlertReason(StrEnum):
    #: The child pressed "I don't feel safe / I need help now".
    BUTTON = "button"
    #: The safeguarding detector flagged the comment.
    DETECTOR = "detector"
    #: Analysis raised: fail safe, a person reads it.
    DETECTOR_FAILURE = "detector_failure"


class AlertTier(StrEnum):
    #: The child asked for help, the detector is confident, or analysis failed:
    #: read the same day, escalated when late, e-mailed (a link only).
    URGENT = "urgent"
    #: Possible harm, low confidence: highlighted as "read today" in the team's
    #: inbox, with no escalation and no e-mail.
    CONCERN = "concern"


class AlertState(StrEnum):
    NEW = "new"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class Alert(Base):
    """Raised in the same transaction as the comment; shown above everything else."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("(case_id IS NULL) <> (session_id IS NULL)", name="case_xor_session"),
        CheckConstraint("state IN ('new', 'escalated') OR "
                        "(acknowledged_at IS NOT NULL AND acknowledged_by_id IS NOT NULL "
                        "AND action_taken IS NOT NULL)",
                        name="acknowledged_by_someone"),
        CheckConstraint("state <> 'escalated' OR escalated_at IS NOT NULL",
                        name="escalation_has_time"),
        CheckConstraint("presses >= 1", name="presses_positive"),
        CheckConstraint("tier = 'urgent' OR reason = 'detector'", name="only_detector_concerns"),
        Index("ix_alerts_state_created", "state", "created_at"),
        # One submission raises at most one alert (help presses add to theirs).
        Index("ix_alerts_response_id", "response_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                                index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("participation_sessions.id", ondelete="CASCADE"), index=True)
    #: The submission (or help message) that raised it; null for a bare help press.
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"))
    #: The comment to read first. Null when the child pressed the button without writing.
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="RESTRICT"), index=True)
    reason: Mapped[AlertReason] = mapped_column(enum_type(AlertReason, "alert_reason"))
    tier: Mapped[AlertTier] = mapped_column(enum_type(AlertTier, "alert_tier"),
                                            default=AlertTier.URGENT)
    #: How many times the child pressed "I don't feel safe" within the quiet window.
    presses: Mapped[int] = mapped_column(default=1)
    #: Why the detector fired, in staff words ("mentions not wanting to be alive").
    detail: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[AlertState] = mapped_column(enum_type(AlertState, "alert_state"),
                                              default=AlertState.NEW)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    escalated_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="RESTRICT"))
    #: One of the listed actions (see services/alerts.py).
    action_taken: Mapped[str | None] = mapped_column(String(40))
    #: The worker's own note of what they did.
    action_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]

    case: Mapped[Case | None] = relationship()
    session: Mapped[ParticipationSession | None] = relationship()
    response: Mapped[Response | None] = relationship()
    comment: Mapped[Comment | None] = relationship(back_populates="alerts")
    acknowledged_by: Mapped[StaffUser | None] = relationship()
    notifications: Mapped[list[Notification]] = relationship(back_populates="alert")


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    #: Gave up after the last retry; shown to managers.
    FAILED = "failed"


class Notification(Base):
    """Outbox row: one e-mail to send about an alert. It carries a link, never the words."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_notifications_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"),
                                          index=True)
    #: ``new_alert``, ``escalation`` or ``out_of_hours``.
    kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    status: Mapped[NotificationStatus] = mapped_column(
        enum_type(NotificationStatus, "notification_status"), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    alert: Mapped[Alert] = relationship(back_populates="notifications")
