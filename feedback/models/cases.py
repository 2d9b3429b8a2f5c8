"""A child's case and the access codes that open it, each for one response."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, utcnow
from feedback.models.staff import Pod, StaffUser

#: The age bands a case may carry: the same as ``responses.AgeBand`` (which imports this
#: module, so cannot be imported here; tests/test_case_admin.py holds them equal).
CASE_AGE_BANDS = ("7-10", "11-13", "14-15", "16-18")


class Case(Base):
    """A child known to the service, held by one pod. No name is required."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("age_band IS NULL OR age_band IN ('7-10', '11-13', '14-15', '16-18')",
                        name="known_age_band"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The person ID in the council's case-management system.
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    pod_id: Mapped[int] = mapped_column(ForeignKey("pods.id", ondelete="RESTRICT"), index=True)
    #: Optional first name or initials, shown to staff only.
    display_name: Mapped[str | None] = mapped_column(String(60))
    #: BCP 47 tag of the language the child prefers (e.g. ``cy``, ``ar``).
    preferred_language: Mapped[str] = mapped_column(String(16), default="en")
    is_open: Mapped[bool] = mapped_column(default=True)
    #: Set by a manager: retention never deletes anything of a case under hold.
    is_on_legal_hold: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    #: The worker who holds the case, one of its pod's; none while it is unallocated.
    allocated_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True)
    #: One of ``CASE_AGE_BANDS``, or none when not known.
    age_band: Mapped[str | None] = mapped_column(String(8))

    pod: Mapped[Pod] = relationship()
    allocated_worker: Mapped[StaffUser | None] = relationship()

    def __repr__(self) -> str:
        return f"<Case {self.id}>"


class AccessCode(Base):
    """A short code that lets a child answer one questionnaire for a case.

    It opens the same journey again (on any device) until the child sends it, it
    expires or a worker revokes it. The answers given so far are kept here, with
    the code, and nowhere else outside the child's server session: ``draft`` is
    emptied when the code is spent, revoked or expired (a constraint holds the
    first two; ``codes.forget_old_drafts`` and retention runs the third).
    """

    __tablename__ = "access_codes"
    __table_args__ = (
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        CheckConstraint("(used_at IS NULL AND revoked_at IS NULL) OR draft IS NULL",
                        name="no_draft_once_closed"),
        CheckConstraint("(revoked_at IS NULL) OR (used_at IS NULL)",
                        name="revoked_or_used"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="RESTRICT"))
    #: SHA-256 of the normalised code: a copy of the database opens no case.
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: The idempotency key of the one response this code makes: every device that
    #: resumes the code sends under it, so two Sends store one response.
    response_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    #: When the child first entered it (or a worker handed the device over).
    started_at: Mapped[datetime | None]
    #: When the child pressed Send: the code opens nothing after it.
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    #: The answers given so far, as JSON: ``{"version_id": 3, "answers": {...}}``.
    #: A child's words: never shown to staff, never logged.
    draft: Mapped[str | None] = mapped_column(Text)
    draft_saved_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship()
