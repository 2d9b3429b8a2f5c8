"""Administrators keep staff: an invited worker sets a password and signs in; a leaver is
signed out at once and never signs in again; every change is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from apps import SECRET, AuthActions
from factories import PASSWORD
from feedback.extensions import db
from feedback.models import AuditEvent, Role, StaffInvitation, StaffUser, utcnow
from feedback.services import alert_routing

NEW_PASSWORD = "lantern-orchard-whistle-42"


@pytest.fixture()
def admin(create_user):
    return create_user(Role.ADMIN, email="admin@council.example", name="Ada Admin")


@pytest.fixture()
def mail_app(app_factory, smtp):
    return app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port),
                       BASE_URL="https://feedback.council.example")


def signed_in(app, email: str, password: str = PASSWORD):
    client = app.test_client()
    assert AuthActions(client).sign_in(email, password).status_code == 302
    return client


def invite(client, pod, email="new.worker@council.example", **fields):
    form = {"name": "Nia Worker", "email": email, "role": "worker", "pod": str(pod.id), **fields}
    return client.post("/admin/staff/invite", data=form)


def link_in(smtp, address: str) -> str:
    body = smtp.to(address)[-1].get_content()
    return re.search(r"https://feedback\.council\.example(/staff/invitation/\S+)", body).group(1)


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def account(email: str) -> StaffUser:
    db.session.expire_all()
    return db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()


def test_an_invited_worker_sets_a_password_and_signs_in(mail_app, admin, create_pod, smtp):
    pod = create_pod()
    assert invite(signed_in(mail_app, admin.email), pod).status_code == 302
    message = smtp.to("new.worker@council.example")[-1]
    path = link_in(smtp, "new.worker@council.example")
    assert "72" not in message["Subject"] and "Nia Worker" in message.get_content()

    worker = mail_app.test_client()
    assert "Choose your password" in worker.get(path).get_data(as_text=True)
    chosen = worker.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.headers["Location"].endswith("/staff/home")
    assert worker.get("/staff/").status_code == 200  # signed in: the inbox opens

    # The password works at the sign-in page too.
    assert signed_in(mail_app, "new.worker@council.example", NEW_PASSWORD)
    assert [e.actor_id for e in events("staff.invite")] == [admin.id]


def test_the_link_works_once(mail_app, admin, create_pod, smtp):
    invite(signed_in(mail_app, admin.email), create_pod())
    path = link_in(smtp, "new.worker@council.example")
    first, second = mail_app.test_client(), mail_app.test_client()
    assert second.get(path).status_code == 200  # open in two tabs
    first.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = second.post(path, data={"password": "another-" + NEW_PASSWORD,
                                    "confirm": "another-" + NEW_PASSWORD})
    assert again.status_code == 404 and "does not work" in again.get_data(as_text=True)
    assert signed_in(mail_app, "new.worker@council.example", NEW_PASSWORD)


def test_the_link_expires(mail_app, admin, create_pod, smtp):
    invite(signed_in(mail_app, admin.email), create_pod())
    path = link_in(smtp, "new.worker@council.example")
    db.session.execute(update(StaffInvitation).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert mail_app.test_client().get(path).status_code == 404


def test_the_link_lasts_as_configured_and_only_its_hash_is_kept(app_factory, smtp, admin,
                                                                create_pod):
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), INVITATION_HOURS="5",
                      BASE_URL="https://feedback.council.example")
    invite(signed_in(app, admin.email), create_pod())
    token = link_in(smtp, "new.worker@council.example").rsplit("/", 1)[1]
    stored = db.session.scalars(select(StaffInvitation)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert abs(stored.expires_at - utcnow() - timedelta(hours=5)) < timedelta(minutes=1)


def test_an_invited_person_cannot_sign_in_before_choosing_a_password(
        mail_app, admin, create_pod, smtp):
    invite(signed_in(mail_app, admin.email), create_pod())
    refused = AuthActions(mail_app.test_client()).sign_in("new.worker@council.example",
                                                          PASSWORD)
    assert "not right" in refused.get_data(as_text=True)


def test_a_new_invitation_kills_the_old_link(mail_app, admin, create_pod, smtp):
    client = signed_in(mail_app, admin.email)
    invite(client, create_pod())
    old = link_in(smtp, "new.worker@council.example")
    user = account("new.worker@council.example")
    assert client.post(f"/admin/staff/{user.id}/invite-again").status_code == 302
    new = link_in(smtp, "new.worker@council.example")
    assert mail_app.test_client().get(old).status_code == 404
    assert mail_app.test_client().get(new).status_code == 200


def test_with_a_second_factor_required_the_new_person_sets_up_their_app(app_factory, smtp,
                                                                        admin, create_pod):
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port),
                      BASE_URL="https://feedback.council.example", SECOND_FACTOR_REQUIRED=True)
    admin_client = app.test_client()
    AuthActions(admin_client).sign_in(admin.email)
    AuthActions(admin_client).enrol_app()
    invite(admin_client, create_pod())
    worker = app.test_client()
    chosen = worker.post(link_in(smtp, "new.worker@council.example"),
                         data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.headers["Location"].endswith("/staff/sign-in/app")
    assert worker.get("/staff/").status_code == 302  # not signed in until the app is set up


def test_a_weak_password_is_refused_and_the_link_still_works(mail_app, admin, create_pod, smtp):
    invite(signed_in(mail_app, admin.email), create_pod())
    path = link_in(smtp, "new.worker@council.example")
    weak = mail_app.test_client().post(path, data={"password": "password1234",
                                                   "confirm": "password1234"})
    assert "harder to guess" in weak.get_data(as_text=True)
    assert mail_app.test_client().get(path).status_code == 200


def test_without_a_mail_server_the_admin_is_shown_the_link_once(client, admin, create_pod):
    AuthActions(client).sign_in(admin.email)
    page = invite(client, create_pod()).get_data(as_text=True)
    assert "No mail server is set" in page
    path = re.search(r'data-testid="invitation-link">https?://[^/]+(/staff/invitation/[^<]+)<',
                     page).group(1)
    assert client.application.test_client().get(path).status_code == 200


def test_after_deactivation_the_open_session_is_refused_on_the_next_request(
        client, admin, create_user):
    worker = create_user(Role.WORKER, email="leaver@council.example")
    create_user(Role.MANAGER, pod=worker.pod)  # someone still owns the pod's alerts
    worker_client = signed_in(client.application, worker.email)
    assert worker_client.get("/staff/").status_code == 200

    AuthActions(client).sign_in(admin.email)
    confirm = client.get(f"/admin/staff/{worker.id}/deactivate").get_data(as_text=True)
    assert "Are you sure" in confirm
    assert client.post(f"/admin/staff/{worker.id}/deactivate").status_code == 302

    refused = worker_client.get("/staff/")
    assert refused.status_code == 302 and "/staff/sign-in" in refused.headers["Location"]
    assert AuthActions(client.application.test_client()).sign_in(worker.email).status_code == 200
    assert events("staff.deactivate")[0].actor_id == admin.id


def test_a_reactivated_account_signs_in_again(client, admin, create_user):
    worker = create_user(Role.WORKER)
    create_user(Role.MANAGER, pod=worker.pod)
    AuthActions(client).sign_in(admin.email)
    client.post(f"/admin/staff/{worker.id}/deactivate")
    assert client.post(f"/admin/staff/{worker.id}/reactivate").status_code == 302
    assert signed_in(client.application, worker.email)
    assert events("staff.reactivate")[0].actor_id == admin.id


def test_nobody_deactivates_themselves_or_the_last_manager(client, admin, create_user):
    manager = create_user(Role.MANAGER)
    AuthActions(client).sign_in(admin.email)
    own = client.post(f"/admin/staff/{admin.id}/deactivate").get_data(as_text=True)
    last = client.post(f"/admin/staff/{manager.id}/deactivate").get_data(as_text=True)
    assert "your own account" in own and "last active manager" in last
    assert account(admin.email).is_active_account and account(manager.email).is_active_account


def test_a_leavers_alerts_still_reach_someone_who_can_open_them(
        client, admin, create_user, create_case, create_response, create_alert):
    worker = create_user(Role.WORKER)
    area_manager = create_user(Role.MANAGER)  # in another pod
    case = create_case(pod=worker.pod)
    alert = create_alert(create_response(case, "words").comments[0])
    AuthActions(client).sign_in(admin.email)
    page = client.get(f"/admin/staff/{worker.id}/deactivate").get_data(as_text=True)
    assert "will go to every active manager" in page
    client.post(f"/admin/staff/{worker.id}/deactivate")
    db.session.expire_all()
    owners = alert_routing.owners_of(db.session, alert)
    assert [user.id for user in owners.everyone] == [area_manager.id]
    assert events("staff.handover")[0].detail["alerts_to_managers"] == [alert.id]


def test_a_role_and_pod_change_is_audited(client, admin, create_user, create_pod):
    worker, new_pod = create_user(Role.WORKER), create_pod()
    old_pod = worker.pod_id
    AuthActions(client).sign_in(admin.email)
    saved = client.post(f"/admin/staff/{worker.id}",
                        data={"role": "manager", "pod": str(new_pod.id)})
    assert saved.status_code == 302
    assert (account(worker.email).role, account(worker.email).pod_id) == (Role.MANAGER,
                                                                          new_pod.id)
    event = events("staff.change_role")[0]
    assert event.actor_id == admin.id
    assert event.detail["from"] == {"role": "worker", "pod": old_pod}
    assert event.detail["to"] == {"role": "manager", "pod": new_pod.id}


def test_a_worker_needs_a_pod(client, admin, create_user):
    board = create_user(Role.BOARD)
    AuthActions(client).sign_in(admin.email)
    page = client.post(f"/admin/staff/{board.id}", data={"role": "worker", "pod": ""})
    assert "Choose a pod" in page.get_data(as_text=True)
    assert account(board.email).role == Role.BOARD


def test_a_pods_mailbox_and_duty_team_are_set_and_audited(client, admin, create_pod):
    pod = create_pod()
    AuthActions(client).sign_in(admin.email)
    client.post(f"/admin/pods/{pod.id}", data={"email": "North.Team@council.example",
                                               "is_duty_team": "y"})
    db.session.expire_all()
    assert (pod.email, pod.is_duty_team) == ("north.team@council.example", True)
    assert events("pod.mailbox")[0].actor_id == admin.id
    assert events("pod.duty_team")[0].actor_id == admin.id


def test_the_configuration_page_shows_what_is_missing_and_no_secret(app_factory, admin):
    app = app_factory(SMTP_HOST="mail.council.example", SMTP_PASSWORD="smtp-hunter2-secret",
                      OIDC_ISSUER="https://login.example/tenant", OIDC_CLIENT_ID="client-1",
                      OIDC_CLIENT_SECRET="oidc-swordfish-secret")
    page = signed_in(app, admin.email).get("/admin/configuration").get_data(as_text=True)
    for secret in ("smtp-hunter2-secret", "oidc-swordfish-secret", SECRET):
        assert secret not in page
    assert "mail.council.example" in page
    redis_row = page.split('data-setting="REDIS_URL"')[1].split("</tr>")[0]
    assert "Missing" in redis_row


def test_only_administrators_see_the_pages(client, create_user):
    worker = create_user(Role.WORKER)
    AuthActions(client).sign_in(worker.email)
    for path in ("/admin/staff", "/admin/staff/invite", "/admin/pods", "/admin/configuration"):
        assert client.get(path).status_code == 404


def test_deactivation_needs_the_forms_csrf_token(app_factory, admin, create_user):
    worker = create_user(Role.WORKER)
    create_user(Role.MANAGER, pod=worker.pod)
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
                      client.get("/staff/sign-in").get_data(as_text=True)).group(1)
    client.post("/staff/sign-in", data={"email": admin.email, "password": PASSWORD,
                                        "csrf_token": token})
    assert client.post(f"/admin/staff/{worker.id}/deactivate").status_code == 400
    assert account(worker.email).is_active_account


def test_staff_change_their_own_password_and_are_signed_out_elsewhere(client, create_user):
    worker = create_user(Role.WORKER)
    elsewhere = signed_in(client.application, worker.email)
    AuthActions(client).sign_in(worker.email)
    wrong = client.post("/staff/account/password", data={
        "current": "not-my-password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "current password is not right" in wrong.get_data(as_text=True)
    changed = client.post("/staff/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302
    assert signed_in(client.application, worker.email, NEW_PASSWORD)


def test_an_admin_adds_a_pod_and_sees_it_listed(client, admin, create_pod):
    create_pod(name="North pod")
    AuthActions(client).sign_in(admin.email)
    assert client.get("/admin/pods/new").status_code == 200
    taken = client.post("/admin/pods/new", data={"name": "north POD", "email": ""})
    assert "exists already" in taken.get_data(as_text=True)
    client.post("/admin/pods/new", data={"name": "South pod", "email": "south@council.example"})
    listed = client.get("/admin/pods").get_data(as_text=True)
    assert "South pod" in listed and "south@council.example" in listed
    south = [e for e in events("pod.create") if e.actor_id == admin.id]
    assert len(south) == 1
    assert "South pod" in client.get(f"/admin/pods/{south[0].object_id}").get_data(as_text=True)
