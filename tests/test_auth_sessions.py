"""Sessions a member of staff can see and end, and an administrator can end for them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from apps import AuthActions
from feedback.extensions import db
from feedback.models import AuditEvent, Role, StaffSession, utcnow
from feedback.services import accounts

CHROME_ON_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                     "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
SAFARI_ON_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
                    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")


def browser(app, email, user_agent, address="10.0.0.1"):
    """A browser signed in as ``email``."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": user_agent, "REMOTE_ADDR": address})
    assert AuthActions(client).sign_in(email).status_code == 302
    return client


def test_a_worker_sees_where_they_are_signed_in(app, create_user):
    user = create_user(Role.WORKER)
    office = browser(app, user.email, CHROME_ON_WINDOWS, "10.0.0.7")
    browser(app, user.email, SAFARI_ON_IPHONE, "192.0.2.44")
    page = office.get("/staff/account/sessions").get_data(as_text=True)
    assert "Chrome on Windows" in page and "Safari on iPhone" in page
    assert "10.0.0.7" in page and "192.0.2.44" in page
    assert "This browser" in page


def test_ending_another_session_signs_that_browser_out_at_once(app, create_user):
    user = create_user(Role.WORKER)
    office = browser(app, user.email, CHROME_ON_WINDOWS)
    phone = browser(app, user.email, SAFARI_ON_IPHONE)
    phone_session = db.session.scalars(select(StaffSession).order_by(StaffSession.id)).all()[-1]
    assert office.post(f"/staff/account/sessions/{phone_session.id}/end").status_code == 302
    response = phone.get("/staff/")
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    assert office.get("/staff/").status_code == 200


def test_sign_out_everywhere_else_keeps_this_browser(app, create_user):
    user = create_user(Role.WORKER)
    others = [browser(app, user.email, SAFARI_ON_IPHONE) for _ in range(2)]
    office = browser(app, user.email, CHROME_ON_WINDOWS)
    office.post("/staff/account/sessions/end-others")
    assert [c.get("/staff/").status_code for c in others] == [302, 302]
    assert office.get("/staff/").status_code == 200


def test_nobody_can_end_someone_elses_session(app, create_user):
    mine = browser(app, create_user(Role.WORKER).email, CHROME_ON_WINDOWS)
    theirs = browser(app, create_user(Role.WORKER).email, CHROME_ON_WINDOWS)
    their_session = db.session.scalars(select(StaffSession).order_by(StaffSession.id)).all()[-1]
    assert mine.post(f"/staff/account/sessions/{their_session.id}/end").status_code == 404
    assert theirs.get("/staff/").status_code == 200


def test_an_administrator_ends_every_session_of_an_account(app, create_user):
    worker = create_user(Role.WORKER)
    admin = browser(app, create_user(Role.ADMIN).email, CHROME_ON_WINDOWS)
    laptops = [browser(app, worker.email, CHROME_ON_WINDOWS) for _ in range(2)]
    assert worker.name in admin.get(f"/admin/staff/{worker.id}/security").get_data(as_text=True)
    admin.post(f"/admin/staff/{worker.id}/sessions/end")
    assert [c.get("/staff/").status_code for c in laptops] == [302, 302]
    assert admin.get("/admin/").status_code == 200


def test_only_administrators_manage_others_sessions(app, create_user):
    manager = browser(app, create_user(Role.MANAGER).email, CHROME_ON_WINDOWS)
    worker = create_user(Role.WORKER)
    assert manager.get(f"/admin/staff/{worker.id}/security").status_code == 404
    assert manager.post(f"/admin/staff/{worker.id}/sessions/end").status_code == 404


def test_an_administrator_sets_up_the_second_factor_again(app_factory, create_user):
    strict = app_factory(SECOND_FACTOR_REQUIRED=True)
    with strict.app_context():
        worker, admin_user = create_user(Role.WORKER), create_user(Role.ADMIN)
        worker_id, worker_email = worker.id, worker.email
        person = AuthActions(strict.test_client())
        person.sign_in(worker_email)
        person.enrol_app()
        admin = strict.test_client()
        admin_auth = AuthActions(admin)
        admin_auth.sign_in(admin_user.email)
        admin_auth.enrol_app()
        admin.post(f"/admin/staff/{worker_id}/second-factor/reset")
        again = AuthActions(strict.test_client()).sign_in(worker_email)
        assert again.headers["Location"] == "/staff/sign-in/app"
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_id == str(worker_id), AuditEvent.action.like("factor.%"))).all()
        assert actions == ["factor.enrol", "factor.reset"]


def test_deactivating_an_account_ends_its_sessions(app, create_user):
    worker = create_user(Role.WORKER)
    laptop = browser(app, worker.email, CHROME_ON_WINDOWS)
    accounts.deactivate(db.session, worker)
    db.session.commit()
    assert laptop.get("/staff/").status_code == 302
    assert db.session.scalar(select(StaffSession.end_reason)) == "deactivated"


def test_session_events_are_audited(app, create_user):
    user = create_user(Role.WORKER)
    office = browser(app, user.email, CHROME_ON_WINDOWS)
    browser(app, user.email, SAFARI_ON_IPHONE)
    office.post("/staff/account/sessions/end-others")
    AuthActions(office).sign_out()
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("session.%")).order_by(AuditEvent.id)).all()
    assert actions == ["session.start", "session.start", "session.end_all", "session.end"]


def test_sessions_ended_90_days_ago_are_deleted_at_the_next_sign_in(app, create_user):
    user = create_user(Role.WORKER)
    browser(app, user.email, CHROME_ON_WINDOWS)
    old = db.session.scalar(select(StaffSession))
    old.ended_at = old.last_used_at = utcnow() - timedelta(days=91)
    db.session.commit()
    browser(app, user.email, CHROME_ON_WINDOWS)
    db.session.expire_all()
    kept = db.session.scalars(select(StaffSession.last_used_at)).all()
    assert len(kept) == 1 and kept[0] > utcnow() - timedelta(minutes=1)
