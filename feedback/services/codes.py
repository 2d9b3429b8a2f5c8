"""Codes a child types: case access codes (one response each) and session join codes.

A case access code opens the same journey again, on any device, until the child
presses Send, it expires or a worker revokes it. The answers given so far are kept
with the code (``keep_answers``), so a child who closed the tab carries on where
they were; they are deleted when the code is spent, revoked or expired.

Codes use letters and digits that cannot be confused when read aloud or
handwritten (no 0/O, 1/I/L), are case-insensitive, and may be typed with or
without spaces and dashes. Both kinds are stored only as a digest (``digest``):
the plain code is handed back once, to the person who made it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, or_, select, update
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
        #: ``unknown``, ``expired``, ``used``, ``revoked`` or ``not_open`` (a session
        #: outside its dates).
        self.reason = reason


@dataclass(frozen=True)
class Draft:
    """The answers a child gave so far under a code, and the version they answered."""

    version_id: int
    answers: dict[str, Any]


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
    """Return how the database knows a code: SHA-256 of its normalised form, hex."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()


class NotPublishedError(Exception):
    """The questionnaire has no published version, so a new code could not open it."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"questionnaire {slug!r} has no published version")
        self.slug = slug


def create_access_code(session: Session, case: Case, questionnaire: Questionnaire,
                       created_by: StaffUser | None, hours: int) -> tuple[AccessCode, str]:
    """Make a code for one response of the case, valid for ``hours``; return it with the
    plain code (shown once). Refused (``NotPublishedError``) for a questionnaire with no
    published version: its drafts are not for children yet."""
    if questionnaire.published is None:
        raise NotPublishedError(questionnaire.slug)
    code = new_code()
    now = utcnow()
    access_code = AccessCode(case=case, questionnaire_id=questionnaire.id,
                             code_digest=digest(code), response_key=secrets.token_urlsafe(24),
                             created_by_id=created_by.id if created_by else None,
                             created_at=now, expires_at=now + timedelta(hours=hours))
    session.add(access_code)
    session.flush()
    return access_code, code


def new_join_code(session: Session) -> str:
    """Return a plain join code no session uses yet; store only its ``digest``."""
    while True:
        code = new_code()
        if session.scalar(select(ParticipationSession.id)
                          .where(ParticipationSession.join_code_digest == digest(code))) is None:
            return code


def resolve(session: Session, raw: str, today: date) -> CaseEntry | SessionEntry:
    """Find what a typed code opens, or raise ``CodeError``."""
    code = normalise(raw)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        raise CodeError("unknown")
    hashed = digest(code)
    event = session.scalar(select(ParticipationSession)
                           .where(ParticipationSession.join_code_digest == hashed))
    if event is not None:
        if not event.starts_on <= today <= event.ends_on:
            raise CodeError("not_open")
        return SessionEntry(event)
    access_code = session.scalar(select(AccessCode).where(AccessCode.code_digest == hashed))
    if access_code is None or not access_code.case.is_open:
        raise CodeError("unknown")
    check_open(access_code, utcnow())
    return CaseEntry(access_code)


def check_open(access_code: AccessCode, now: datetime) -> None:
    """Raise ``CodeError`` unless the code can still open its journey."""
    if access_code.used_at is not None:
        raise CodeError("used")
    if access_code.revoked_at is not None:
        raise CodeError("revoked")
    if access_code.expires_at <= now:
        access_code.draft = access_code.draft_saved_at = None  # nobody can come back to it
        raise CodeError("expired")


def start(session: Session, access_code: AccessCode) -> Draft | None:
    """Note the code's first use; return the answers kept from an earlier visit, if any."""
    if access_code.started_at is None:
        access_code.started_at = utcnow()
        session.flush()
    if not access_code.draft:
        return None
    kept = json.loads(access_code.draft)
    return Draft(int(kept["version_id"]), dict(kept["answers"]))


def _open_now(now: datetime) -> Any:
    return ((AccessCode.used_at.is_(None)) & (AccessCode.revoked_at.is_(None))
            & (AccessCode.expires_at > now))


def keep_answers(session: Session, access_code_id: int, version_id: int,
                 answers: Mapping[str, Any]) -> bool:
    """Keep the answers given so far with the code; False if it is closed (nothing kept)."""
    now = utcnow()
    draft = json.dumps({"version_id": version_id, "answers": dict(answers)},
                       ensure_ascii=False, separators=(",", ":"))
    kept = session.execute(update(AccessCode)
                           .where(AccessCode.id == access_code_id, _open_now(now))
                           .values(draft=draft, draft_saved_at=now))
    assert isinstance(kept, CursorResult)
    return kept.rowcount == 1


def is_revoked(session: Session, access_code_id: int) -> bool:
    """Has a worker revoked this code (so what it opened must not be sent)?"""
    return session.scalar(select(AccessCode.revoked_at)
                          .where(AccessCode.id == access_code_id)) is not None


def spend(session: Session, access_code_id: int) -> None:
    """Close the code once its response is stored, and delete the answers kept with it.

    Two devices sending at once store one response (they share ``response_key``);
    the second finds the code spent already, which is no error.
    """
    session.execute(update(AccessCode)
                    .where(AccessCode.id == access_code_id, AccessCode.used_at.is_(None),
                           AccessCode.revoked_at.is_(None))
                    .values(used_at=utcnow(), draft=None, draft_saved_at=None))


def revoke(session: Session, access_code: AccessCode, by: StaffUser) -> bool:
    """Stop a code that has not been sent; delete its kept answers. False if it was sent."""
    if access_code.used_at is not None:
        return False
    by_id = by.id
    access_code.draft = access_code.draft_saved_at = None
    if access_code.revoked_at is None:
        access_code.revoked_at, access_code.revoked_by_id = utcnow(), by_id
    session.flush()
    return True


def codes_of(session: Session, case: Case) -> list[AccessCode]:
    """Return the case's codes a worker may still want to see or revoke, newest first."""
    now = utcnow()
    return list(session.scalars(
        select(AccessCode).where(AccessCode.case_id == case.id, _open_now(now))
        .order_by(AccessCode.created_at.desc(), AccessCode.id.desc())))


def forget_old_drafts(session: Session, now: datetime) -> int:
    """Delete the answers kept with expired codes (retention runs it); return how many."""
    forgotten = session.execute(update(AccessCode)
                                .where(AccessCode.draft.is_not(None),
                                       or_(AccessCode.expires_at <= now,
                                           AccessCode.used_at.is_not(None),
                                           AccessCode.revoked_at.is_not(None)))
                                .values(draft=None, draft_saved_at=None))
    assert isinstance(forgotten, CursorResult)
    return forgotten.rowcount
