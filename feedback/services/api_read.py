"""What the read-only API gives the case-management system, as plain JSON-ready dicts.

Only cases in the token's pods exist for it: anything else is ``OutOfScopeError``,
the same 404 as a missing case. Only case responses are ever read (the queries go
through ``cases``), so nothing of an anonymous participation session can leave by
this road. Codes travel with their English words ("1" with "Very sad", ``school``
with "School and learning") so that the other system can store either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    Alert, Answer, Case, Comment, PlanAction, QuestionnaireVersion, Reply, ReplyKind,
    Response, TagStatus,
)
from feedback.services.casework import last_heard
from feedback.services.errors import OutOfScopeError
from feedback.services.questionnaires import question_text

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class ApiWords:
    """The English words sent beside each code, from the labels the staff pages use."""

    #: How an answer reads: (questionnaire definition, question key, value) -> "Very sad".
    answer: Callable[[Mapping[str, Any] | None, str, str], str]
    #: Theme code -> its name; theme code -> the plan section its actions sit in.
    themes: Mapping[str, str]
    plan_sections: Mapping[str, str]


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int


def in_pods(pod_ids: Sequence[int]) -> ColumnElement[bool]:
    """A filter on ``Case``: the token's pods, or nothing at all."""
    return Case.pod_id.in_(pod_ids) if pod_ids else false()


def iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def case_page(session: Session, pod_ids: Sequence[int], page: int, per_page: int) -> Page:
    """Return one page of the cases in these pods, by reference."""
    per_page = min(max(per_page, 1), MAX_PAGE_SIZE)
    page = max(page, 1)
    total = session.scalar(select(func.count()).select_from(Case).where(in_pods(pod_ids))) or 0
    cases = session.scalars(select(Case).where(in_pods(pod_ids))
                            .options(selectinload(Case.pod)).order_by(Case.reference)
                            .limit(per_page).offset((page - 1) * per_page)).all()
    heard = last_heard(session, [case.id for case in cases])
    return Page([case_summary(case, heard.get(case.id)) for case in cases], total, page,
                per_page)


def case_in_pods(session: Session, pod_ids: Sequence[int], reference: str) -> Case:
    """Load a case by its reference if it is in these pods; else ``OutOfScopeError``."""
    case = session.scalar(select(Case).where(Case.reference == reference, in_pods(pod_ids))
                          .options(selectinload(Case.pod)))
    if case is None:
        raise OutOfScopeError("case", reference)
    return case


def case_summary(case: Case, last_response_at: datetime | None) -> dict[str, Any]:
    return {"reference": case.reference, "pod": case.pod.name, "is_open": case.is_open,
            "preferred_language": case.preferred_language, "age_band": case.age_band,
            "created_at": iso(case.created_at), "closed_at": iso(case.closed_at),
            "last_response_at": iso(last_response_at)}


def _with_everything(statement: Any) -> Any:
    comments = selectinload(Response.comments)
    return statement.options(
        selectinload(Response.case),
        selectinload(Response.answers), selectinload(Response.alerts),
        selectinload(Response.questionnaire_version)
        .selectinload(QuestionnaireVersion.questionnaire),
        comments.selectinload(Comment.tags), comments.selectinload(Comment.alerts),
        comments.selectinload(Comment.links), comments.selectinload(Comment.replies))


def case_record(session: Session, case: Case, words: ApiWords,
                since: datetime | None = None) -> dict[str, Any]:
    """Return the case's responses (submitted at or after ``since``), its plan and the
    chair's responses."""
    found = select(Response).where(Response.case_id == case.id,
                                   Response.session_id.is_(None))
    if since is not None:
        found = found.where(Response.submitted_at >= since)
    found = _with_everything(found).order_by(Response.submitted_at, Response.id)
    responses = session.scalars(found).all()
    actions = session.scalars(select(PlanAction).where(PlanAction.case_id == case.id)
                              .options(selectinload(PlanAction.links),
                                       selectinload(PlanAction.replies))
                              .order_by(PlanAction.id)).all()
    chair = session.scalars(select(Reply).where(Reply.case_id == case.id,
                                                Reply.kind == ReplyKind.CHAIR_RESPONSE)
                            .order_by(Reply.created_at, Reply.id)).all()
    heard = last_heard(session, [case.id])
    return {"case": case_summary(case, heard.get(case.id)),
            "responses": [response_json(r, words) for r in responses],
            "plan_actions": [_action(a, words) for a in actions],
            "chair_responses": [_reply(r) for r in chair]}


@dataclass(frozen=True)
class Feed:
    items: list[dict[str, Any]]
    #: Pass as ``after`` for the next page; None when there is nothing more yet.
    next_after: int | None
    #: Case id -> the ids of its responses given, for the audit trail.
    read: dict[int, list[int]]


