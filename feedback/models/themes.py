"""Themes on comments, suggested by the machine or decided by a worker."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow
from feedback.models.responses import Comment


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
