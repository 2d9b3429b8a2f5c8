"""API tokens: made and revoked by administrators, checked on every API request.

A token is ``votc_`` and 43 characters of ``secrets.token_urlsafe`` (256 bits). It is
shown once; only its SHA-256 is stored, like access codes, so a copy of the
database reads nothing. Every request that carries a token is audited: each read
as ``api.read`` (which case, which endpoint, how many responses), each refusal of a
presented token as ``api.refused``. One event per request, not an aggregate: the
council must be able to say which system read which child's words, and when, just
as it can for staff (DESIGN.md, "every read of a child's words by staff is audited").
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import ApiToken, Outcome, Pod, StaffUser, utcnow
from feedback.services import audit

PREFIX = "votc_"
#: The audit trail's ``actor_kind`` for a request made with a token.
ACTOR_KIND = "api"
#: How many characters of the token the list shows (the prefix and four more).
HINT_LENGTH = len(PREFIX) + 4
MAX_NAME_LENGTH = 120


class TokenError(Exception):
    """The presented token opens nothing. ``reason``: ``unknown``, ``revoked``, ``expired``."""

    def __init__(self, reason: str, token: ApiToken | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: The token's row when it exists (revoked or expired), for the audit trail.
        self.token = token


class ApiTokenError(ValueError):
    """A token cannot be made as asked (no name, no pod)."""


def digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def create(session: Session, *, name: str, pods: Sequence[Pod], days: int | None,
           by: StaffUser, request_id: str | None = None) -> tuple[ApiToken, str]:
    """Make a token for these pods, valid ``days`` (None: until revoked); return it with
    the plain token, which is never shown again."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ApiTokenError("a token needs a name of at most 120 characters")
    if not pods:
        raise ApiTokenError("a token must be scoped to at least one pod")
    if days is not None and days < 1:
        raise ApiTokenError("a token must be valid for at least a day")
    plain = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(name=name, token_digest=digest(plain), hint=plain[:HINT_LENGTH],
                     created_by_id=by.id, created_at=now,
                     expires_at=now + timedelta(days=days) if days else None,
                     pods=list(pods))
    session.add(token)
    session.flush()
    audit.record(session, "api_token.create", actor=by, object_type="api_token",
                 object_id=token.id, request_id=request_id,
                 detail={"pods": sorted(pod.id for pod in pods), "days": days})
    return token, plain


def revoke(session: Session, token: ApiToken, by: StaffUser,
           request_id: str | None = None) -> bool:
    """Stop the token at once; False when it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at, token.revoked_by_id = utcnow(), by.id
    session.flush()
    audit.record(session, "api_token.revoke", actor=by, object_type="api_token",
                 object_id=token.id, request_id=request_id)
    return True


def all_tokens(session: Session) -> list[ApiToken]:
    """Every token ever made, newest first (revoked ones stay listed)."""
    return list(session.scalars(select(ApiToken).options(selectinload(ApiToken.pods))
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def authenticate(session: Session, presented: str, now: datetime) -> ApiToken:
    """Return the live token presented, or raise ``TokenError``."""
    if not presented.startswith(PREFIX):
        raise TokenError("unknown")
    token = session.scalar(select(ApiToken).where(ApiToken.token_digest == digest(presented)))
    if token is None:
        raise TokenError("unknown")
    if token.revoked_at is not None:
        raise TokenError("revoked", token)
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenError("expired", token)
    return token


def is_live(token: ApiToken, now: datetime) -> bool:
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def pod_ids(token: ApiToken) -> list[int]:
    return [pod.id for pod in token.pods]


def record_use(session: Session, token: ApiToken, *, endpoint: str, object_type: str,
               object_id: object = None, detail: dict[str, Any] | None = None,
               request_id: str | None = None) -> None:
    """Note a read made with the token: its last use, and one audit event."""
    token.last_used_at = utcnow()
    audit.record(session, "api.read", actor_kind=ACTOR_KIND, object_type=object_type,
                 object_id=object_id, request_id=request_id,
                 detail={"token": token.id, "endpoint": endpoint, **(detail or {})})


def record_refusal(session: Session, error: TokenError, *, endpoint: str,
                   request_id: str | None = None) -> None:
    """Audit a refused token: a revoked one still in use is worth an administrator's look."""
    audit.record(session, "api.refused", actor_kind=ACTOR_KIND, object_type="api_token",
                 object_id=error.token.id if error.token else None, outcome=Outcome.DENIED,
                 request_id=request_id, detail={"reason": error.reason, "endpoint": endpoint})
