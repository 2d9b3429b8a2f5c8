"""The golden thread: plan actions, the comments they answer, and what we tell the child."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    ActionStatus, Case, Comment, CommentLink, PlanAction, Reply, ReplyKind, StaffUser, utcnow,
)
from feedback.services import audit
from feedback.theming import THEME_CODES, load_taxonomy


class PlanError(ValueError):
    """The plan change does not make sense (unknown section, comment of another case…)."""


def plan_sections() -> list[tuple[str, str]]:
    """Return (theme code, plan section) in taxonomy order."""
    return [(theme.code, theme.plan_section) for theme in load_taxonomy()]


def case_plan(session: Session, case: Case) -> Sequence[PlanAction]:
    return session.scalars(
        select(PlanAction).where(PlanAction.case_id == case.id)
        .options(selectinload(PlanAction.links).selectinload(CommentLink.comment),
                 selectinload(PlanAction.replies))
        .order_by(PlanAction.status, PlanAction.due_on, PlanAction.id)).all()


def add_action(session: Session, case: Case, *, title: str, section: str, owner: str,
               due_on: date | None, by: StaffUser, comment: Comment | None = None) -> PlanAction:
    """Add an item to the child's plan, optionally answering a comment."""
    if section not in THEME_CODES:
        raise PlanError(f"unknown plan section {section!r}")
    action = PlanAction(case=case, title=title.strip(), section=section, owner=owner.strip(),
                        due_on=due_on, created_by_id=by.id)
    session.add(action)
    session.flush()
    audit.record(session, "plan.add", actor=by, object_type="plan_action", object_id=action.id)
    if comment is not None:
        link(session, comment, action, by)
    return action


def link(session: Session, comment: Comment, action: PlanAction, by: StaffUser) -> CommentLink:
    """Tie a comment to the plan action that answers it (once)."""
    if comment.response.case_id != action.case_id:
        raise PlanError("the comment and the action belong to different cases")
    existing = session.get(CommentLink, (comment.id, action.id))
    if existing is not None:
        return existing
    new = CommentLink(comment_id=comment.id, plan_action_id=action.id, created_by_id=by.id)
    session.add(new)
    session.flush()
    audit.record(session, "plan.link", actor=by, object_type="comment", object_id=comment.id,
                 detail={"plan_action": action.id})
    return new


def update_action(session: Session, action: PlanAction, status: ActionStatus,
                  outcome: str, by: StaffUser) -> PlanAction:
    action.status = status
    action.outcome = outcome.strip() or None
    session.flush()
    audit.record(session, "plan.update", actor=by, object_type="plan_action",
                 object_id=action.id, detail={"status": status.value})
    return action


def add_reply(session: Session, case: Case, text: str, by: StaffUser, *, shared: bool,
              comment: Comment | None = None, action: PlanAction | None = None,
              kind: ReplyKind = ReplyKind.REPLY) -> Reply:
    """Write "you said, we did" (or the chair's response); share it with the child or not."""
    if comment is not None and comment.response.case_id != case.id:
        raise PlanError("the comment belongs to another case")
    if action is not None and action.case_id != case.id:
        raise PlanError("the action belongs to another case")
    reply = Reply(case=case, comment=comment, plan_action=action, kind=kind, text=text.strip(),
                  is_shared_with_child=shared, shared_at=utcnow() if shared else None,
                  created_by_id=by.id)
    session.add(reply)
    session.flush()
    audit.record(session, "reply.add", actor=by, object_type="reply", object_id=reply.id,
                 detail={"shared": shared, "kind": kind.value})
    return reply


def share_reply(session: Session, reply: Reply, by: StaffUser) -> Reply:
    """Share a reply with the child: they see it next time they open a questionnaire."""
    if not reply.is_shared_with_child:
        reply.is_shared_with_child = True
        reply.shared_at = utcnow()
        session.flush()
        audit.record(session, "reply.share", actor=by, object_type="reply", object_id=reply.id)
    return reply
