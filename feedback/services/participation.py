"""Participation sessions: anonymous group feedback with a reusable join code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import ParticipationSession, Questionnaire, StaffUser
from feedback.services import audit, codes


class SessionDatesError(ValueError):
    """The session ends before it starts."""


def create_session(session: Session, *, title: str, starts_on: date, ends_on: date,
                   questionnaire: Questionnaire, facilitator: StaffUser,
                   created_by: StaffUser) -> ParticipationSession:
    """Create a session with a fresh join code; its alerts go to the facilitator. Flush."""
    if ends_on < starts_on:
        raise SessionDatesError("a session cannot end before it starts")
    event = ParticipationSession(title=title.strip(), join_code=codes.new_join_code(session),
                                 questionnaire=questionnaire, facilitator=facilitator,
                                 created_by_id=created_by.id, starts_on=starts_on,
                                 ends_on=ends_on)
    session.add(event)
    session.flush()
    audit.record(session, "session.create", actor=created_by, object_type="session",
                 object_id=event.id, detail={"facilitator": facilitator.id})
    return event


def all_sessions(session: Session) -> Sequence[ParticipationSession]:
    """Return every session, the latest first."""
    return session.scalars(select(ParticipationSession).order_by(
        ParticipationSession.starts_on.desc(), ParticipationSession.id.desc())).all()


def facilitators(session: Session) -> Sequence[StaffUser]:
    """Return the staff who can receive a session's alerts (active accounts)."""
    return session.scalars(select(StaffUser).where(StaffUser.is_active_account.is_(True))
                           .order_by(StaffUser.name, StaffUser.email)).all()
