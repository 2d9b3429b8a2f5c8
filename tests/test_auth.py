"""Staff sign-in: server-side sessions that really end, throttling, one generic message."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from feedback.extensions import db
from feedback.models import AuditEvent, Outcome, Role, WebSession, utcnow

GENERIC_FAILURE = b"The email address or password is not right"


def test_a_worker_signs_in_and_lands_on_the_inbox(client, auth, create_user):
    user = create_user(Role.WORKER)
    response = auth.sign_in(user.email, follow_redirects=True)
    assert response.status_code == 200
    assert b"<h1 class=\"govuk-heading-l\">Inbox</h1>" in response.data


def test_a_wrong_password_and_an_unknown_account_get_the_same_message(auth, create_user):
    user = create_user(Role.WORKER)
    wrong_password = auth.sign_in(user.email, "not-the-password")
    unknown = auth.sign_in("nobody@test.example", "not-the-password")
    assert GENERIC_FAILURE in wrong_password.data
    assert GENERIC_FAILURE in unknown.data
    assert wrong_password.status_code == unknown.status_code == 200


def test_email_is_not_case_sensitive(auth, create_user):
    create_user(Role.WORKER, email="sam.walker@test.example")
    response = auth.sign_in("  Sam.Walker@Test.Example ")
    assert response.status_code == 302


def test_signing_in_rotates_the_session_id(client, auth, create_user):
    user = create_user(Role.WORKER)
    client.get("/staff/sign-in")
    with client.session_transaction() as session:
        session["probe"] = 1  # make the anonymous session exist on the server
    before = client.get_cookie("session").value
    auth.sign_in(user.email)
    after = client.get_cookie("session").value
    assert before != after
    assert db.session.scalar(select(WebSession).where(WebSession.session_id == before)) is None


def test_replaying_the_cookie_after_sign_out_is_treated_as_signed_out(app, client, auth,
                                                                      create_user):
    user = create_user(Role.WORKER)
    auth.sign_in(user.email)
    stolen = client.get_cookie("session").value
    assert client.get("/staff/").status_code == 200
    auth.sign_out()
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/staff/")
    assert response.status_code == 302
    assert "/staff/sign-in" in response.headers["Location"]


def test_a_session_idle_for_30_minutes_ends(client, auth, create_user):
    user = create_user(Role.WORKER)
    auth.sign_in(user.email)
    # The server keeps each session until 30 minutes after its last request.
    db.session.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_a_session_ends_12_hours_after_sign_in_however_busy(client, auth, create_user):
    user = create_user(Role.WORKER)
    auth.sign_in(user.email)
    with client.session_transaction() as session:
        session["signed_in_at"] = (utcnow() - timedelta(hours=12, minutes=1)).timestamp()
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/sign-in" in response.headers["Location"]


def test_five_failures_lock_the_account_for_a_while(auth, create_user):
    user = create_user(Role.WORKER)
    for _ in range(5):
        assert auth.sign_in(user.email, "guess-guess-guess").status_code == 200
    # Even the right password is refused now.
    response = auth.sign_in(user.email)
    assert response.status_code == 429
    assert b"Too many tries" in response.data


def test_successful_sign_ins_do_not_count_towards_the_lock(client, auth, create_user):
    user = create_user(Role.WORKER)
    for _ in range(7):
        assert auth.sign_in(user.email).status_code == 302
        auth.sign_out()


def test_one_address_trying_many_accounts_is_throttled(auth, create_user):
    for n in range(30):
        auth.sign_in(f"guess{n}@test.example", "guess-guess-guess")
    user = create_user(Role.WORKER)
    assert auth.sign_in(user.email).status_code == 429


def test_sign_in_and_sign_out_are_audited(auth, create_user):
    user = create_user(Role.WORKER)
    auth.sign_in(user.email, "wrong-wrong-wrong")
    auth.sign_in(user.email)
    auth.sign_out()
    events = db.session.execute(select(AuditEvent.action, AuditEvent.outcome)
                                .where(AuditEvent.action.like("auth.%"))
                                .order_by(AuditEvent.id)).all()
    assert events == [("auth.sign_in", Outcome.DENIED), ("auth.sign_in", Outcome.OK),
                      ("auth.sign_out", Outcome.OK)]


def test_a_deactivated_account_cannot_sign_in(auth, create_user):
    user = create_user(Role.WORKER)
    user.is_active_account = False
    db.session.commit()
    assert GENERIC_FAILURE in auth.sign_in(user.email).data


@pytest.mark.parametrize("target", ["https://evil.example/", "/\\evil.example",
                                    "/%09/evil.example", "//evil.example"])
def test_after_sign_in_only_local_pages_are_followed(auth, create_user, target):
    user = create_user(Role.WORKER)
    response = auth.sign_in(user.email, query_string={"next": target})
    assert response.headers["Location"] == "/staff/home"


def test_after_sign_in_a_local_page_is_followed(auth, create_user):
    user = create_user(Role.WORKER)
    response = auth.sign_in(user.email, query_string={"next": "/staff/caseload"})
    assert response.headers["Location"] == "/staff/caseload"


def test_each_role_lands_on_its_own_first_page(client, auth, create_user):
    for role, path in [(Role.BOARD, "/board/"), (Role.ADMIN, "/admin/"),
                       (Role.MANAGER, "/staff/")]:
        user = create_user(role)
        response = auth.sign_in(user.email, follow_redirects=True)
        assert response.request.path == path, role
        auth.sign_out()
