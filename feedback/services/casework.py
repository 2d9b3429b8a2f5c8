"""Reading a child's case."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import Case, Response


def case_timeline(session: Session, case: Case, limit: int = 20,
                  offset: int = 0) -> Sequence[Response]:
    """Return a page of the case's responses, newest first, with their words loaded."""
    return session.scalars(
        select(Response).where(Response.case_id == case.id)
        .options(selectinload(Response.comments), selectinload(Response.answers),
                 selectinload(Response.questionnaire_version))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(limit).offset(offset)).all()
