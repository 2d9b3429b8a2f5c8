"""Participation sessions: anonymous group feedback with a reusable join code.

The join code is stored as a digest, like a case's access code: the board sees the
plain code once, when it is made (``participation.create_session``,
``participation.replace_join_code``), and makes a new one if it is lost.

DESIGN.md calls this ``Session``; the class is ``ParticipationSession`` so it
is never confused with a database or web session.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, utcnow
from feedback.models.questionnaires import Questionnaire
from feedback.models.staff import StaffUser


class ParticipationSession(Base):
    """An event where many young people answer anonymously on shared tablets."""

    __tablename__ = "participation_sessions"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("participant_count >= 0", name="participants_not_negative"),
        CheckConstraint("device_count >= 0", name="devices_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: SHA-256 of the normalised join code (``codes.digest``): a copy of the database
    #: lets nobody join. The code itself is reusable for the session's dates, and shown
    #: (and printed) only when it is made.
    join_code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="RESTRICT"))
    #: The worker or manager who owns the session's alerts, with the duty team
    #: (services/alert_routing.py). Null only for sessions made before leads were
    #: required: their alerts go to the duty team.
    safeguarding_lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    #: "Who took part": a bare count, kept apart from what was said.
    participant_count: Mapped[int] = mapped_column(default=0)
    #: Distinct devices that sent a response: the board's small-number gate counts
    #: these, so one tablet sending many answers cannot open it.
    device_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship()
    safeguarding_lead: Mapped[StaffUser | None] = relationship(
        foreign_keys=[safeguarding_lead_id])


class SessionDevice(Base):
    """How many responses one device sent to one session: "who took part", never "what".

    The device is known only by an HMAC of its cookie and the session's id: no link to
    any response, no time at all, nothing another session could match.
    """

    __tablename__ = "session_devices"
    __table_args__ = (
        UniqueConstraint("session_id", "device_hash"),
        CheckConstraint("responses >= 0", name="responses_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("participation_sessions.id", ondelete="CASCADE"))
    #: HMAC-SHA256(SECRET_KEY, "<session id>:<device cookie>"), hex.
    device_hash: Mapped[str] = mapped_column(String(64))
    responses: Mapped[int] = mapped_column(default=0)
