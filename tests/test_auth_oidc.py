"""Council single sign-on against a real OpenID provider on loopback (tests/oidc/)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from apps import AuthActions
from feedback.extensions import db
from feedback.models import AuditEvent, Outcome, Role, StaffSession, StaffUser
from oidc_provider import CouncilBrowser, oidc_issuer, with_query  # noqa: F401 (fixture)
from servers import free_port

pytestmark = pytest.mark.slow
REFUSED = "You could not be signed in"


@pytest.fixture()
def council_app(app, app_factory, oidc_issuer):  # noqa: F811
    """Make an app whose staff sign in at the test provider (as client ``client_id``)."""
    contexts = []

    def make(client_id="feedback", **config):
        app = app_factory(OIDC_ISSUER=oidc_issuer, OIDC_CLIENT_ID=client_id,
                          OIDC_CLIENT_SECRET=f"{client_id}-secret", **config)
        contexts.append(app.app_context())
        contexts[-1].push()
        return app

    yield make
    for context in reversed(contexts):
        context.pop()


@pytest.fixture()
def worker(create_user):
    """The worker's account, as plain values: the test goes on in another app's context."""
    user = create_user(Role.WORKER, email="worker@council.example")
    return {"id": user.id, "email": user.email}


def refusals():
    return db.session.execute(
        select(AuditEvent.detail).where(AuditEvent.action == "auth.sign_in",
                                        AuditEvent.outcome == Outcome.DENIED)).scalars().all()


def test_a_worker_signs_in_with_their_council_account(council_app, worker):
    app = council_app()
    browser = CouncilBrowser(app.test_client())
    response = browser.sign_in("sub-worker")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/home"
    assert browser.client.get("/staff/").status_code == 200
    db.session.expire_all()
    assert db.session.get(StaffUser, worker["id"]).oidc_subject == "sub-worker"
    assert db.session.scalar(select(StaffSession.method)) == "oidc"


def test_an_id_token_made_out_to_another_client_is_refused(council_app, worker):
    app = council_app("feedback-misissued")
    browser = CouncilBrowser(app.test_client())
    response = browser.sign_in("sub-worker")
    assert response.status_code == 403 and REFUSED in response.get_data(as_text=True)
    assert browser.client.get("/staff/").status_code == 302
    assert refusals() == [{"method": "oidc", "reason": "InvalidClaimError:aud"}]


def test_an_expired_id_token_is_refused(council_app, worker):
    app = council_app("feedback-expiring")  # the provider's ID tokens last one second
    browser = CouncilBrowser(app.test_client())
    callback = browser.sign_in_at_provider(browser.go_to_provider(), "sub-worker")
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5), tick=True):
        response = browser.client.get(callback)
    assert response.status_code == 403
    assert refusals() == [{"method": "oidc", "reason": "ExpiredTokenError:exp"}]


def test_a_replayed_state_is_refused(council_app, worker):
    app = council_app()
    browser = CouncilBrowser(app.test_client())
    callback = browser.sign_in_at_provider(browser.go_to_provider(), "sub-worker")
    assert browser.client.get(callback).status_code == 302
    AuthActions(browser.client).sign_out()
    assert browser.client.get(callback).status_code == 403  # the same browser, again
    thief = app.test_client()
    assert thief.get(callback).status_code == 403  # another browser
    assert thief.get("/staff/").status_code == 302
    assert [r["reason"] for r in refusals()] == ["MismatchingStateError"] * 2


def test_a_wrong_nonce_is_refused(council_app, worker):
    app = council_app()
    browser = CouncilBrowser(app.test_client())
    authorize = with_query(browser.go_to_provider(), nonce="a-nonce-the-app-never-sent")
    response = browser.client.get(browser.sign_in_at_provider(authorize, "sub-worker"))
    assert response.status_code == 403
    assert refusals() == [{"method": "oidc", "reason": "InvalidClaimError:nonce"}]


def test_someone_without_an_account_is_refused(council_app, worker):
    app = council_app()
    response = CouncilBrowser(app.test_client()).sign_in("sub-stranger")
    assert response.status_code == 403
    assert "not set up to use this service" in response.get_data(as_text=True)
    assert refusals() == [{"method": "oidc", "reason": "no-account"}]


def test_an_unverified_address_links_no_account(council_app, worker):
    app = council_app()
    assert CouncilBrowser(app.test_client()).sign_in("sub-unverified").status_code == 403


def test_a_deactivated_account_is_refused(council_app, worker):
    db.session.get(StaffUser, worker["id"]).is_active_account = False
    db.session.commit()
    app = council_app()
    assert CouncilBrowser(app.test_client()).sign_in("sub-worker").status_code == 403
    assert refusals() == [{"method": "oidc", "reason": "deactivated"}]


GROUPS = "grp-north-workers=worker:North; grp-feedback-admins=admin"


def test_role_and_pod_follow_the_groups(council_app, create_user, create_pod):
    north = create_pod("North")
    person_id, north_id = create_user(Role.BOARD, email="worker@council.example").id, north.id
    app = council_app(OIDC_GROUP_ROLES=GROUPS)
    assert CouncilBrowser(app.test_client()).sign_in("sub-worker").status_code == 302
    person = db.session.get(StaffUser, person_id)
    assert (person.role, person.pod_id) == (Role.WORKER, north_id)


def test_someone_the_provider_no_longer_vouches_for_is_refused(council_app, create_user,
                                                               create_pod):
    create_pod("North")
    create_user(Role.WORKER, email="leaver@council.example")
    app = council_app(OIDC_GROUP_ROLES=GROUPS)
    assert CouncilBrowser(app.test_client()).sign_in("sub-leaver").status_code == 403
    assert refusals() == [{"method": "oidc", "reason": "no-group"}]


def test_a_linked_account_cannot_fall_back_on_its_password(council_app, worker):
    app = council_app()
    CouncilBrowser(app.test_client()).sign_in("sub-worker")
    response = AuthActions(app.test_client()).sign_in(worker["email"])
    assert b"The email address or password is not right" in response.data


def test_password_sign_in_can_be_switched_off(council_app, worker):
    app = council_app(PASSWORD_SIGN_IN="false")
    client = app.test_client()
    page = client.get("/staff/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" in page and 'name="password"' not in page
    assert AuthActions(client).sign_in(worker["email"]).status_code == 404


def test_an_unreachable_provider_is_a_polite_refusal(app_factory, app):
    down = app_factory(OIDC_ISSUER=f"http://127.0.0.1:{free_port()}", OIDC_CLIENT_ID="feedback",
                       OIDC_CLIENT_SECRET="feedback-secret")
    response = down.test_client().get("/staff/sign-in/council")
    assert response.status_code == 403 and REFUSED in response.get_data(as_text=True)
