"""Exports of a child's views filed into the council's case record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, utcnow
from feedback.models.cases import Case


class CaseRecordExport(Base):
    """A PDF or JSON export of a case's views; filing it starts the retention clock."""

    __tablename__ = "case_record_exports"
    __table_args__ = (
        CheckConstraint("to_date >= from_date", name="range_in_order"),
        CheckConstraint("(filed_at IS NULL) = (filed_by_id IS NULL)", name="filed_by_someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_date: Mapped[date]
    to_date: Mapped[date]
    #: ``pdf`` or ``json``.
    format: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filed_at: Mapped[datetime | None]
    filed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="RESTRICT"))

    case: Mapped[Case] = relationship()
