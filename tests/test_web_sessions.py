"""The database session store: a child's shorter idle limit, and no write per request."""

from datetime import timedelta

from sqlalchemy import func, select, update

from feedback.extensions import db
from feedback.models import Role, WebSession, utcnow


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
