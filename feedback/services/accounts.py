"""Staff accounts: creating them and checking a sign-in."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.models import Outcome, Pod, Role, StaffUser, utcnow
from feedback.services.passwords import (
    WeakPasswordError, check_new_password, hash_password, needs_rehash, verify_password,
)
from feedback.services import audit, staff_sessions


class AccountError(ValueError):
    """The account cannot be created as asked."""


class SignInFailedError(Exception):
    """Wrong email or password (deliberately not saying which)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_staff(session: Session, *, email: str, name: str, role: Role, password: str,
                 pod: Pod | None = None) -> StaffUser:
    """Add a staff account with a hashed password."""
    email = normalise_email(email)
    try:
        check_new_password(password, about=(email, name))
    except WeakPasswordError as error:
        raise AccountError(str(error)) from None
    if role in (Role.WORKER, Role.MANAGER) and pod is None:
        raise AccountError(f"a {role.value} needs a pod")
    if session.scalar(select(StaffUser).where(StaffUser.email == email)) is not None:
        raise AccountError(f"{email} already has an account")
    user = StaffUser(email=email, name=name.strip(), role=role, pod=pod,
                     password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, "staff.create", object_type="staff_user", object_id=user.id,
                 detail={"role": role.value})
    return user


def authenticate(session: Session, email: str, password: str,
                 request_id: str | None = None) -> StaffUser:
    """Return the active account these credentials open, or raise ``SignInFailedError``.

    An account linked to the council's identity provider signs in there only, so
    that a leaver cut off centrally cannot fall back on an old password.
    """
    user = session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password) or user is None \
            or not user.is_active or user.oidc_subject is not None:
        audit.record(session, "auth.sign_in", actor_kind="anonymous",
                     object_type="staff_user", object_id=user.id if user else None,
                     outcome=Outcome.DENIED, request_id=request_id,
                     detail={"step": "password"})
        raise SignInFailedError()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def signed_in(session: Session, user: StaffUser, method: str,
              request_id: str | None = None) -> None:
    """Record that ``user`` is signed in, every factor given (``method`` says which)."""
    user.last_sign_in_at = utcnow()
    audit.record(session, "auth.sign_in", actor=user, request_id=request_id,
                 detail={"method": method})


def deactivate(session: Session, user: StaffUser, by: StaffUser | None = None) -> StaffUser:
    """Close an account (it can no longer sign in); flush.

    The last active manager stays: every alert nobody else can open falls to the
    managers (services/alert_routing.py), so there must always be one.
    """
    if user.role == Role.MANAGER and user.is_active_account and session.scalar(
            select(func.count()).select_from(StaffUser).where(
                StaffUser.role == Role.MANAGER, StaffUser.is_active_account.is_(True))) == 1:
        raise AccountError("the last active manager cannot be deactivated: alerts that no "
                           "team can open go to the managers")
    user.is_active_account = False
    session.flush()
    staff_sessions.end_all(session, user, reason="deactivated", by=by)
    audit.record(session, "staff.deactivate", actor=by, object_type="staff_user",
                 object_id=user.id)
    return user
