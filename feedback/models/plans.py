"""The golden thread: plan actions, the comments they answer, and replies to the child."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow
from feedback.models.cases import Case
from feedback.models.responses import Comment


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class PlanAction(Base):
    """An item of the child's plan, in a section from the taxonomy's plan column."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    #: Theme code whose plan section this action sits in.
    section: Mapped[str] = mapped_column(String(40))
    #: Who will do it (a person or agency; not necessarily a user).
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(enum_type(ActionStatus, "action_status"),
                                                 default=ActionStatus.OPEN)
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    links: Mapped[list[CommentLink]] = relationship(back_populates="plan_action",
                                                    cascade="all, delete-orphan")
    replies: Mapped[list[Reply]] = relationship(back_populates="plan_action",
                                                order_by="Reply.created_at", viewonly=True)


class CommentLink(Base):
    """A comment answered by a plan action."""

    __tablename__ = "comment_links"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                            primary_key=True)
    plan_action_id: Mapped[int] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="links")
    plan_action: Mapped[PlanAction] = relationship(back_populates="links")


class ReplyKind(StrEnum):
    #: "You said, we did" from the worker.
    REPLY = "reply"
    #: The review or conference chair's response to the child's views.
    CHAIR_RESPONSE = "chair_response"


class Reply(Base):
    """What we tell the child happened because of what they said."""

    __tablename__ = "replies"
    __table_args__ = (
        CheckConstraint("kind = 'chair_response' OR comment_id IS NOT NULL "
                        "OR plan_action_id IS NOT NULL", name="reply_answers_something"),
        CheckConstraint("is_shared_with_child = (shared_at IS NOT NULL)",
                        name="shared_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    plan_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReplyKind] = mapped_column(enum_type(ReplyKind, "reply_kind"),
                                            default=ReplyKind.REPLY)
    text: Mapped[str] = mapped_column(Text)
    is_shared_with_child: Mapped[bool] = mapped_column(default=False)
    shared_at: Mapped[datetime | None]
    #: When the child was shown it ("Last time you told us…").
    seen_by_child_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    comment: Mapped[Comment | None] = relationship(back_populates="replies")
    plan_action: Mapped[PlanAction | None] = relationship(back_populates="replies")
