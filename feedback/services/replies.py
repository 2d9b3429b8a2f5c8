"""Replies to the child: "you said, we did"."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import Reply, utcnow


def unseen_by_child(session: Session, case_id: int) -> Sequence[Reply]:
    """Return replies shared with the child that they have not been shown yet, oldest first."""
    return session.scalars(
        select(Reply).where(Reply.case_id == case_id, Reply.is_shared_with_child.is_(True),
                            Reply.seen_by_child_at.is_(None))
        .options(selectinload(Reply.comment)).order_by(Reply.shared_at)).all()


def mark_seen(replies: Sequence[Reply]) -> None:
    """Record that the child has been shown these replies."""
    now = utcnow()
    for reply in replies:
        reply.seen_by_child_at = now
