"""Passkeys in Chromium, with its virtual authenticator standing in for a fingerprint."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factories import PASSWORD
from feedback.extensions import db
from feedback.models import AuditEvent, Passkey, Role
from pages import StaffPages


def virtual_authenticator(context, page):
    """A platform authenticator that verifies the person (as Windows Hello or Touch ID)."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True}})
    return cdp


@pytest.fixture()
def localhost(browser, live_server):
    """A browser context on https://localhost: a passkey needs a domain, not 127.0.0.1.

    (The live server trusts that host name: TRUSTED_HOSTS.)
    """
    origin = live_server.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(base_url=origin, ignore_https_errors=True, locale="en-GB",
                                  viewport={"width": 768, "height": 1024})
    context.set_default_timeout(10_000)
    yield context, origin
    context.close()


@pytest.mark.parametrize("live_server", [{"TRUSTED_HOSTS": "localhost"}], indirect=True)
def test_a_worker_adds_a_passkey_and_gives_it_instead_of_a_code(localhost, create_user):
    worker = create_user(Role.WORKER)
    context, origin = localhost
    page = context.new_page()
    virtual_authenticator(context, page)
    staff = StaffPages(page, origin)
    staff.sign_in(worker.email, PASSWORD)  # production: the app is set up first
    staff.open("/staff/account/passkeys/new")
    staff.field("Name for this passkey").fill("Work laptop")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey").click()
    assert staff.heading() == "Your sessions"
    assert db.session.scalar(select(Passkey.name)) == "Work laptop"
    staff.sign_out()

    staff.open_sign_in()
    staff.field("Email address").fill(worker.email)
    staff.field("Password").fill(PASSWORD)
    staff.press_button("Sign in")
    staff.click_link("Use your passkey instead")
    with page.expect_navigation():
        page.get_by_role("button", name="Use your passkey").click()
    assert staff.heading() == "Inbox"
    method = db.session.scalars(select(AuditEvent.detail).where(
        AuditEvent.action == "auth.sign_in").order_by(AuditEvent.id.desc())).first()
    assert method == {"method": "password+passkey"}
