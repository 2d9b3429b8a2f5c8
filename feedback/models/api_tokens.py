"""Bearer tokens the council's case-management system reads the API with.

An administrator creates one for a named system and the pods it may read; the token
is shown once and only its SHA-256 is kept (like access codes: a copy of the
database opens nothing). Revoking keeps the row, so the audit trail still names it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, utcnow
from feedback.models.staff import Pod, StaffUser

#: The pods a token may read: cases outside them do not exist for it (404).
api_token_pods = Table(
    "api_token_pods",
    Base.metadata,
    Column("api_token_id", ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("pod_id", ForeignKey("pods.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ApiToken(Base):
    """A read-only bearer token for ``/api/v1``, scoped to one or more pods."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("(revoked_at IS NULL) = (revoked_by_id IS NULL)",
                        name="revoked_by_someone"),
        CheckConstraint("expires_at IS NULL OR expires_at > created_at",
                        name="expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What reads with it, in the administrator's words ("Mosaic nightly pull").
    name: Mapped[str] = mapped_column(String(120))
    #: SHA-256 (hex) of the whole token: 256 random bits, so a fast hash is enough.
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters, shown in the list so a person can tell which
    #: one a system holds; far too few to use.
    hint: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None: valid until revoked.
    expires_at: Mapped[datetime | None]
    #: When a request last carried it (every use is also an audit event).
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="RESTRICT"))

    pods: Mapped[list[Pod]] = relationship(secondary=api_token_pods, order_by=Pod.name)
    created_by: Mapped[StaffUser | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r}>"
