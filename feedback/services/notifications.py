"""Deliver the alert outbox by e-mail: a link only, never the child's words; retried with
back-off."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import Alert, Notification, NotificationStatus
from feedback.services.working_time import LONDON

#: After this many failed tries a notification is marked failed and shown to managers.
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    base_url: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


def message_for(notification: Notification, settings: MailSettings) -> EmailMessage:
    """Write the e-mail: who it is for and a link to the alert. Nothing a child wrote."""
    alert = notification.alert
    subject, opening = _WORDING[notification.kind]
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = notification.recipient
    link = f"{settings.base_url}/staff/alerts/{alert.id}"
    origin = "a child's case" if alert.case_id is not None else "a participation session"
    message.set_content(
        f"{opening}\n\nIt came from {origin}, raised at "
        f"{alert.created_at.astimezone(LONDON):%H:%M on %A %d %B %Y} (UK time).\n\n"
        f"Open the alert (sign-in needed): {link}\n\n"
        "This e-mail never contains what the child wrote.\n")
    return message


#: Subject and first paragraph of each kind of notification e-mail.
_WORDING = {
    "new_alert": ("Urgent alert: a child needs a person to read their words today",
                  "A child asked for help or wrote something that may describe harm. "
                  "Someone must read it and act today."),
    "escalation": ("Escalated: an urgent alert has not been acknowledged",
                   "An urgent alert was not acknowledged in time and has been escalated "
                   "to you."),
    "out_of_hours": ("Out of hours: a child asked for help or may be at risk",
                     "Our office is closed. A child asked for help or wrote something that "
                     "may describe harm, and the day team will not see it until the office "
                     "opens. Anyone with a staff account who owns the alert can open it "
                     "now."),
}


def _send(message: EmailMessage, settings: MailSettings) -> None:
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4, 8… minutes between tries, at most an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def deliver_due(session: Session, settings: MailSettings, now: datetime) -> tuple[int, int]:
    """Try every pending notification that is due; return (sent, failed this run)."""
    due = session.scalars(
        select(Notification).where(Notification.status == NotificationStatus.PENDING,
                                   Notification.next_attempt_at <= now)
        .options(selectinload(Notification.alert).selectinload(Alert.case))
        # Two servers running this at once never send the same e-mail (PostgreSQL).
        .order_by(Notification.next_attempt_at).with_for_update(skip_locked=True)).all()
    sent = failed = 0
    for notification in due:
        try:
            _send(message_for(notification, settings), settings)
        except (OSError, smtplib.SMTPException) as error:
            notification.attempts += 1
            notification.last_error = type(error).__name__
            notification.next_attempt_at = now + backoff(notification.attempts)
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            failed += 1
        else:
            notification.attempts += 1
            notification.status = NotificationStatus.SENT
            notification.sent_at = now
            sent += 1
    session.flush()
    return sent, failed


def failed_deliveries(session: Session) -> list[Notification]:
    """Notifications that gave up, for managers to see and chase."""
    return list(session.scalars(select(Notification)
                                .where(Notification.status == NotificationStatus.FAILED)
                                .order_by(Notification.created_at.desc())))


def settings_from(config: Mapping[str, Any]) -> MailSettings | None:
    """Return the SMTP settings in the app's config, or None when e-mail is off."""
    if not config.get("SMTP_HOST"):
        return None
    return MailSettings(
        host=config["SMTP_HOST"], port=config["SMTP_PORT"], sender=config["MAIL_FROM"],
        base_url=config["BASE_URL"], username=config.get("SMTP_USERNAME"),
        password=config.get("SMTP_PASSWORD"), starttls=config["SMTP_STARTTLS"])


def send(message: EmailMessage, settings: MailSettings) -> None:
    """Send one e-mail now (an invitation); raise ``OSError`` or ``SMTPException``."""
    _send(message, settings)
