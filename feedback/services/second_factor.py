"""The second factor for password accounts: an authenticator app (TOTP) and recovery codes.

- The app's secret is stored encrypted (AES-256-GCM, the key derived from the
  service's SECRET_KEY with HKDF), so a copy of the database alone gives no codes.
- A code is accepted for the current 30-second step or the one either side, and a
  step once used is never accepted again: one conditional UPDATE of
  ``totp_last_step`` decides, so the same code sent twice at once passes once.
- Ten recovery codes, 80 random bits each, are shown once and stored as SHA-256;
  each works once (again one conditional UPDATE).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from feedback.models import Passkey, RecoveryCode, StaffUser, utcnow
from feedback.services import audit

ISSUER = "Voice of the child"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud
_RECOVERY_LENGTH = 16  # 16 × 5 bits = 80 bits


class SecondFactorError(Exception):
    """The code is wrong, used already, or there is no second factor to check."""


@dataclass(frozen=True)
class SecretBox:
    """Encrypts TOTP secrets with a key derived from the service's secret key."""

    key: bytes

    @classmethod
    def from_secret_key(cls, secret_key: str) -> SecretBox:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"feedback totp secret v1")
        return cls(hkdf.derive(secret_key.encode()))

    def seal(self, plain: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self.key).encrypt(nonce, plain.encode(), b"totp")
        return "v1:" + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str) -> str:
        raw = base64.urlsafe_b64decode(sealed.removeprefix("v1:"))
        return AESGCM(self.key).decrypt(raw[:12], raw[12:], b"totp").decode()


def new_secret() -> str:
    """Return a fresh TOTP secret (160 bits, base32)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def has_totp(user: StaffUser) -> bool:
    return user.totp_secret is not None


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(_utc(now))
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _utc(now: float) -> datetime:
    return datetime.fromtimestamp(now, UTC)


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)
    return result.rowcount


def _take_step(session: Session, user: StaffUser, step: int) -> bool:
    """Mark ``step`` used unless it (or a later one) was used already."""
    taken = session.execute(
        update(StaffUser).where(StaffUser.id == user.id,
                                or_(StaffUser.totp_last_step.is_(None),
                                    StaffUser.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    if _rowcount(taken) != 1:
        return False
    session.refresh(user, ["totp_last_step"])
    return True


def check_totp(session: Session, box: SecretBox, user: StaffUser, code: str,
               now: float | None = None) -> None:
    """Accept a code from the person's app once, or raise ``SecondFactorError``."""
    code = _normalise(code)
    if user.totp_secret is None or not code.isdigit() or len(code) != 6:
        raise SecondFactorError("not a code")
    step = _matching_step(box.open(user.totp_secret), code, time.time() if now is None else now)
    if step is None or not _take_step(session, user, step):
        raise SecondFactorError("wrong or used code")


def use_recovery_code(session: Session, user: StaffUser, code: str) -> int:
    """Spend one recovery code, or raise ``SecondFactorError``; return how many are left."""
    digest = hashlib.sha256(_normalise(code).encode()).hexdigest()
    spent = session.execute(
        update(RecoveryCode).where(RecoveryCode.staff_user_id == user.id,
                                   RecoveryCode.code_hash == digest,
                                   RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if _rowcount(spent) != 1:
        raise SecondFactorError("wrong or used recovery code")
    audit.record(session, "factor.recovery_code_used", actor=user, object_type="staff_user",
                 object_id=user.id)
    return recovery_codes_left(session, user)


def recovery_codes_left(session: Session, user: StaffUser) -> int:
    return int(session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.staff_user_id == user.id, RecoveryCode.used_at.is_(None))) or 0)


def _recovery_code() -> str:
    code = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(code[i:i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def new_recovery_codes(session: Session, user: StaffUser) -> list[str]:
    """Replace the person's recovery codes with ten new ones; return them (shown once)."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(staff_user_id=user.id,
                                 code_hash=hashlib.sha256(_normalise(c).encode()).hexdigest())
                    for c in codes)
    session.flush()
    return codes


def enrol(session: Session, box: SecretBox, user: StaffUser, secret: str, code: str,
          now: float | None = None) -> list[str]:
    """Save the app's secret once a code from it checks out; return new recovery codes."""
    code = _normalise(code)
    now = time.time() if now is None else now
    step = _matching_step(secret, code, now) if code.isdigit() and len(code) == 6 else None
    if step is None:
        raise SecondFactorError("wrong code")
    user.totp_secret = box.seal(secret)
    user.totp_enrolled_at = utcnow()
    user.totp_last_step = step
    session.flush()
    audit.record(session, "factor.enrol", actor=user, object_type="staff_user",
                 object_id=user.id, detail={"factor": "totp"})
    return new_recovery_codes(session, user)


def reset(session: Session, user: StaffUser, by: StaffUser,
          request_id: str | None = None) -> None:
    """Remove the person's app, recovery codes and passkeys: they enrol again at next sign-in."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    session.execute(delete(Passkey).where(Passkey.staff_user_id == user.id))
    session.flush()
    audit.record(session, "factor.reset", actor=by, object_type="staff_user",
                 object_id=user.id, request_id=request_id)
