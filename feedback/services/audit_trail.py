"""Searching the audit trail, who read a case, and the subject-access export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from feedback.models import (
    AccessCode, Alert, AuditEvent, Case, CaseRecordExport, Comment, PlanAction, Reply, Response,
    StaffUser,
)

from feedback.services import days
from feedback.services.case_records import RecordWords, build_record

PAGE_SIZE = 50
#: Audit actions that mean a person saw a child's words.
READ_ACTIONS = ("case.view", "alert.view", "comment.view", "plan_action.view", "case.export",
                "case.subject_access", "api.read")


@dataclass(frozen=True)
class Filters:
    action: str = ""
    actor_email: str = ""
    object_type: str = ""
    object_id: str = ""
    start: date | None = None
    end: date | None = None


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.action:
        found.append(AuditEvent.action == filters.action)
    if filters.actor_email:
        found.append(AuditEvent.actor_id.in_(select(StaffUser.id).where(
            StaffUser.email == filters.actor_email.strip().lower())))
    if filters.object_type:
        found.append(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        found.append(AuditEvent.object_id == filters.object_id.strip())
    if filters.start:
        found.append(AuditEvent.occurred_at >= days.start_of(filters.start))
    if filters.end:
        found.append(AuditEvent.occurred_at < days.end_of(filters.end))
    return found


def search(session: Session, filters: Filters, page: int = 1,
           actors_in_pods: frozenset[int] | None = None) -> Sequence[AuditEvent]:
    """Return a page of matching events, newest first (managers: their pods' staff only)."""
    query = select(AuditEvent).where(*_conditions(filters))
    if actors_in_pods is not None:
        query = query.where(AuditEvent.actor_id.in_(
            select(StaffUser.id).where(StaffUser.pod_id.in_(actors_in_pods))))
    return session.scalars(query.order_by(AuditEvent.id.desc())
                           .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)).all()


def _case_objects(session: Session, case: Case) -> ColumnElement[bool]:
    """Match audit events about the case or anything of it."""
    def ids(column: InstrumentedAttribute[int], *where: ColumnElement[bool]) -> list[str]:
        return [str(i) for i in session.scalars(select(column).where(*where))]

    responses = select(Response.id).where(Response.case_id == case.id)
    comments = select(Comment.id).where(Comment.response_id.in_(responses))
    objects = {
        "case": [str(case.id), case.reference],
        "response": ids(Response.id, Response.case_id == case.id),
        "comment": ids(Comment.id, Comment.id.in_(comments)),
        "alert": ids(Alert.id, Alert.case_id == case.id),
        "plan_action": ids(PlanAction.id, PlanAction.case_id == case.id),
        "reply": ids(Reply.id, Reply.case_id == case.id),
        "case_record_export": ids(CaseRecordExport.id, CaseRecordExport.case_id == case.id),
    }
    return or_(false(), *[and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(values))
                          for kind, values in objects.items() if values])


def reads_of_case(session: Session, case: Case) -> Sequence[tuple[AuditEvent, StaffUser | None]]:
    """Who saw this child's words, and when, newest first."""
    return session.execute(
        select(AuditEvent, StaffUser).outerjoin(StaffUser, AuditEvent.actor_id == StaffUser.id)
        .where(AuditEvent.action.in_(READ_ACTIONS), _case_objects(session, case))
        .order_by(AuditEvent.id.desc())).all()


def _event(event: AuditEvent, names: dict[int, str]) -> dict[str, Any]:
    return {"at": event.occurred_at.isoformat(), "who": names.get(event.actor_id or 0),
            "actor_kind": event.actor_kind, "action": event.action,
            "object": f"{event.object_type}:{event.object_id}", "outcome": event.outcome.value}


def subject_access(session: Session, case: Case, by: StaffUser,
                   words: RecordWords) -> dict[str, Any]:
    """Everything held about a child's case, with its audit trail (for a subject-access request)."""
    record = build_record(session, case, date(2000, 1, 1), date.today() + timedelta(days=1), by,
                          words)
    names = {u.id: u.name for u in session.scalars(select(StaffUser))}
    events = session.scalars(select(AuditEvent).where(_case_objects(session, case))
                             .order_by(AuditEvent.id)).all()
    codes = session.scalars(select(AccessCode).where(AccessCode.case_id == case.id)).all()
    exports = session.scalars(select(CaseRecordExport)
                              .where(CaseRecordExport.case_id == case.id)).all()
    return {
        **record,
        "case": {"reference": case.reference, "display_name": case.display_name,
                 "preferred_language": case.preferred_language, "is_open": case.is_open,
                 "is_on_legal_hold": case.is_on_legal_hold, "pod": case.pod.name,
                 "created_at": case.created_at.isoformat()},
        "access_codes": [{"created_at": c.created_at.isoformat(),
                          "expires_at": c.expires_at.isoformat(),
                          "used_at": c.used_at.isoformat() if c.used_at else None}
                         for c in codes],
        "case_record_exports": [{"from": e.from_date.isoformat(), "to": e.to_date.isoformat(),
                                 "format": e.format, "made_at": e.created_at.isoformat(),
                                 "filed_at": e.filed_at.isoformat() if e.filed_at else None}
                                for e in exports],
        "audit_trail": [_event(e, names) for e in events],
    }
