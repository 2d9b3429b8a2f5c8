"""Themes on comments, suggested by the machine or decided by a worker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint, Connection, ForeignKey, Index, String, UniqueConstraint, delete, insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow
from feedback.models.responses import Comment, Response


class TagOrigin(StrEnum):
    AUTO = "auto"
    WORKER = "worker"


class TagStatus(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    #: Kept so that re-tagging never puts back a theme a worker took off.
    REMOVED = "removed"


class ThemeTag(Base):
    """Comment × theme. A worker's decision is never overwritten by the machine."""

    __tablename__ = "theme_tags"
    __table_args__ = (
        UniqueConstraint("comment_id", "theme"),
        CheckConstraint("(origin = 'auto') = (status = 'suggested')",
                        name="only_workers_decide"),
        CheckConstraint("origin = 'auto' OR decided_by_id IS NOT NULL",
                        name="worker_tag_has_worker"),
        Index("ix_theme_tags_theme_status", "theme", "status"),
        # Board summaries: a comment's live themes, from the index alone.
        Index("ix_theme_tags_board", "comment_id", "status", "theme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: A code from the taxonomy (feedback/theming), e.g. ``school``.
    theme: Mapped[str] = mapped_column(String(40))
    origin: Mapped[TagOrigin] = mapped_column(enum_type(TagOrigin, "tag_origin"))
    status: Mapped[TagStatus] = mapped_column(enum_type(TagStatus, "tag_status"))
    confidence: Mapped[float | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="tags")


class ResponseTheme(Base):
    """A response and a theme it carries: one row while any of its comments has a live tag.

    Derived from ``theme_tags`` so that the board's counts read one narrow table
    instead of joining responses, comments and tags: a response counts once per
    theme however many of its comments carry it. ``submitted_on`` and ``case_id``
    are copies of the response's own (neither changes).

    Kept one way: every service function that adds, decides or removes a tag calls
    ``refresh_response_themes`` for the tag's response (``analysis.apply_auto_tags``,
    ``casework.decide_theme``, ``submissions.submit``); deleting a response deletes
    its rows by the foreign key's cascade. tests/test_response_theme_paths.py fails a
    tag-changing path that forgets.
    """

    __tablename__ = "response_themes"
    __table_args__ = (
        Index("ix_response_themes_board", "submitted_on", "theme", "case_id"),
    )

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), primary_key=True)
    submitted_on: Mapped[date]
    case_id: Mapped[int | None]


def refresh_response_themes(connection: Connection | Session,
                            response_ids: Iterable[int] | None = None) -> None:
    """Rebuild the ``response_themes`` rows of these responses (all, if None) from their tags.

    The one way the table is written: call it, after a flush, wherever tags change.
    """
    ids = None if response_ids is None else sorted(set(response_ids))
    if ids == []:
        return
    live = (select(Response.id, ThemeTag.theme, Response.submitted_on, Response.case_id)
            .distinct().select_from(Response)
            .join(Comment, Comment.response_id == Response.id)
            .join(ThemeTag, ThemeTag.comment_id == Comment.id)
            .where(ThemeTag.status != TagStatus.REMOVED))
    for chunk in [None] if ids is None else [ids[n:n + 500] for n in range(0, len(ids), 500)]:
        rows, query = delete(ResponseTheme), live
        if chunk is not None:
            rows = rows.where(ResponseTheme.response_id.in_(chunk))
            query = query.where(Response.id.in_(chunk))
        connection.execute(rows)
        connection.execute(insert(ResponseTheme).from_select(
            ["response_id", "theme", "submitted_on", "case_id"], query))
