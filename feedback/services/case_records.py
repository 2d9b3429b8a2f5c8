"""The child's views for the council's case record: one document, as JSON or PDF.

Marking an export "filed in the case record" is what later lets retention
delete the comments it holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    Case, CaseRecordExport, Comment, CommentLink, PlanAction, Reply, ReplyKind, Response,
    StaffUser, TagStatus, utcnow,
)
from feedback.services import audit

SCHEMA_ID = "urn:voice-of-the-child:case-record:1"
FORMATS = ("pdf", "json")


class ExportError(ValueError):
    """The export cannot be made as asked."""


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user: StaffUser | None) -> str | None:
    return user.name if user is not None else None


def _comment(comment: Comment, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": comment.id,
        "question": comment.question_key,
        "text": comment.text,
        "language": comment.language,
        "sentiment": comment.sentiment.value if comment.sentiment else None,
        "themes": [{"code": t.theme, "status": t.status.value, "origin": t.origin.value}
                   for t in comment.tags if t.status != TagStatus.REMOVED],
        "read_at": _iso(comment.read_at),
        "read_by": names.get(comment.read_by_id or 0),
        "alerts": [{"reason": a.reason.value, "state": a.state.value,
                    "raised_at": _iso(a.created_at), "acknowledged_at": _iso(a.acknowledged_at),
                    "acknowledged_by": names.get(a.acknowledged_by_id or 0),
                    "action": a.action_taken, "note": a.action_note} for a in comment.alerts],
        "plan_actions": [link.plan_action_id for link in comment.links],
        "replies": [_reply(r, names) for r in comment.replies],
    }


def _reply(reply: Reply, names: dict[int, str]) -> dict[str, Any]:
    return {"kind": reply.kind.value, "text": reply.text, "written_at": _iso(reply.created_at),
            "written_by": names.get(reply.created_by_id or 0),
            "shared_with_child": reply.is_shared_with_child, "shared_at": _iso(reply.shared_at)}


def _action(action: PlanAction, names: dict[int, str]) -> dict[str, Any]:
    return {"id": action.id, "title": action.title, "section": action.section,
            "owner": action.owner, "due_on": _iso(action.due_on), "status": action.status.value,
            "outcome": action.outcome, "replies": [_reply(r, names) for r in action.replies]}


def build_record(session: Session, case: Case, start: date, end: date,
                 by: StaffUser) -> dict[str, Any]:
    """Return everything the child said in the dates, with what was done about it."""
    if end < start:
        raise ExportError("the end date is before the start date")
    since = datetime.combine(start, time.min, UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, UTC)
    comments = selectinload(Response.comments)
    responses = session.scalars(
        select(Response).where(Response.case_id == case.id, Response.submitted_at >= since,
                               Response.submitted_at < until)
        .options(comments.selectinload(Comment.tags),
                 comments.selectinload(Comment.alerts),
                 comments.selectinload(Comment.links).selectinload(CommentLink.plan_action),
                 comments.selectinload(Comment.replies),
                 selectinload(Response.answers), selectinload(Response.questionnaire_version))
        .order_by(Response.submitted_at)).all()
    actions = session.scalars(select(PlanAction).where(PlanAction.case_id == case.id)
                              .options(selectinload(PlanAction.replies))
                              .order_by(PlanAction.id)).all()
    chair = session.scalars(select(Reply).where(Reply.case_id == case.id,
                                                Reply.kind == ReplyKind.CHAIR_RESPONSE,
                                                Reply.created_at >= since,
                                                Reply.created_at < until)).all()
    names = {u.id: u.name for u in session.scalars(select(StaffUser))}
    return {
        "$schema": SCHEMA_ID,
        "case_reference": case.reference,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "generated_at": utcnow().isoformat(),
        "generated_by": by.name,
        "responses": [{
            "submitted_at": _iso(r.submitted_at),
            "questionnaire": (r.questionnaire_version.questionnaire.slug
                              if r.questionnaire_version else "help"),
            "questionnaire_version": (r.questionnaire_version.number
                                      if r.questionnaire_version else None),
            "language": r.language,
            "answers": [{"question": a.question_key, "value": a.value} for a in r.answers],
            "comments": [_comment(c, names) for c in r.comments],
        } for r in responses],
        "plan_actions": [_action(a, names) for a in actions],
        "chair_responses": [_reply(r, names) for r in chair],
    }


def record_export(session: Session, case: Case, start: date, end: date, fmt: str,
                  by: StaffUser) -> CaseRecordExport:
    """Note that an export was made (the file itself is not kept)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}")
    export = CaseRecordExport(case=case, from_date=start, to_date=end, format=fmt,
                              created_by_id=by.id)
    session.add(export)
    session.flush()
    audit.record(session, "case.export", actor=by, object_type="case", object_id=case.id,
                 detail={"format": fmt, "from": start.isoformat(), "to": end.isoformat(),
                         "export": export.id})
    return export


def mark_filed(session: Session, export: CaseRecordExport, by: StaffUser) -> CaseRecordExport:
    """Record that the export is now in the council's case record."""
    if export.filed_at is None:
        export.filed_at = utcnow()
        export.filed_by_id = by.id
        session.flush()
        audit.record(session, "case.export_filed", actor=by, object_type="case_record_export",
                     object_id=export.id)
    return export


def exports_of(session: Session, case: Case) -> list[CaseRecordExport]:
    return list(session.scalars(select(CaseRecordExport)
                                .where(CaseRecordExport.case_id == case.id)
                                .order_by(CaseRecordExport.created_at.desc())))
