"""What signing in keeps: try counters, second factors, and staff sessions.

Counters are keyed by a hash, so neither an e-mail address nor a network address
is stored for a failed try (docs/sign-in.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, utcnow
from feedback.models.staff import StaffUser


class SignInCounter(Base):
    """Tries counted against one key (an account, an account at an address, an address).

    Changed only by single conditional UPDATEs (services/sign_in_guard.py), so
    parallel tries cannot count past the limit.
    """

    __tablename__ = "sign_in_counters"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    #: SHA-256 (hex) of the rule's name and what it counts.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    #: Seconds since the epoch when the count starts again (15 minutes after the last try).
    window_ends_epoch: Mapped[float] = mapped_column(default=0.0)
    #: Seconds since the epoch before which no try is checked (the account's slow-down).
    wait_until_epoch: Mapped[float] = mapped_column(default=0.0)


class RecoveryCode(Base):
    """One of ten single-use codes that stand in for the authenticator app."""

    __tablename__ = "staff_recovery_codes"
    __table_args__ = (UniqueConstraint("staff_user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the code: 80 random bits, so a fast hash is enough.
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Passkey(Base):
    """A WebAuthn credential (passkey or security key) a member of staff registered."""

    __tablename__ = "staff_passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    staff_user: Mapped[StaffUser] = relationship()


class StaffSession(Base):
    """A signed-in session, listed for its owner and ended by them or an administrator.

    The web session (cookie and store) carries this row's id; a request whose row
    is ended or gone is signed out (web/auth/sessions.py).
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    #: How the person proved who they are: password+totp, password+recovery, oidc, passkey…
    method: Mapped[str] = mapped_column(String(40))
    #: A short description of the browser ("Chrome on Windows"), never the whole header.
    device: Mapped[str] = mapped_column(String(120))
    #: The network address signed in from, as the proxy reported it.
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    #: signed-out, ended-by-owner, ended-by-admin, expired…
    end_reason: Mapped[str | None] = mapped_column(String(40))

    staff_user: Mapped[StaffUser] = relationship()

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
