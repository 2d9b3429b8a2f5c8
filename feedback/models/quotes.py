"""Quotes: redacted excerpts approved by a second person for board reports."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow
from feedback.models.responses import Comment


class QuoteState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class Quote(Base):
    """An excerpt of a comment, redacted automatically, approved by someone else."""

    __tablename__ = "quotes"
    __table_args__ = (
        CheckConstraint("state = 'proposed' OR "
                        "(decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
                        name="decided_by_someone"),
        CheckConstraint("decided_by_id IS NULL OR decided_by_id <> proposed_by_id",
                        name="second_person_decides"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                            index=True)
    #: The theme the quote illustrates.
    theme: Mapped[str] = mapped_column(String(40), index=True)
    #: Redacted text; the only child words a board report may carry.
    excerpt: Mapped[str] = mapped_column(Text)
    state: Mapped[QuoteState] = mapped_column(enum_type(QuoteState, "quote_state"),
                                              default=QuoteState.PROPOSED)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id",
                                                           ondelete="RESTRICT"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id",
                                                                 ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]

    comment: Mapped[Comment] = relationship()
