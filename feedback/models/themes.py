"""Themes on comments, suggested by the machine or decided by a worker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint, Connection, ForeignKey, Index, String, UniqueConstraint, bindparam, delete,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow
from feedback.models.responses import Comment, Response


class TagOrigin(StrEnum):
    AUTO = "auto"
    WORKER = "worker"
    #: The child tapped a picture card with this theme (Express): no machine re-analysis
    #: takes it away; a worker can still confirm or remove it.
    CHILD = "child"


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
        # The machine's themes and the child's (Express cards) are suggestions.
        CheckConstraint("(origin IN ('auto', 'child')) = (status = 'suggested')",
                        name="only_workers_decide"),
        CheckConstraint("origin IN ('auto', 'child') OR decided_by_id IS NOT NULL",
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
    if response_ids is None:
        connection.execute(delete(_themes))
        connection.execute(_INSERT_LIVE_THEMES)
        return
    ids = sorted(set(response_ids))
    for chunk in (ids[n:n + 500] for n in range(0, len(ids), 500)):
        connection.execute(_DELETE_THEMES_OF, {"ids": chunk})
        connection.execute(_INSERT_LIVE_THEMES_OF, {"ids": chunk})


# The statements above, built once (they run with every submission that has themes).
_LIVE_THEMES = (select(Response.id, ThemeTag.theme, Response.submitted_on, Response.case_id)
                .distinct().select_from(Response)
                .join(Comment, Comment.response_id == Response.id)
                .join(ThemeTag, ThemeTag.comment_id == Comment.id)
                .where(ThemeTag.status != TagStatus.REMOVED))
# On the table, not the class: the ORM would take a parameter dict as a bulk insert.
_themes = ResponseTheme.__table__
_THEME_COLUMNS = ["response_id", "theme", "submitted_on", "case_id"]
_INSERT_LIVE_THEMES = insert(_themes).from_select(_THEME_COLUMNS, _LIVE_THEMES)
_INSERT_LIVE_THEMES_OF = insert(_themes).from_select(
    _THEME_COLUMNS, _LIVE_THEMES.where(Response.id.in_(bindparam("ids", expanding=True))))
_DELETE_THEMES_OF = delete(_themes).where(
    _themes.c.response_id.in_(bindparam("ids", expanding=True)))
