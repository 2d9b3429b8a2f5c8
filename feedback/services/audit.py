"""Write audit events. Never put a child's words in one."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from feedback.models import AuditEvent, Outcome, StaffUser


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
        object_id=None if object_id is None else str(object_id),
        outcome=outcome,
        detail=detail or {},
        request_id=request_id,
    )
    session.add(event)
    session.flush()
    return event
