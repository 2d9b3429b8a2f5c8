"""Codes a child types: single-use case access codes and reusable session join codes.

Codes use letters and digits that cannot be confused when read aloud or
handwritten (no 0/O, 1/I/L), are case-insensitive, and may be typed with or
without spaces and dashes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from feedback.models import (
    AccessCode, Case, ParticipationSession, Questionnaire, StaffUser, utcnow,
)

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_IGNORED = str.maketrans("", "", " -_.\t")


class CodeError(Exception):
    """The code opens nothing. ``reason`` says why, for the child's message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        #: ``unknown``, ``expired``, ``used`` or ``not_open`` (session outside its dates).
        self.reason = reason


@dataclass(frozen=True)
class CaseEntry:
    access_code: AccessCode


@dataclass(frozen=True)
class SessionEntry:
    session: ParticipationSession


def normalise(raw: str) -> str:
    """Return the code as stored: upper case, no spaces or dashes."""
    return raw.translate(_IGNORED).upper()


def display(code: str) -> str:
    """Return the code as shown and read aloud: ``ABCD-EFGH``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def create_access_code(session: Session, case: Case, questionnaire: Questionnaire,
                       created_by: StaffUser | None, hours: int) -> tuple[AccessCode, str]:
    """Make a single-use code for the case; return it with the plain code (shown once)."""
    code = new_code()
    now = utcnow()
    access_code = AccessCode(case=case, questionnaire_id=questionnaire.id,
                             code_digest=digest(code), created_by_id=created_by.id
                             if created_by else None, created_at=now,
                             expires_at=now + timedelta(hours=hours))
    session.add(access_code)
    session.flush()
    return access_code, code


def new_join_code(session: Session) -> str:
    """Return a join code no session uses yet."""
    while True:
        code = new_code()
        if session.scalar(select(ParticipationSession.id)
                          .where(ParticipationSession.join_code == code)) is None:
            return code


def resolve(session: Session, raw: str, today: date) -> CaseEntry | SessionEntry:
    """Find what a typed code opens, or raise ``CodeError``."""
    code = normalise(raw)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        raise CodeError("unknown")
    event = session.scalar(select(ParticipationSession)
                           .where(ParticipationSession.join_code == code))
    if event is not None:
        if not event.starts_on <= today <= event.ends_on:
            raise CodeError("not_open")
        return SessionEntry(event)
    access_code = session.scalar(select(AccessCode).where(AccessCode.code_digest == digest(code)))
    if access_code is None or not access_code.case.is_open:
        raise CodeError("unknown")
    if access_code.used_at is not None:
        raise CodeError("used")
    if access_code.expires_at <= utcnow():
        raise CodeError("expired")
    return CaseEntry(access_code)


def use(session: Session, access_code: AccessCode) -> None:
    """Spend a single-use code, once, even when two devices race for it."""
    spent = session.execute(update(AccessCode)
                            .where(AccessCode.id == access_code.id, AccessCode.used_at.is_(None))
                            .values(used_at=utcnow()))
    assert isinstance(spent, CursorResult)  # an UPDATE's result, which counts its rows
    if spent.rowcount != 1:
        raise CodeError("used")
