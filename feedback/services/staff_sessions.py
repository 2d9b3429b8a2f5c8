"""Staff sessions a person can see and end, and an administrator can end for them.

A row per signed-in session (``StaffSession``): the web session carries its id,
and a request whose row has ended is signed out at once, wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from feedback.models import StaffSession, StaffUser, utcnow
from feedback.services import audit

#: ``last_used_at`` is written at most this often, so a busy page is not a write each time.
TOUCH_EVERY = timedelta(minutes=1)
#: The web session's limits (config: PERMANENT_SESSION_LIFETIME, SESSION_ABSOLUTE_LIFETIME).
IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=12)
#: Ended sessions are listed (and kept) this long, then ``purge_ended`` deletes them.
KEEP_ENDED = timedelta(days=90)


class SessionNotFoundError(LookupError):
    """No such session of this person (or it has ended)."""


def start(session: Session, user: StaffUser, *, method: str, device: str, address: str,
          request_id: str | None = None) -> StaffSession:
    """Record a new signed-in session; flush. The person's long-ended sessions go."""
    purge_ended(session, user)
    row = StaffSession(staff_user_id=user.id, method=method, device=device[:120],
                       address=address[:64])
    session.add(row)
    session.flush()
    audit.record(session, "session.start", actor=user, object_type="staff_session",
                 object_id=row.id, detail={"method": method}, request_id=request_id)
    return row


def check(session: Session, session_id: int, user_id: int,
          now: datetime | None = None) -> Literal["ended", "live", "touched"]:
    """Say whether the session is still on, pushing its ``last_used_at`` now and then
    ("touched": the caller commits that)."""
    now = now or utcnow()
    row = session.execute(select(StaffSession.ended_at, StaffSession.last_used_at)
                          .where(StaffSession.id == session_id,
                                 StaffSession.staff_user_id == user_id)).one_or_none()
    if row is None or row.ended_at is not None:
        return "ended"
    if now - row.last_used_at < TOUCH_EVERY:
        return "live"
    session.execute(update(StaffSession).where(StaffSession.id == session_id)
                    .values(last_used_at=now))
    return "touched"


def active(session: Session, user: StaffUser, *, idle: timedelta = IDLE_LIMIT,
           absolute: timedelta = ABSOLUTE_LIMIT) -> Sequence[StaffSession]:
    """List the person's sessions that are on, the most recently used first.

    A session past the idle or absolute limit is over (its web session is gone or
    refused) even though nobody ended it.
    """
    now = utcnow()
    return session.scalars(select(StaffSession)
                           .where(StaffSession.staff_user_id == user.id,
                                  StaffSession.ended_at.is_(None),
                                  StaffSession.last_used_at > now - idle - TOUCH_EVERY,
                                  StaffSession.created_at > now - absolute)
                           .order_by(StaffSession.last_used_at.desc())).all()


def end(session: Session, user: StaffUser, session_id: int, *, reason: str,
        by: StaffUser | None = None, request_id: str | None = None) -> StaffSession:
    """End one of ``user``'s sessions; flush. Raise ``SessionNotFoundError`` if it is not on."""
    row = session.scalar(select(StaffSession).where(
        StaffSession.id == session_id, StaffSession.staff_user_id == user.id,
        StaffSession.ended_at.is_(None)))
    if row is None:
        raise SessionNotFoundError(session_id)
    row.ended_at, row.end_reason = utcnow(), reason
    session.flush()
    audit.record(session, "session.end", actor=by or user, object_type="staff_session",
                 object_id=row.id, detail={"reason": reason, "staff_user": user.id},
                 request_id=request_id)
    return row


def end_all(session: Session, user: StaffUser, *, reason: str, by: StaffUser | None = None,
            keep: int | None = None, request_id: str | None = None) -> int:
    """End every session of ``user`` (but ``keep``); flush; return how many ended."""
    query = update(StaffSession).where(StaffSession.staff_user_id == user.id,
                                       StaffSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(StaffSession.id != keep)
    ended = session.execute(query.values(ended_at=utcnow(), end_reason=reason)
                            .execution_options(synchronize_session=False))
    count = int(getattr(ended, "rowcount", 0))
    session.flush()
    audit.record(session, "session.end_all", actor=by, object_type="staff_user",
                 object_id=user.id, detail={"reason": reason, "ended": count},
                 request_id=request_id)
    return count


def purge_ended(session: Session, user: StaffUser, now: datetime | None = None) -> int:
    """Delete the person's sessions that ended (or went idle) more than ``KEEP_ENDED`` ago."""
    cutoff = (now or utcnow()) - KEEP_ENDED
    result = session.execute(delete(StaffSession).where(
        StaffSession.staff_user_id == user.id,
        or_(StaffSession.ended_at < cutoff, StaffSession.last_used_at < cutoff))
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0))
