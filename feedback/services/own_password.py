"""A member of staff changes their own password: the current one first, then the others
of their sessions end (someone who knew the old one is signed out)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from feedback.models import Outcome, StaffUser
from feedback.services import audit, staff_sessions
from feedback.services.passwords import check_new_password, hash_password, verify_password


class PasswordChangeError(ValueError):
    """``wrong_current`` or ``council_account`` (signs in at the council only)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def change_password(session: Session, user: StaffUser, *, current: str, new: str,
                    keep_session_id: int | None, request_id: str | None = None) -> int:
    """Replace the password; end every other session; flush; return how many ended.

    Raise ``PasswordChangeError`` or ``passwords.WeakPasswordError``.
    """
    if user.oidc_subject is not None:
        raise PasswordChangeError("council_account")
    if not verify_password(user.password_hash, current):
        audit.record(session, "staff.password_change", actor=user, object_type="staff_user",
                     object_id=user.id, outcome=Outcome.DENIED, request_id=request_id,
                     detail={"step": "current"})
        raise PasswordChangeError("wrong_current")
    check_new_password(new, about=(user.email, user.name))
    user.password_hash = hash_password(new)
    session.flush()
    ended = staff_sessions.end_all(session, user, reason="password-changed", by=user,
                                   keep=keep_session_id, request_id=request_id)
    audit.record(session, "staff.password_change", actor=user, object_type="staff_user",
                 object_id=user.id, request_id=request_id, detail={"sessions_ended": ended})
    return ended
