"""Pods and the staff who work in them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow


class Role(StrEnum):
    WORKER = "worker"
    MANAGER = "manager"
    BOARD = "board"
    ADMIN = "admin"


#: Extra pods a manager oversees beyond their own.
manager_pods = Table(
    "manager_pods",
    Base.metadata,
    Column("staff_user_id", ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True),
    Column("pod_id", ForeignKey("pods.id", ondelete="CASCADE"), primary_key=True),
)


class Pod(Base):
    """A small team: every member has oversight of all the pod's cases."""

    __tablename__ = "pods"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: Team mailbox that receives alert notifications (a link only).
    email: Mapped[str | None] = mapped_column(String(254))
    #: The duty (front-door) safeguarding team: sees every session alert and receives
    #: every escalation (services/alert_routing.py).
    is_duty_team: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[StaffUser]] = relationship(back_populates="pod")

    def __repr__(self) -> str:
        return f"<Pod {self.id} {self.name!r}>"


class StaffUser(Base):
    """A member of staff who signs in: worker, manager, board analyst or admin."""

    __tablename__ = "staff_users"
    __table_args__ = (
        CheckConstraint("role NOT IN ('worker', 'manager') OR pod_id IS NOT NULL",
                        name="casework_roles_have_pod"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    pod_id: Mapped[int | None] = mapped_column(ForeignKey("pods.id", ondelete="RESTRICT"),
                                               index=True)
    #: argon2id hash (argon2-cffi); never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    #: The authenticator app's shared secret, encrypted (services/second_factor.py).
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enrolled_at: Mapped[datetime | None]
    #: The last 30-second step a code was accepted for: a code is never accepted twice.
    totp_last_step: Mapped[int | None]
    #: The council identity provider's subject (``sub``) once the account is linked.
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)

    pod: Mapped[Pod | None] = relationship(back_populates="members")
    extra_pods: Mapped[list[Pod]] = relationship(secondary=manager_pods)

    # What Flask-Login asks of a user (its UserMixin, written out: models import no Flask).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def get_id(self) -> str:
        return str(self.id)

    @property
    def pod_ids(self) -> frozenset[int]:
        """Return the pods whose cases this person may see."""
        if self.role not in (Role.WORKER, Role.MANAGER) or self.pod_id is None:
            return frozenset()
        extra = {p.id for p in self.extra_pods} if self.role == Role.MANAGER else set()
        return frozenset({self.pod_id, *extra})

    @property
    def is_casework(self) -> bool:
        return self.role in (Role.WORKER, Role.MANAGER)

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role}>"
