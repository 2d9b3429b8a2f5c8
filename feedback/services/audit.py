"""Write audit events. Never put a child's words in one."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from feedback.models import AuditEvent, Outcome, StaffUser

#: How long an object's id may be (``audit_events.object_id``).
OBJECT_ID_LENGTH: int = AuditEvent.__table__.c.object_id.type.length  # type: ignore[attr-defined]


def object_id_text(object_id: object) -> str:
    """The id as stored: one longer than the column (a reference someone made up, which
    names nothing) is cut and ends in "…", so the event is still written on PostgreSQL."""
    text = str(object_id)
    return text if len(text) <= OBJECT_ID_LENGTH else text[:OBJECT_ID_LENGTH - 1] + "…"


def record(session: Session, action: str, *, actor: StaffUser | None = None,
           actor_kind: str | None = None, object_type: str | None = None,
           object_id: object = None, outcome: Outcome = Outcome.OK,
           detail: dict[str, Any] | None = None, request_id: str | None = None) -> AuditEvent:
    """Append one audit event and flush it."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_kind=actor_kind or ("staff" if actor is not None else "system"),
        object_type=object_type,
        object_id=None if object_id is None else object_id_text(object_id),
        outcome=outcome,
        detail=detail or {},
        request_id=request_id,
    )
    session.add(event)
    session.flush()
    return event
