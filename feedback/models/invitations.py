"""Invitations: the single-use link that lets a new member of staff set their password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, utcnow
from feedback.models.staff import StaffUser


class StaffInvitation(Base):
    """A link sent by e-mail: used once, or never after ``expires_at`` or a newer one."""

    __tablename__ = "staff_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the link's token: 256 random bits, so a fast hash is enough.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    #: When the person set their password with it; a used link never works again.
    used_at: Mapped[datetime | None]
    #: When a newer invitation or a deactivation made it useless.
    revoked_at: Mapped[datetime | None]

    staff_user: Mapped[StaffUser] = relationship(foreign_keys=[staff_user_id])
