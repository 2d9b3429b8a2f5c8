"""Retention: delete children's words when the service no longer needs to hold them.

Deleted: anonymous session responses older than the session period; case
responses whose export was filed in the council's case record longer ago
than the case period. Never deleted: anything with an alert nobody has
acknowledged, anything of a case under legal hold, and case comments not yet
filed in the case record. Deleting a response removes its words everywhere
this service holds them: answers, comments, themes (and the board's
``response_themes`` rows), quotes, links and replies go with it, by the
database's cascades; acknowledged alerts keep their record of who did what
but lose the link to the words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Exists, and_, delete, exists, select, update
from sqlalchemy.orm import Session

from feedback.models import (
    Alert, AlertState, Case, CaseRecordExport, Comment, Notification, NotificationStatus,
    Response, WebSession,
)
from feedback.services import audit, codes

OPEN_STATES = (AlertState.NEW, AlertState.ESCALATED)
#: The outbox keeps a sent e-mail's row this long (it holds no child data).
SENT_MAIL_KEPT = timedelta(days=90)


@dataclass
class RetentionReport:
    """What retention deleted (or would delete), and what it kept back and why."""

    deleted_session: int = 0
    deleted_case: int = 0
    expired_web_sessions: int = 0
    sent_notifications: int = 0
    old_drafts: int = 0
    kept: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [f"anonymous session responses deleted: {self.deleted_session}",
               f"case responses deleted: {self.deleted_case}",
               f"expired web sessions (drafts) deleted: {self.expired_web_sessions}",
               f"sent alert e-mails older than 90 days deleted: {self.sent_notifications}",
               f"answers kept with closed or expired access codes deleted: {self.old_drafts}"]
        out += [f"kept, {reason}: {count}" for reason, count in sorted(self.kept.items())]
        return out


def _open_alert_on(response_id: object) -> Exists:
    return exists().where(Alert.comment_id == Comment.id, Comment.response_id == response_id,
                          Alert.state.in_(OPEN_STATES))


def _filed_cover(now: datetime, case_days: int) -> Exists:
    """A filed export of this response's case covers its day, filed long enough ago."""
    return exists().where(
        CaseRecordExport.case_id == Response.case_id,
        CaseRecordExport.filed_at.is_not(None),
        CaseRecordExport.filed_at < now - timedelta(days=case_days),
        CaseRecordExport.from_date <= Response.submitted_on,
        CaseRecordExport.to_date >= Response.submitted_on)


def _session_candidates(session: Session, now: datetime, session_days: int,
                        report: RetentionReport) -> list[int]:
    old = select(Response.id, _open_alert_on(Response.id).label("alerted")).where(
        Response.session_id.is_not(None),
        Response.submitted_on < (now - timedelta(days=session_days)).date())
    ids = []
    for response_id, alerted in session.execute(old):
        if alerted:
            report.kept["an alert is not yet acknowledged"] += 1
        else:
            ids.append(response_id)
    return ids


def _case_candidates(session: Session, now: datetime, case_days: int,
                     report: RetentionReport) -> list[int]:
    rows = session.execute(
        select(Response.id, Case.is_on_legal_hold, _filed_cover(now, case_days).label("filed"),
               _open_alert_on(Response.id).label("alerted"))
        .join(Case, Response.case_id == Case.id)
        .where(Response.submitted_on < (now - timedelta(days=case_days)).date()))
    ids = []
    for response_id, on_hold, filed, alerted in rows:
        if on_hold:
            report.kept["the case is under legal hold"] += 1
        elif alerted:
            report.kept["an alert is not yet acknowledged"] += 1
        elif not filed:
            report.kept["not yet filed in the case record (or filed too recently)"] += 1
        else:
            ids.append(response_id)
    return ids


def _delete_responses(session: Session, ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        words = select(Comment.id).where(Comment.response_id.in_(chunk))
        # The record of who acted on an alert stays; the link to the words goes.
        session.execute(update(Alert).where(Alert.comment_id.in_(words))
                        .values(comment_id=None))
        session.execute(delete(Response).where(Response.id.in_(chunk)))


def apply(session: Session, now: datetime, *, session_days: int, case_days: int,
          dry_run: bool = False) -> RetentionReport:
    """Delete what retention allows (or only report it, on a dry run); flush."""
    report = RetentionReport()
    session_ids = _session_candidates(session, now, session_days, report)
    case_ids = _case_candidates(session, now, case_days, report)
    report.deleted_session, report.deleted_case = len(session_ids), len(case_ids)
    expired = session.scalars(select(WebSession.id).where(WebSession.expires_at < now)).all()
    report.expired_web_sessions = len(expired)
    old_mail = select(Notification.id).where(Notification.status == NotificationStatus.SENT,
                                             Notification.sent_at < now - SENT_MAIL_KEPT)
    report.sent_notifications = len(session.scalars(old_mail).all())
    if not dry_run:
        session.execute(delete(Notification).where(Notification.id.in_(old_mail)))
        _delete_responses(session, session_ids + case_ids)
        session.execute(delete(WebSession).where(and_(WebSession.expires_at < now)))
        report.old_drafts = codes.forget_old_drafts(session, now)
        audit.record(session, "retention.apply", actor_kind="system",
                     detail={"session_responses": len(session_ids),
                             "case_responses": len(case_ids),
                             "kept": dict(report.kept)})
    session.flush()
    return report
