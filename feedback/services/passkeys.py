"""Passkeys (WebAuthn): the phishing-resistant second factor, with the ``webauthn`` package.

A passkey is bound to this site's domain by the browser, so a look-alike site
cannot ask for it; the person's device checks who they are (user verification
is required). Only the credential's id, public key and signature counter are
stored.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options, generate_registration_options, options_to_json,
    verify_authentication_response, verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor, ResidentKeyRequirement,
    UserVerificationRequirement,
)

from feedback.models import Passkey, StaffUser, utcnow
from feedback.services import audit

RP_NAME = "Voice of the child"


class PasskeyError(Exception):
    """The passkey's answer did not check out."""


def of(session: Session, user: StaffUser) -> Sequence[Passkey]:
    return session.scalars(select(Passkey).where(Passkey.staff_user_id == user.id)
                           .order_by(Passkey.id)).all()


def _descriptors(session: Session, user: StaffUser) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=p.credential_id) for p in of(session, user)]


def registration_options(session: Session, user: StaffUser, rp_id: str) -> tuple[str, bytes]:
    """Return the options for ``navigator.credentials.create`` (JSON) and their challenge."""
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_name=user.email, user_display_name=user.name,
        user_id=f"staff-{user.id}".encode(), challenge=challenge,
        exclude_credentials=_descriptors(session, user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED))
    return options_to_json(options), challenge


def register(session: Session, user: StaffUser, credential: str, *, challenge: bytes,
             rp_id: str, origin: str, name: str) -> Passkey:
    """Check a new passkey's answer and keep it; flush."""
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError) as error:
        raise PasskeyError(type(error).__name__) from None
    passkey = Passkey(staff_user_id=user.id, credential_id=verified.credential_id,
                      public_key=verified.credential_public_key,
                      sign_count=verified.sign_count, name=name.strip()[:80] or "Passkey")
    session.add(passkey)
    session.flush()
    audit.record(session, "factor.enrol", actor=user, object_type="staff_user",
                 object_id=user.id, detail={"factor": "passkey"})
    return passkey


def authentication_options(session: Session, user: StaffUser, rp_id: str) -> tuple[str, bytes]:
    """Return the options for ``navigator.credentials.get`` (JSON) and their challenge."""
    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=rp_id, challenge=challenge, allow_credentials=_descriptors(session, user),
        user_verification=UserVerificationRequirement.REQUIRED)
    return options_to_json(options), challenge


def authenticate(session: Session, user: StaffUser, credential: str, *, challenge: bytes,
                 rp_id: str, origin: str) -> Passkey:
    """Check a passkey's answer for ``user``; raise ``PasskeyError`` if it does not hold."""
    try:
        credential_id = base64url_to_bytes(json.loads(credential)["rawId"])
    except (ValueError, KeyError, TypeError):
        raise PasskeyError("unreadable") from None
    passkey = session.scalar(select(Passkey).where(Passkey.staff_user_id == user.id,
                                                   Passkey.credential_id == credential_id))
    if passkey is None:
        raise PasskeyError("unknown passkey")
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError) as error:
        raise PasskeyError(type(error).__name__) from None
    passkey.sign_count, passkey.last_used_at = verified.new_sign_count, utcnow()
    session.flush()
    return passkey


def has_passkey(session: Session, user: StaffUser) -> bool:
    return bool(of(session, user))
