"""The audit trail: append-only, enforced by the database itself."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DDL, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base, enum_type, utcnow


class Outcome(StrEnum):
    OK = "ok"
    DENIED = "denied"
    FAILED = "failed"


class AuditEvent(Base):
    """Who did what to which object, and how it ended. Never a child's words."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_actor_at", "actor_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id",
                                                            ondelete="RESTRICT"))
    #: ``staff``, ``child``, ``system``, ``anonymous`` or ``api`` (a request made with an
    #: API token, named in ``detail``: docs/api.md).
    actor_kind: Mapped[str] = mapped_column(String(16))
    #: Dotted verb, e.g. ``case.view``, ``auth.sign_in``, ``access.denied``.
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome, "outcome"))
    #: Small structured facts (ids, counts, formats). Never free text a child wrote.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The request that caused it, to match the error page a person saw.
    request_id: Mapped[str | None] = mapped_column(String(32))


# Append-only: the database refuses UPDATE and DELETE whoever asks.
SQLITE_APPEND_ONLY = [
    f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRESQL_APPEND_ONLY = [
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
]

for _statement in SQLITE_APPEND_ONLY:
    event.listen(AuditEvent.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_APPEND_ONLY:
    event.listen(AuditEvent.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
event.listen(AuditEvent.__table__, "before_drop",
             DDL("DROP FUNCTION IF EXISTS audit_events_append_only() CASCADE")
             .execute_if(dialect="postgresql"))
