"""Passkeys without a browser: who may ask for them, and a made-up answer.

The ceremony itself runs in Chromium with a virtual authenticator
(tests/browser/test_browser_passkeys.py).
"""

from __future__ import annotations

import base64
import json

from sqlalchemy import select

from apps import AuthActions
from feedback.extensions import db
from feedback.models import AuditEvent, Outcome, Passkey, Role


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_passkey_sign_in_is_only_for_someone_half_way_through(client):
    assert client.get("/staff/sign-in/passkey").status_code == 404
    assert client.post("/staff/sign-in/passkey/options").status_code == 404


def test_adding_a_passkey_needs_a_signed_in_person(client):
    assert client.post("/staff/account/passkeys/options").status_code == 302


def test_registration_options_name_this_site_and_ask_the_device_to_verify(
        client, auth, create_user):
    auth.sign_in(create_user(Role.WORKER).email)
    options = client.post("/staff/account/passkeys/options").get_json()
    assert options["rp"]["id"] == "localhost"
    assert options["authenticatorSelection"]["userVerification"] == "required"


def test_a_made_up_passkey_answer_is_refused_and_audited(app_factory, create_user):
    strict = app_factory(SECOND_FACTOR_REQUIRED=True)
    with strict.app_context():
        user = create_user(Role.WORKER)
        db.session.add(Passkey(staff_user_id=user.id, credential_id=b"key-1",
                               public_key=b"not-a-key", name="Laptop"))
        db.session.commit()
        client = strict.test_client()
        AuthActions(client).sign_in(user.email)
        client.post("/staff/sign-in/passkey/options")
        forged = {"id": _b64(b"key-1"), "rawId": _b64(b"key-1"), "type": "public-key",
                  "response": {"clientDataJSON": _b64(json.dumps({}).encode()),
                               "authenticatorData": _b64(b"x" * 37),
                               "signature": _b64(b"sig")}}
        response = client.post("/staff/sign-in/passkey", json={"credential": forged})
        assert response.status_code == 400
        assert client.get("/staff/").status_code == 302
        denied = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "auth.second_factor",
            AuditEvent.outcome == Outcome.DENIED)).all()
        assert denied == [{"factor": "passkey"}]
