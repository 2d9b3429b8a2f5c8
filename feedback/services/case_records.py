"""The child's views for the council's case record: one document, as JSON or PDF.

Marking an export "filed in the case record" is what later lets retention
delete the comments it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    Alert, Case, CaseRecordExport, Comment, CommentLink, PlanAction, Reply, ReplyKind, Response,
    StaffUser, TagStatus, utcnow,
)
from feedback.services import audit, days
from feedback.services.questionnaires import NOT_SAY, question_text

SCHEMA_ID = "urn:voice-of-the-child:case-record:2"
FORMATS = ("pdf", "json")


class ExportError(ValueError):
    """The export cannot be made as asked."""


@dataclass(frozen=True)
class RecordWords:
    """The words staff read for what is stored as codes, in the reader's language.

    The web layer fills it from the same labels the case page uses, so the file and
    the page say the same ("Very sad", "Home and where I live", "Told the police").
    """

    #: "6 December 2026 at 10:32pm"; and a day, "6 December 2026".
    when: Callable[[datetime], str]
    day: Callable[[date], str]
    #: A language's name from its tag: "ur" -> "Urdu".
    language: Callable[[str], str]
    #: Each scale's words by value ("feelings": "1" -> "Very sad"; "safety" too).
    scales: Mapping[str, Mapping[str, str]]
    #: A scale or cards question the child chose to skip: "I'd rather not say".
    not_say: str
    themes: Mapping[str, str]
    #: Theme code -> the plan section its actions sit in.
    plan_sections: Mapping[str, str]
    action_statuses: Mapping[str, str]
    sentiments: Mapping[str, str]
    alert_reasons: Mapping[str, str]
    alert_states: Mapping[str, str]
    alert_actions: Mapping[str, str]
    #: A theme "suggested" by the machine, or "confirmed" by a worker.
    tag_origins: Mapping[str, str]
    #: The heading of a message sent from the help page, and of its words.
    help_page: str
    help_message: str
    #: "reply" and "chair_response", as a reader would call them.
    reply_kinds: Mapping[str, str]


def answer_words(definition: Mapping[str, Any] | None, key: str, value: str,
                 scales: Mapping[str, Mapping[str, str]], not_say: str) -> str:
    """Return how a scale, choice or cards answer reads: "Very sad", "Not very safe",
    "A bit", "Home, Family" (not "1", "a_bit", "home family")."""
    question = next((q for q in (definition or {}).get("questions", []) if q["key"] == key),
                    None)
    if question is None:
        return value
    if value == NOT_SAY:
        return not_say
    if question["type"] == "faces":
        return scales.get(question.get("scale", "feelings"), {}).get(value, value)
    labels = {option["value"]: str(option["label"].get("en") or option["value"])
              for option in question.get("options", question.get("cards", []))}
    return ", ".join(labels.get(part, part) for part in value.split())


def _when(moment: datetime | None, words: RecordWords) -> str | None:
    return words.when(moment) if moment is not None else None


def _comment(comment: Comment, definition: Mapping[str, Any] | None, names: dict[int, str],
             words: RecordWords) -> dict[str, Any]:
    question = words.help_message if comment.is_help_message else \
        question_text(dict(definition) if definition else None, comment.question_key)
    return {
        "question": question,
        "text": comment.text,
        "language": words.language(comment.language),
        #: BCP 47, for software that shows the words (right to left, the right font).
        "language_tag": comment.language,
        "feeling": words.sentiments.get(comment.sentiment) if comment.sentiment else None,
        "themes": [{"theme": words.themes.get(t.theme, t.theme),
                    "decided": words.tag_origins.get(t.origin, t.origin)}
                   for t in comment.tags if t.status != TagStatus.REMOVED],
        "read": _when(comment.read_at, words),
        "read_by": names.get(comment.read_by_id or 0),
        "alerts": [_alert(a, names, words) for a in comment.alerts],
        "plan_actions": [link.plan_action.title for link in comment.links],
        "replies": [_reply(r, names, words) for r in comment.replies],
    }


def _alert(alert: Alert, names: dict[int, str], words: RecordWords) -> dict[str, Any]:
    return {"reason": words.alert_reasons.get(alert.reason, alert.reason),
            "state": words.alert_states.get(alert.state, alert.state),
            "raised": words.when(alert.created_at),
            "acknowledged": _when(alert.acknowledged_at, words),
            "acknowledged_by": names.get(alert.acknowledged_by_id or 0),
            "action": words.alert_actions.get(alert.action_taken, alert.action_taken)
            if alert.action_taken else None,
            "note": alert.action_note}


def _reply(reply: Reply, names: dict[int, str], words: RecordWords) -> dict[str, Any]:
    return {"kind": words.reply_kinds.get(reply.kind, reply.kind), "text": reply.text,
            "written": words.when(reply.created_at),
            "written_by": names.get(reply.created_by_id or 0),
            "shared_with_child": reply.is_shared_with_child,
            "shared": _when(reply.shared_at, words)}


def _action(action: PlanAction, names: dict[int, str], words: RecordWords) -> dict[str, Any]:
    return {"title": action.title,
            "section": words.plan_sections.get(action.section, action.section),
            "owner": action.owner, "due": words.day(action.due_on) if action.due_on else None,
            "status": words.action_statuses.get(action.status, action.status),
            "outcome": action.outcome,
            "replies": [_reply(r, names, words) for r in action.replies]}


def _response(response: Response, names: dict[int, str], words: RecordWords) -> dict[str, Any]:
    version = response.questionnaire_version
    definition = version.definition if version else None
    return {
        "submitted": _when(response.submitted_at, words),
        "questionnaire": str(definition["title"]["en"]) if definition else words.help_page,
        "questionnaire_version": version.number if version else None,
        "language": words.language(response.language),
        "answers": [{"question": question_text(definition, a.question_key),
                     "answer": answer_words(definition, a.question_key, a.value,
                                            words.scales, words.not_say)}
                    for a in sorted(response.answers, key=lambda a: _order(definition, a))],
        "comments": [_comment(c, definition, names, words) for c in
                     sorted(response.comments, key=lambda c: _order(definition, c))],
    }


def _order(definition: Mapping[str, Any] | None, item: Any) -> tuple[int, str]:
    """Sort answers and comments as the questionnaire asked them (houses in their order)."""
    keys = [f"{q['key']}.{h['key']}" for q in (definition or {}).get("questions", [])
            for h in q.get("houses", [{"key": ""}])]
    key = item.question_key if "." in item.question_key else f"{item.question_key}."
    return (keys.index(key) if key in keys else len(keys), item.question_key)


def build_record(session: Session, case: Case, start: date, end: date,
                 by: StaffUser, words: RecordWords) -> dict[str, Any]:
    """Return everything the child said in the dates, with what was done about it, in
    the words the case page uses."""
    if end < start:
        raise ExportError("the end date is before the start date")
    since, until = days.start_of(start), days.end_of(end)
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
        "period": {"from": words.day(start), "to": words.day(end)},
        "generated": words.when(utcnow()),
        "generated_by": by.name,
        "responses": [_response(r, names, words) for r in responses],
        "plan_actions": [_action(a, names, words) for a in actions],
        "chair_responses": [_reply(r, names, words) for r in chair],
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
