"""The second factor for password accounts: an authenticator app and recovery codes."""

from __future__ import annotations

import pytest
from redis import Redis
from sqlalchemy import select

from apps import DUTY_PHONE, AuthActions, totp_code
from feedback.extensions import db
from feedback.models import AuditEvent, RecoveryCode, Role, StaffUser
from servers import REDIS_URL, require

WRONG = "The code is not right, or it was used already"


@pytest.fixture()
def strict_app(app_factory):
    """An app that asks every password account for a second factor, as production does."""
    app = app_factory(SECOND_FACTOR_REQUIRED=True)
    with app.app_context():
        yield app


@pytest.fixture()
def person(strict_app, create_user):
    return create_user(Role.WORKER)


@pytest.fixture()
def enrolled(strict_app, person):
    """A worker who set up their app; their browser signed out again."""
    client = strict_app.test_client()
    auth = AuthActions(client)
    auth.sign_in(person.email)
    secret, codes = auth.enrol_app()
    auth.sign_out()
    return {"user": person, "secret": secret, "codes": codes, "client": client, "auth": auth}


def staff_get_paths(app):
    """Every staff page that can be asked for without a parameter."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments
                  and rule.rule.startswith(("/staff", "/board", "/admin"))
                  and not rule.rule.startswith("/staff/sign-"))


def test_a_password_alone_reaches_no_staff_page(strict_app, person):
    client = strict_app.test_client()
    response = AuthActions(client).sign_in(person.email)
    assert response.headers["Location"] == "/staff/sign-in/app"
    for path in staff_get_paths(strict_app):
        page = client.get(path)
        assert page.status_code == 302 and "/staff/sign-in" in page.headers["Location"], path


def test_in_production_configuration_a_password_alone_reaches_no_staff_page(
        app_factory, create_user):
    require("Redis", REDIS_URL)
    Redis.from_url(REDIS_URL).flushdb()
    app = app_factory(FEEDBACK_ENV="production", REDIS_URL=REDIS_URL, DUTY_PHONE=DUTY_PHONE,
                      BASE_URL="https://feedback.council.example")
    with app.app_context():
        user = create_user(Role.MANAGER)
        client = app.test_client()
        https = {"base_url": "https://feedback.council.example"}
        signed = client.post("/staff/sign-in", data={"email": user.email,
                                                     "password": "correct-horse-battery"},
                             **https)
        assert signed.headers["Location"] == "/staff/sign-in/app"
        for path in staff_get_paths(app):
            page = client.get(path, **https)
            assert page.status_code == 302, path
            assert "/staff/sign-in" in page.headers["Location"], path


def test_enrolling_shows_a_qr_code_and_ten_recovery_codes_once(strict_app, person):
    client = strict_app.test_client()
    auth = AuthActions(client)
    auth.sign_in(person.email)
    page = client.get("/staff/sign-in/app").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret, codes = auth.enrol_app()
    assert len(codes) == len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    db.session.expire_all()
    user = db.session.get(StaffUser, person.id)
    assert user.totp_secret and secret not in user.totp_secret  # sealed, not stored plain
    assert client.get("/staff/").status_code == 200


def test_the_right_code_signs_in(enrolled):
    auth, client = enrolled["auth"], enrolled["client"]
    assert auth.sign_in(enrolled["user"].email).headers["Location"] == "/staff/sign-in/code"
    assert auth.enter_code(totp_code(enrolled["secret"], 1)).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_a_wrong_code_is_refused(enrolled):
    auth, client = enrolled["auth"], enrolled["client"]
    auth.sign_in(enrolled["user"].email)
    wrong = "000000" if totp_code(enrolled["secret"]) != "000000" else "111111"
    response = auth.enter_code(wrong)
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_a_code_used_once_is_refused_the_second_time(enrolled, strict_app):
    auth = enrolled["auth"]
    code = totp_code(enrolled["secret"], 1)
    auth.sign_in(enrolled["user"].email)
    assert auth.enter_code(code).status_code == 302
    other = AuthActions(strict_app.test_client())
    other.sign_in(enrolled["user"].email)
    assert WRONG in other.enter_code(code).get_data(as_text=True)


def test_a_recovery_code_works_once(enrolled, strict_app):
    auth, code = enrolled["auth"], enrolled["codes"][0]
    auth.sign_in(enrolled["user"].email)
    assert auth.enter_code(code.lower()).status_code == 302
    auth.sign_out()
    auth.sign_in(enrolled["user"].email)
    assert WRONG in auth.enter_code(code).get_data(as_text=True)
    assert auth.enter_code(enrolled["codes"][1]).status_code == 302


def test_guessing_codes_is_limited_like_passwords(enrolled):
    auth = enrolled["auth"]
    auth.sign_in(enrolled["user"].email)
    for _ in range(5):
        auth.enter_code("12345678-wrong")
    assert auth.enter_code(totp_code(enrolled["secret"], 1)).status_code == 429


def test_the_code_page_is_only_for_someone_half_way_through(strict_app):
    client = strict_app.test_client()
    response = client.get("/staff/sign-in/code")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/sign-in"


def test_outside_production_an_account_without_a_factor_signs_straight_in(auth, create_user):
    user = create_user(Role.WORKER)
    assert auth.sign_in(user.email).headers["Location"] == "/staff/home"


def test_factor_events_are_audited(enrolled):
    auth = enrolled["auth"]
    auth.sign_in(enrolled["user"].email)
    auth.enter_code("999999-no")
    auth.enter_code(enrolled["codes"][0])
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("factor.%") | AuditEvent.action.like("auth.second_factor")
    ).order_by(AuditEvent.id)).all()
    assert actions == ["factor.enrol", "auth.second_factor", "factor.recovery_code_used"]
