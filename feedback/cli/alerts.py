"""``alerts process``: escalate overdue alerts and send the e-mail outbox."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app

from feedback.extensions import db
from feedback.models import utcnow
from feedback.services import alerts, notifications


@click.group("alerts")
def alerts_group() -> None:
    """Escalate and deliver alerts (run every few minutes from cron or a scheduler)."""


@alerts_group.command("process")
@click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]), default=None,
              help="Act as if it were this time (drills and tests), e.g. 2026-11-26T15:00:00+0000.")
def process_alerts(now: datetime | None) -> None:
    """Escalate overdue alerts to managers, then send the e-mails that are due."""
    now = now.astimezone(UTC) if now else utcnow()
    mail = notifications.settings_from(current_app.config)
    escalated = alerts.escalate_due(db.session, now, current_app.config["ALERT_ESCALATION_HOURS"],
                                    notify=mail is not None)
    db.session.commit()
    sent = failed = 0
    if mail is not None:
        sent, failed = notifications.deliver_due(db.session, mail, now)
        db.session.commit()
    click.echo(f"{len(escalated)} escalated, {sent} e-mail(s) sent, {failed} to retry"
               + ("" if mail else " (no SMTP_HOST: alerts are shown in the app only)"))
