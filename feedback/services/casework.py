"""Reading a child's case: the timeline, marking comments read, and deciding themes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    Alert, Case, Comment, CommentLink, Response, StaffUser, TagOrigin, TagStatus, ThemeTag,
    refresh_response_themes, utcnow,
)
from feedback.services import audit
from feedback.theming import THEME_CODES

PAGE_SIZE = 20


class ThemeError(ValueError):
    """Not a theme of the taxonomy, or not a decision a worker can make."""


@dataclass(frozen=True)
class Timeline:
    responses: Sequence[Response]
    page: int
    pages: int
    total: int


#: What a case page can be narrowed to: every response, those with unread words,
#: those that raised an alert (``response`` picks one response by id instead).
SHOWS = ("all", "unread", "alerts")


def _shown(case: Case, show: str, response_id: int | None) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [Response.case_id == case.id]
    if response_id is not None:
        found.append(Response.id == response_id)
    elif show == "unread":
        found.append(exists().where(Comment.response_id == Response.id,
                                    Comment.read_at.is_(None)))
    elif show == "alerts":
        found.append(or_(exists().where(Alert.response_id == Response.id),
                         exists().where(Alert.comment_id == Comment.id,
                                        Comment.response_id == Response.id)))
    return found


def case_timeline(session: Session, case: Case, page: int = 1,
                  per_page: int = PAGE_SIZE, show: str = "all",
                  response_id: int | None = None) -> Timeline:
    """Return one page of the case's responses, newest first, with everything shown loaded;
    only those ``show`` names (see ``SHOWS``), or the one response asked for.

    The number of queries does not grow with the number of comments.
    """
    shown = _shown(case, show, response_id)
    total = session.scalar(select(func.count()).select_from(Response).where(*shown)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    comments = selectinload(Response.comments)
    responses = session.scalars(
        select(Response).where(*shown)
        .options(comments.selectinload(Comment.tags),
                 comments.selectinload(Comment.alerts).selectinload(Alert.acknowledged_by),
                 comments.selectinload(Comment.links).selectinload(CommentLink.plan_action),
                 comments.selectinload(Comment.replies),
                 comments.selectinload(Comment.read_by),
                 selectinload(Response.answers), selectinload(Response.alerts),
                 selectinload(Response.questionnaire_version))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    return Timeline(responses, page, pages, total)


def mark_read(session: Session, comments: Sequence[Comment], by: StaffUser) -> int:
    """Mark unread comments as read by this person; return how many changed."""
    ids = [c.id for c in comments if c.read_at is None]
    if not ids:
        return 0
    session.execute(update(Comment).where(Comment.id.in_(ids), Comment.read_at.is_(None))
                    .values(read_at=utcnow(), read_by_id=by.id))
    audit.record(session, "comment.read", actor=by, object_type="comment",
                 object_id=ids[0], detail={"comments": ids})
    session.expire_all()
    return len(ids)


def decide_theme(session: Session, comment: Comment, theme: str, keep: bool,
                 by: StaffUser) -> ThemeTag:
    """Confirm or add (keep) or remove a theme, and the response's board rows with it; the
    machine never undoes this."""
    if theme not in THEME_CODES:
        raise ThemeError(f"unknown theme {theme!r}")
    by_id = by.id  # read first: loading it must not flush a half-decided tag
    tag = session.scalar(select(ThemeTag).where(ThemeTag.comment_id == comment.id,
                                                ThemeTag.theme == theme))
    if tag is None:
        tag = ThemeTag(comment_id=comment.id, theme=theme)
        session.add(tag)
    tag.origin = TagOrigin.WORKER
    tag.status = TagStatus.CONFIRMED if keep else TagStatus.REMOVED
    tag.decided_by_id = by_id
    tag.decided_at = utcnow()
    session.flush()
    refresh_response_themes(session, [comment.response_id])
    audit.record(session, "theme.confirm" if keep else "theme.remove", actor=by,
                 object_type="comment", object_id=comment.id, detail={"theme": theme})
    return tag


def unread_by_case(session: Session, case_ids: Sequence[int]) -> dict[int, int]:
    """Return the number of unread comments per case."""
    rows = session.execute(
        select(Response.case_id, func.count(Comment.id))
        .join(Comment, Comment.response_id == Response.id)
        .where(Response.case_id.in_(case_ids), Comment.read_at.is_(None))
        .group_by(Response.case_id)).all()
    return {case_id: count for case_id, count in rows if case_id is not None}


def last_heard(session: Session, case_ids: Sequence[int]) -> dict[int, datetime]:
    """Return when each case last sent a response."""
    rows = session.execute(select(Response.case_id, func.max(Response.submitted_at))
                           .where(Response.case_id.in_(case_ids))
                           .group_by(Response.case_id)).all()
    # Neither is None (the query asks for given cases), but the columns may be: say so.
    return {case_id: when for case_id, when in rows if case_id is not None and when is not None}
