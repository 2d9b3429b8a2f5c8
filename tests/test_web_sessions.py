"""The database session store: a child's shorter idle limit, and no write per request."""

import logging
from datetime import timedelta

import time_machine
from sqlalchemy import func, insert, select, update

from feedback.extensions import db
from feedback.models import Role, WebSession, utcnow
from feedback.web import sessions


def stored_expiry() -> timedelta:
    """How long from now the latest stored session lasts."""
    db.session.expire_all()
    return db.session.scalar(select(func.max(WebSession.expires_at))) - utcnow()


def test_a_child_session_lasts_ten_idle_minutes_and_a_staff_one_thirty(
        app, client, child, auth, create_case, create_access_code, create_user):
    child.enter_code(create_access_code(create_case()))
    assert timedelta(minutes=9) < stored_expiry() <= timedelta(minutes=10)
    db.session.execute(update(WebSession).values(expires_at=utcnow()))  # the child is gone
    db.session.commit()
    auth.sign_in(create_user(Role.WORKER).email)
    assert timedelta(minutes=29) < stored_expiry() <= timedelta(minutes=30)


def test_an_unchanged_session_is_not_written_back_on_every_request(
        app, child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case()))
    child.client.get("/welcome")  # the first page adds its form token to the session
    marker = utcnow() + timedelta(minutes=7)
    db.session.execute(update(WebSession).values(expires_at=marker))
    db.session.commit()
    for _ in range(3):
        assert child.client.get("/welcome").status_code == 200
    assert timedelta(minutes=6) < stored_expiry() <= timedelta(minutes=7)  # untouched


def test_a_changed_session_is_written_at_once(app, child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case()))
    db.session.execute(update(WebSession).values(expires_at=utcnow() + timedelta(minutes=7)))
    db.session.commit()
    child.answer(1, answer="4")  # within the minute, but the session changed
    assert timedelta(minutes=9) < stored_expiry() <= timedelta(minutes=10)


def test_an_unchanged_session_is_written_again_after_a_minute(
        app, child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case()))
    child.client.get("/welcome")
    with time_machine.travel(utcnow() + timedelta(seconds=61), tick=False):
        db.session.execute(update(WebSession).values(expires_at=utcnow() + timedelta(minutes=7)))
        db.session.commit()
        assert child.client.get("/welcome").status_code == 200
        assert timedelta(minutes=9) < stored_expiry() <= timedelta(minutes=10)


def stored_ids() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(WebSession.session_id)))


def test_a_child_starting_again_leaves_only_the_new_session(
        app, child, create_case, create_access_code):
    case = create_case()
    child.enter_code(create_access_code(case))
    first = child.client.get_cookie("session").value
    child.enter_code(create_access_code(case))
    second = child.client.get_cookie("session").value
    assert first != second
    assert stored_ids() == {second}


def test_an_id_the_browser_made_up_is_never_adopted(app, child, create_case,
                                                    create_access_code):
    child.client.set_cookie("session", "chosen-by-someone-else")
    child.enter_code(create_access_code(create_case()))
    assert child.client.get_cookie("session").value != "chosen-by-someone-else"
    assert "chosen-by-someone-else" not in stored_ids()


def test_signing_out_deletes_the_host_cookie_with_the_attributes_that_set_it(
        app_factory, create_user):
    app = app_factory(SESSION_COOKIE_NAME="__Host-session", SESSION_COOKIE_SECURE=True)
    client, https = app.test_client(), "https://localhost"
    client.post("/staff/sign-in", base_url=https, data={
        "email": create_user(Role.WORKER).email, "password": "correct-horse-battery"})
    assert stored_ids()
    cookie = client.post("/staff/sign-out", base_url=https).headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=;")
    for attribute in ("Expires=Thu, 01 Jan 1970", "Secure", "HttpOnly", "Path=/",
                      "SameSite=Lax"):
        assert attribute in cookie  # a browser ignores a __Host- cookie without Secure
    assert stored_ids() == set()


def test_unreadable_stored_data_starts_a_new_session_and_logs_no_words(
        app, client, caplog):
    db.session.execute(insert(WebSession).values(
        session_id="x" * 43, data=b"\xc1 my secret words", expires_at=utcnow() + timedelta(1)))
    db.session.commit()
    client.set_cookie("session", "x" * 43)
    with caplog.at_level(logging.WARNING):
        assert client.get("/").status_code == 200
    assert "stored session unreadable" in caplog.text
    assert "secret words" not in caplog.text


def test_expired_rows_are_purged_now_and_then(app, client, monkeypatch):
    monkeypatch.setattr(sessions, "PURGE_ONE_REQUEST_IN", 1)  # every request
    db.session.execute(insert(WebSession), [
        {"session_id": "gone", "data": b"", "expires_at": utcnow() - timedelta(seconds=1)},
        {"session_id": "kept", "data": b"", "expires_at": utcnow() + timedelta(minutes=5)}])
    db.session.commit()
    client.get("/")
    assert stored_ids() == {"kept"}


def stored_sessions() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(WebSession))


def form_token(page: str) -> str:
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_a_visitor_who_only_looks_stores_no_session(app, app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    for _ in range(50):
        browser = app.test_client()
        assert "csrf_token" in browser.get("/").get_data(as_text=True)
        assert "." in browser.get_cookie("session").value  # the form's token, signed
    assert stored_sessions() == 0


def test_a_code_entered_after_a_cookie_only_page_starts_a_stored_session(
        app_factory, create_case, create_access_code):
    browser = app_factory(WTF_CSRF_ENABLED=True).test_client()
    token = form_token(browser.get("/").get_data(as_text=True))
    assert stored_sessions() == 0
    code = create_access_code(create_case(), "how-are-things")
    entered = browser.post("/", data={"csrf_token": token, "code": code})
    assert entered.headers["Location"] == "/welcome"
    assert browser.get("/welcome").status_code == 200
    assert "." not in browser.get_cookie("session").value
    assert stored_sessions() == 1


def test_a_forged_cookie_only_session_is_refused(app_factory, create_case, create_access_code):
    app = app_factory(WTF_CSRF_ENABLED=True)
    browser = app.test_client()
    token = form_token(browser.get("/").get_data(as_text=True))
    value = browser.get_cookie("session").value
    browser.set_cookie("session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    code = create_access_code(create_case(), "how-are-things")
    refused = browser.post("/", data={"csrf_token": token, "code": code})
    assert refused.status_code == 400
    assert stored_sessions() == 0
