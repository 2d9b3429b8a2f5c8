"""The one access rule: casework staff see their pods' cases; nobody else sees case text.

Every loader here raises ``OutOfScopeError`` both when the object is missing
and when it belongs to another pod, so the two are indistinguishable (404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from feedback.models import (
    Alert, Case, CaseRecordExport, Comment, ParticipationSession, PlanAction, Reply, Response,
    StaffUser,
)
from feedback.services.errors import OutOfScopeError
from feedback.services.alert_routing import can_open, owners_for


def case_scope(user: StaffUser) -> ColumnElement[bool]:
    """Return a filter on ``Case`` matching the cases this person may see."""
    pod_ids = user.pod_ids
    return Case.pod_id.in_(pod_ids) if pod_ids else false()


def case_for(session: Session, user: StaffUser, reference: str) -> Case:
    """Load a case by its reference, if this person may see it."""
    case = session.scalar(select(Case).where(Case.reference == reference, case_scope(user)))
    if case is None:
        raise OutOfScopeError("case", reference)
    return case


def response_for(session: Session, user: StaffUser, response_id: int) -> Response:
    """Load an identified response, if its case is in scope (anonymous ones never are)."""
    response = session.scalar(select(Response).join(Case, Response.case_id == Case.id)
                              .where(Response.id == response_id, case_scope(user)))
    if response is None:
        raise OutOfScopeError("response", response_id)
    return response


def comment_for(session: Session, user: StaffUser, comment_id: int) -> Comment:
    """Load a comment on a case in scope."""
    comment = session.scalar(
        select(Comment).join(Response, Comment.response_id == Response.id)
        .join(Case, Response.case_id == Case.id)
        .where(Comment.id == comment_id, case_scope(user)))
    if comment is None:
        raise OutOfScopeError("comment", comment_id)
    return comment


def alert_for(session: Session, user: StaffUser, alert_id: int) -> Alert:
    """Load an alert this person owns (services/alert_routing.py decides who does)."""
    alert = session.get(Alert, alert_id)
    if alert is None or not can_open(session, user, alert):
        raise OutOfScopeError("alert", alert_id)
    return alert


def session_for(session: Session, user: StaffUser, session_id: int) -> ParticipationSession:
    """Load a participation session whose alerts this person owns (its safeguarding lead,
    the lead's team, the duty team)."""
    event = session.get(ParticipationSession, session_id)
    if event is None or not any(owner.id == user.id
                                for owner in owners_for(session, None, event).everyone):
        raise OutOfScopeError("session", session_id)
    return event


def plan_action_for(session: Session, user: StaffUser, action_id: int) -> PlanAction:
    """Load a plan action of a case in scope."""
    action = session.scalar(select(PlanAction).join(Case, PlanAction.case_id == Case.id)
                            .where(PlanAction.id == action_id, case_scope(user)))
    if action is None:
        raise OutOfScopeError("plan_action", action_id)
    return action


def reply_for(session: Session, user: StaffUser, reply_id: int) -> Reply:
    """Load a reply on a case in scope."""
    reply = session.scalar(select(Reply).join(Case, Reply.case_id == Case.id)
                           .where(Reply.id == reply_id, case_scope(user)))
    if reply is None:
        raise OutOfScopeError("reply", reply_id)
    return reply


def export_for(session: Session, user: StaffUser, export_id: int) -> CaseRecordExport:
    """Load a case-record export of a case in scope."""
    export = session.scalar(select(CaseRecordExport)
                            .join(Case, CaseRecordExport.case_id == Case.id)
                            .where(CaseRecordExport.id == export_id, case_scope(user)))
    if export is None:
        raise OutOfScopeError("case_record_export", export_id)
    return export