def responses_after(session: Session, pod_ids: Sequence[int], after: int, limit: int,
                    words: ApiWords, since: datetime | None = None) -> Feed:
    """Return the responses of cases in these pods stored after response ``after``, in the
    order they arrived."""
    limit = min(max(limit, 1), MAX_PAGE_SIZE)
    found = (select(Response).join(Case, Response.case_id == Case.id)
             .where(in_pods(pod_ids), Response.session_id.is_(None), Response.id > after))
    if since is not None:
        found = found.where(Response.submitted_at >= since)
    rows = session.scalars(_with_everything(found).order_by(Response.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    read: dict[int, list[int]] = {}
    for row in rows:
        read.setdefault(row.case_id or 0, []).append(row.id)
    return Feed([response_json(r, words) for r in rows], rows[-1].id if more else None, read)


def response_json(response: Response, words: ApiWords) -> dict[str, Any]:
    version = response.questionnaire_version
    definition = version.definition if version else None
    return {
        "id": response.id,
        "case_reference": response.case.reference if response.case else None,
        "submitted_at": iso(response.submitted_at),
        "language": response.language,
        "age_band": response.age_band.value if response.age_band else None,
        "questionnaire": {"slug": version.questionnaire.slug,
                          "title": str(definition["title"]["en"]) if definition else "",
                          "version": version.number} if version else None,
        "answers": [{"question_key": a.question_key,
                     "question": question_text(definition, a.question_key),
                     "value": a.value,
                     "label": words.answer(definition, a.question_key, a.value)}
                    for a in sorted(response.answers, key=lambda a: _position(definition, a))],
        "comments": [_comment(c, definition, words) for c in
                     sorted(response.comments, key=lambda c: _position(definition, c))],
        # An alert the submission raised without a comment (the help button alone).
        "alerts": [_alert(a) for a in response.alerts if a.comment_id is None],
    }


def _position(definition: Mapping[str, Any] | None, item: Answer | Comment) -> tuple[int, str]:
    """Answers and comments in the order the questionnaire asked them."""
    keys = [q["key"] for q in (definition or {}).get("questions", [])]
    base = item.question_key.partition(".")[0]
    return (keys.index(base) if base in keys else len(keys), item.question_key)


def _comment(comment: Comment, definition: Mapping[str, Any] | None,
             words: ApiWords) -> dict[str, Any]:
    return {
        "id": comment.id,
        "question_key": comment.question_key,
        "question": question_text(dict(definition) if definition else None,
                                  comment.question_key),
        "text": comment.text,
        "language": comment.language,
        "sentiment": comment.sentiment.value if comment.sentiment else None,
        "needs_review": comment.needs_review,
        "is_help_message": comment.is_help_message,
        "read_at": iso(comment.read_at),
        "themes": [{"code": t.theme, "label": words.themes.get(t.theme, t.theme),
                    "origin": t.origin.value, "status": t.status.value,
                    "confidence": t.confidence}
                   for t in comment.tags if t.status != TagStatus.REMOVED],
        "safeguarding": {"flagged": comment.raised_alert,
                         "alerts": [_alert(a) for a in comment.alerts]},
        "plan_action_ids": sorted(link.plan_action_id for link in comment.links),
        "replies": [_reply(r) for r in comment.replies],
    }


def _alert(alert: Alert) -> dict[str, Any]:
    return {"id": alert.id, "reason": alert.reason.value, "tier": alert.tier.value,
            "state": alert.state.value, "raised_at": iso(alert.created_at),
            "acknowledged_at": iso(alert.acknowledged_at), "action_taken": alert.action_taken}


def _reply(reply: Reply) -> dict[str, Any]:
    return {"id": reply.id, "kind": reply.kind.value, "text": reply.text,
            "comment_id": reply.comment_id, "plan_action_id": reply.plan_action_id,
            "is_shared_with_child": reply.is_shared_with_child,
            "shared_at": iso(reply.shared_at), "created_at": iso(reply.created_at)}


def _action(action: PlanAction, words: ApiWords) -> dict[str, Any]:
    return {"id": action.id, "title": action.title,
            "section": {"code": action.section,
                        "label": words.plan_sections.get(action.section, action.section)},
            "owner": action.owner, "due_on": iso(action.due_on),
            "status": action.status.value, "outcome": action.outcome,
            "created_at": iso(action.created_at),
            "comment_ids": sorted(link.comment_id for link in action.links),
            "replies": [_reply(r) for r in action.replies]}


def last_response_at(session: Session, case: Case) -> datetime | None:
    return last_heard(session, [case.id]).get(case.id)
