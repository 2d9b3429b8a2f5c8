"""Alerts: harm first in the inbox, acknowledged by a named person, escalated when left,
mailed without words."""

import re
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import Alert, AlertState, AuditEvent, Notification, NotificationStatus, Role

DISCLOSURE = "my uncle comes in my room at night and says its our secret"


@pytest.fixture()
def mail_app(app_factory, smtp):
    return app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port),
                       BASE_URL="https://feedback.council.example")


@pytest.fixture()
def pod_setup(create_pod, create_user, create_case, create_access_code):
    pod = create_pod(email="north.pod@council.example")
    return {"pod": pod, "worker": create_user(Role.WORKER, pod),
            "manager": create_user(Role.MANAGER, pod, email="boss@council.example"),
            "case": create_case(pod), "code": create_access_code}


def process_alerts(app, now=None):
    """Run the scheduled command as cron would, in this app (its SMTP settings)."""
    args = ["alerts", "process"] + (["--now", now.strftime("%Y-%m-%dT%H:%M:%S%z")] if now else [])
    with app.app_context():
        return app.test_cli_runner().invoke(args=args)


def child_discloses(app, setup) -> Alert:
    child = ChildActions(app.test_client())
    child.enter_code(setup["code"](setup["case"]))
    child.answer(1, answer="1")
    child.answer(2, answer="1")
    child.answer(4, answer=DISCLOSURE)
    child.send()
    return db.session.scalar(select(Alert))


def test_a_disclosure_is_at_the_top_of_the_pods_inbox_with_its_words_folded(
        app, auth, client, pod_setup):
    alert = child_discloses(app, pod_setup)
    auth.sign_in(pod_setup["worker"].email)
    page = client.get("/staff/").get_data(as_text=True)
    alerts_at = page.index("Alerts to act on today")
    assert alerts_at < page.index("Unread comments") < page.index("Not heard from")
    assert f"/staff/alerts/{alert.id}" in page
    assert pod_setup["case"].reference in page
    assert "Urgent" in page[alerts_at:page.index("Unread comments")]
    # The excerpt is there for the owner, folded: a passer-by sees no words at a glance.
    folded = re.search(r"<details[^>]*>.*?</details>", page, re.S).group(0)
    assert DISCLOSURE in folded and "<details open" not in page
    listed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "alert.list"))
    assert listed.detail == {"alerts": [alert.id]}


def test_opening_an_alert_shows_the_words_and_is_audited(app, auth, client, pod_setup):
    alert = child_discloses(app, pod_setup)
    auth.sign_in(pod_setup["worker"].email)
    page = client.get(f"/staff/alerts/{alert.id}").get_data(as_text=True)
    assert DISCLOSURE in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "alert.view"))


def test_acknowledging_records_who_when_and_the_action(app, auth, client, pod_setup):
    alert = child_discloses(app, pod_setup)
    auth.sign_in(pod_setup["worker"].email)
    client.post(f"/staff/alerts/{alert.id}", data={"action": "referred_front_door",
                                                   "note": "MASH referral made at 14:10"})
    db.session.refresh(alert)
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.acknowledged_by_id == pod_setup["worker"].id
    assert alert.acknowledged_at is not None
    assert alert.action_taken == "referred_front_door"
    page = client.get("/staff/").get_data(as_text=True)
    assert f"/staff/alerts/{alert.id}" not in page


def test_acknowledging_needs_an_action(app, auth, client, pod_setup):
    alert = child_discloses(app, pod_setup)
    auth.sign_in(pod_setup["worker"].email)
    page = client.post(f"/staff/alerts/{alert.id}", data={"note": "x"}).get_data(as_text=True)
    assert "Choose what you did" in page


def test_an_unacknowledged_alert_escalates_after_two_working_hours(app, runner, auth, client,
                                                                   pod_setup):
    alert = child_discloses(app, pod_setup)
    early = alert.created_at + timedelta(minutes=30)
    runner.invoke(args=["alerts", "process", "--now", early.strftime("%Y-%m-%dT%H:%M:%S%z")])
    db.session.refresh(alert)
    assert alert.state == AlertState.NEW
    later = alert.created_at + timedelta(days=4)  # past two working hours, whatever the day
    result = runner.invoke(args=["alerts", "process", "--now",
                                 later.strftime("%Y-%m-%dT%H:%M:%S%z")])
    assert "1 escalated" in result.output
    db.session.refresh(alert)
    assert alert.state == AlertState.ESCALATED
    auth.sign_in(pod_setup["manager"].email)
    assert "Escalated" in client.get("/staff/").get_data(as_text=True)


def test_the_pod_gets_an_email_with_a_link_and_not_the_words(mail_app, pod_setup, smtp):
    alert = child_discloses(mail_app, pod_setup)
    result = process_alerts(mail_app)
    assert "1 e-mail(s) sent" in result.output, result.output
    [message] = smtp.messages
    body = message.get_content()
    assert message["To"] == "north.pod@council.example"
    assert f"https://feedback.council.example/staff/alerts/{alert.id}" in body
    assert "uncle" not in message.as_string() and "secret" not in message.as_string()


def test_delivery_retries_while_the_mail_server_is_down(mail_app, pod_setup, smtp):
    child_discloses(mail_app, pod_setup)
    smtp.controller.stop()
    assert "1 to retry" in process_alerts(mail_app).output
    notification = db.session.scalar(select(Notification))
    db.session.refresh(notification)
    assert notification.status == NotificationStatus.PENDING and notification.attempts == 1
    restarted = Controller(smtp, hostname="127.0.0.1", port=smtp.port)
    restarted.start()
    try:
        later = notification.next_attempt_at + timedelta(seconds=1)
        assert "1 e-mail(s) sent" in process_alerts(mail_app, later).output
    finally:
        restarted.stop()
    db.session.refresh(notification)
    assert notification.status == NotificationStatus.SENT
    assert len(smtp.messages) == 1


def test_escalation_mails_the_manager(mail_app, pod_setup, smtp):
    alert = child_discloses(mail_app, pod_setup)
    later = alert.created_at + timedelta(days=4)
    process_alerts(mail_app, later)
    recipients = sorted(m["To"] for m in smtp.messages)
    assert recipients == ["boss@council.example", "north.pod@council.example"]
    assert any(m["Subject"].startswith("Escalated") for m in smtp.messages)
