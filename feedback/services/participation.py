"""Participation sessions: anonymous group feedback with a reusable join code."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from feedback.database import DIALECT_INSERTS
from feedback.models import ParticipationSession, Questionnaire, SessionDevice, StaffUser
from feedback.services import audit, codes
from feedback.services.alert_routing import CASEWORK_ROLES


class SessionDatesError(ValueError):
    """The session ends before it starts."""


class SessionFullError(Exception):
    """This device has sent as many responses as the session takes from one device."""


class SafeguardingLeadError(ValueError):
    """The chosen safeguarding lead cannot open alerts (not an active worker or manager)."""


def create_session(session: Session, *, title: str, starts_on: date, ends_on: date,
                   questionnaire: Questionnaire, safeguarding_lead: StaffUser,
                   created_by: StaffUser,
                   request_id: str | None = None) -> tuple[ParticipationSession, str]:
    """Create a session with a fresh join code; its alerts go to its safeguarding lead
    and the duty team. Flush; return it with the plain join code (shown once)."""
    if ends_on < starts_on:
        raise SessionDatesError("a session cannot end before it starts")
    if not can_lead(safeguarding_lead):
        raise SafeguardingLeadError("a safeguarding lead must be an active worker or manager")
    code = codes.new_join_code(session)
    event = ParticipationSession(title=title.strip(), join_code_digest=codes.digest(code),
                                 questionnaire=questionnaire, safeguarding_lead=safeguarding_lead,
                                 created_by_id=created_by.id, starts_on=starts_on,
                                 ends_on=ends_on)
    session.add(event)
    session.flush()
    audit.record(session, "session.create", actor=created_by, object_type="session",
                 object_id=event.id, detail={"safeguarding_lead": safeguarding_lead.id},
                 request_id=request_id)
    return event, code


def replace_join_code(session: Session, event: ParticipationSession, by: StaffUser,
                      request_id: str | None = None) -> str:
    """Give the session a new join code, so the old one stops working; flush and return
    the plain new code (shown once). The audit event never holds either code."""
    code = codes.new_join_code(session)
    event.join_code_digest = codes.digest(code)
    session.flush()
    audit.record(session, "session.new_code", actor=by, object_type="session",
                 object_id=event.id, request_id=request_id)
    return code


def all_sessions(session: Session) -> Sequence[ParticipationSession]:
    """Return every session, the latest first."""
    return session.scalars(select(ParticipationSession).order_by(
        ParticipationSession.starts_on.desc(), ParticipationSession.id.desc())).all()


def can_lead(user: StaffUser) -> bool:
    """Can this person be a session's safeguarding lead (open and act on its alerts)?"""
    return user.is_active_account and user.role in CASEWORK_ROLES


def safeguarding_leads(session: Session) -> Sequence[StaffUser]:
    """Return the staff who can be a session's safeguarding lead: active workers and
    managers."""
    return session.scalars(select(StaffUser).where(StaffUser.is_active_account.is_(True),
                                                   StaffUser.role.in_(CASEWORK_ROLES))
                           .order_by(StaffUser.name, StaffUser.email)).all()


def device_hash(secret: str, session_id: int, device_id: str) -> str:
    """Return how ``session_devices`` knows a device: an HMAC no other session can match."""
    return hmac.new(secret.encode(), f"{session_id}:{device_id}".encode(),
                    hashlib.sha256).hexdigest()


def responses_from(session: Session, session_id: int, device: str) -> int:
    """Return how many responses the device (its ``device_hash``) sent to the session."""
    sent = session.scalar(select(SessionDevice.responses).where(
        SessionDevice.session_id == session_id, SessionDevice.device_hash == device))
    return sent or 0


def check_device(session: Session, session_id: int, device: str, limit: int) -> None:
    """Raise ``SessionFullError`` if the device has sent ``limit`` responses already."""
    if responses_from(session, session_id, device) >= limit:
        raise SessionFullError(f"session {session_id}: {limit} responses from one device")


_devices = SessionDevice.__table__
_COUNT_DEVICE = (
    update(ParticipationSession.__table__)
    .where(ParticipationSession.__table__.c.id == bindparam("event_id"))
    .values(device_count=ParticipationSession.__table__.c.device_count + 1))
#: Per dialect: add the device's row, or bump it while it is under the limit; return the
#: device's count (no row back when it is at the limit already).
_COUNT_RESPONSE = {
    name: dialect_insert(_devices)
    .values(session_id=bindparam("session_id"), device_hash=bindparam("device"), responses=1)
    .on_conflict_do_update(index_elements=[_devices.c.session_id, _devices.c.device_hash],
                           set_={"responses": _devices.c.responses + 1},
                           where=_devices.c.responses < bindparam("limit"))
    .returning(_devices.c.responses)
    for name, dialect_insert in DIALECT_INSERTS.items()}


def count_response(session: Session, session_id: int, device: str, limit: int) -> None:
    """Count one more response from the device, or raise ``SessionFullError`` at the limit.

    One statement adds or bumps the device's row only while it is under the limit (two
    taps at once wait for each other on the row), so the count and the response it
    belongs to go in the same transaction. A device's first response counts it in the
    session's ``device_count``.
    """
    connection = session.connection()
    statement = _COUNT_RESPONSE[connection.dialect.name]
    sent = connection.execute(statement, {"session_id": session_id, "device": device,
                                          "limit": limit}).scalar()
    if sent is None or sent > limit:
        raise SessionFullError(f"session {session_id}: {limit} responses from one device")
    if sent == 1:
        connection.execute(_COUNT_DEVICE, {"event_id": session_id})
