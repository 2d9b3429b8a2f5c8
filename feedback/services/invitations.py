"""Inviting staff: an account waits for its owner, who sets their own password from a link.

The link carries 256 random bits; only their SHA-256 is stored, so a copy of the
database opens no account. A link works once (one conditional UPDATE decides, so
two tabs cannot both use it), dies after its validity (``INVITATION_HOURS``), and
is revoked by a newer invitation or a deactivation. The e-mail holds the link and
the service's name, nothing about any child.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from feedback.models import Pod, Role, StaffInvitation, StaffUser, utcnow
from feedback.services import accounts, audit
from feedback.services.passwords import check_new_password, hash_password
from feedback.services.working_time import LONDON

#: How long a link works unless INVITATION_HOURS says otherwise.
DEFAULT_HOURS = 72
#: The path the link opens (web/auth/invitation_views.py).
LINK_PATH = "/staff/invitation/"


class InvitationError(LookupError):
    """The link is unknown, used, expired or revoked (deliberately not saying which)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(session: Session, *, email: str, name: str, role: Role, pod: Pod | None,
           by: StaffUser, hours: int = DEFAULT_HOURS,
           request_id: str | None = None) -> tuple[StaffUser, str]:
    """Add an account nobody can sign in to yet, and a link for its owner; flush.

    Return the account and the link's token (to e-mail, never to store).
    Raise ``accounts.AccountError`` when the address has an account or a pod is missing.
    """
    email = accounts.normalise_email(email)
    if role in (Role.WORKER, Role.MANAGER) and pod is None:
        raise accounts.AccountError(f"a {role.value} needs a pod")
    if session.scalar(select(StaffUser).where(StaffUser.email == email)) is not None:
        raise accounts.AccountError(f"{email} already has an account")
    # A random password nobody knows: sign-in takes as long as for anyone else.
    user = StaffUser(email=email, name=name.strip(), role=role, pod=pod,
                     password_hash=hash_password(secrets.token_urlsafe(32)))
    session.add(user)
    session.flush()
    audit.record(session, "staff.invite", actor=by, object_type="staff_user",
                 object_id=user.id, detail={"role": role.value, "pod": pod.id if pod else None,
                                            "hours": hours}, request_id=request_id)
    return user, _new_link(session, user, by, hours)


def invite_again(session: Session, user: StaffUser, *, by: StaffUser,
                 hours: int = DEFAULT_HOURS, request_id: str | None = None) -> str:
    """Send a new link to someone who has not set a password yet; earlier links die."""
    if not is_waiting(session, user) or not user.is_active_account:
        raise InvitationError(user.id)
    revoke(session, user)
    audit.record(session, "staff.invite_again", actor=by, object_type="staff_user",
                 object_id=user.id, detail={"hours": hours}, request_id=request_id)
    return _new_link(session, user, by, hours)


def _new_link(session: Session, user: StaffUser, by: StaffUser, hours: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(StaffInvitation(staff_user_id=user.id, token_hash=_digest(token),
                                created_by_id=by.id,
                                expires_at=utcnow() + timedelta(hours=hours)))
    session.flush()
    return token


def revoke(session: Session, user: StaffUser) -> None:
    """Make every unused link of this person useless."""
    session.execute(update(StaffInvitation)
                    .where(StaffInvitation.staff_user_id == user.id,
                           StaffInvitation.used_at.is_(None),
                           StaffInvitation.revoked_at.is_(None))
                    .values(revoked_at=utcnow())
                    .execution_options(synchronize_session=False))


def is_waiting(session: Session, user: StaffUser) -> bool:
    """Was this person invited, and have they not yet set their password?"""
    return waiting_ids(session, [user.id]) == {user.id}


def waiting_ids(session: Session, user_ids: Sequence[int]) -> set[int]:
    """The people among these who were invited and have not used a link yet."""
    used = exists().where(StaffInvitation.staff_user_id == StaffUser.id,
                          StaffInvitation.used_at.is_not(None))
    invited = exists().where(StaffInvitation.staff_user_id == StaffUser.id)
    return set(session.scalars(select(StaffUser.id).where(
        StaffUser.id.in_(list(user_ids)), invited, ~used)))


def _usable(token: str, now: datetime) -> list[ColumnElement[bool]]:
    return [StaffInvitation.token_hash == _digest(token), StaffInvitation.used_at.is_(None),
            StaffInvitation.revoked_at.is_(None), StaffInvitation.expires_at > now]


def invitation_for(session: Session, token: str) -> StaffInvitation:
    """Return the usable invitation this link names, or raise ``InvitationError``."""
    found = session.scalar(select(StaffInvitation).where(*_usable(token, utcnow())))
    if found is None or not found.staff_user.is_active_account:
        raise InvitationError("link")
    return found


def accept(session: Session, token: str, password: str,
           request_id: str | None = None) -> StaffUser:
    """Set the invited person's password and spend the link; flush.

    Raise ``InvitationError`` for a link that cannot be used, or
    ``passwords.WeakPasswordError`` for a password that breaks the rule (the link
    then still works).
    """
    invitation = invitation_for(session, token)
    user = invitation.staff_user
    check_new_password(password, about=(user.email, user.name))
    spent = session.execute(update(StaffInvitation).where(*_usable(token, utcnow()))
                            .values(used_at=utcnow())
                            .execution_options(synchronize_session=False))
    if not isinstance(spent, CursorResult) or spent.rowcount != 1:
        raise InvitationError("link")  # the other tab won
    user.password_hash = hash_password(password)
    revoke(session, user)
    audit.record(session, "staff.invitation_accepted", actor=user, object_type="staff_user",
                 object_id=user.id, request_id=request_id)
    return user


def message(*, recipient: str, name: str, sender: str, link: str,
            expires_at: datetime) -> EmailMessage:
    """Write the invitation e-mail: the link and when it stops working. Nothing else."""
    mail = EmailMessage()
    mail["Subject"] = "Your account for the voice of the child service"
    mail["From"] = sender
    mail["To"] = recipient
    mail.set_content(
        f"Hello {name},\n\n"
        "An administrator has made you an account in the voice of the child service. "
        "Open this link to choose your password and sign in:\n\n"
        f"{link}\n\n"
        "The link works once, until "
        f"{expires_at.astimezone(LONDON):%H:%M on %A %d %B %Y} (UK time). If it has "
        "stopped working, ask your administrator to send a new one.\n\n"
        "If you did not expect this e-mail, you can ignore it: nobody can use the "
        "account without the link.\n")
    return mail
