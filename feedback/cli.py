"""Command-line tasks: ``flask --app wsgi <command>``."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from sqlalchemy import select

from feedback import demo
from feedback.analyser import current_analyser
from feedback.extensions import db
from feedback.models import Case, Pod, Questionnaire, Role, utcnow
from feedback.services import (
    accounts, alert_routing, alerts, audit, codes, notifications, questionnaires, retention,
)
from feedback.theming_cli import theming_group


@click.command("create-staff")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--pod", "pod_name", help="Pod name (created if new); workers and managers need one.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_staff(email: str, name: str, role: str, pod_name: str | None,
                 password_stdin: bool) -> None:
    """Create a staff account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    pod = None
    if pod_name:
        pod = db.session.scalar(select(Pod).where(Pod.name == pod_name))
        if pod is None:
            pod = Pod(name=pod_name)
            db.session.add(pod)
    try:
        user = accounts.create_staff(db.session, email=email, name=name, role=Role(role),
                                     password=password, pod=pod)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}")


@click.command("demo-data")
def demo_data() -> None:
    """Fill the database with a realistic demo and print the demo sign-ins."""
    if demo.has_demo(db.session):
        click.echo("Demo data is already loaded. Demo sign-ins:")
        sign_ins = demo.demo_sign_ins(db.session)
    else:
        sign_ins = demo.build_demo(db.session, current_analyser())
        db.session.commit()
        click.echo("Demo data loaded. Demo sign-ins:")
    for sign_in in sign_ins:
        click.echo(f"  {sign_in.role:8} {sign_in.email:28} {sign_in.pod}")
    click.echo(f"Demo password for every account: {demo.DEMO_PASSWORD}")


@click.group("questionnaire")
def questionnaire_group() -> None:
    """Manage questionnaires."""


@questionnaire_group.command("install-builtin")
def install_builtin() -> None:
    """Install or update the questionnaires that ship with the service."""
    added = questionnaires.install_builtin(db.session)
    db.session.commit()
    click.echo(f"{len(added)} questionnaire version(s) added.")


@questionnaire_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_questionnaire(path: Path) -> None:
    """Add a questionnaire (or a new version of one) from a JSON file."""
    try:
        version = questionnaires.save(db.session, questionnaires.load_file(path))
    except questionnaires.QuestionnaireError as error:
        raise click.ClickException(f"{path.name}: {error}") from None
    db.session.commit()
    if version is None:
        click.echo("No change: that questionnaire is already installed as it is.")
    else:
        click.echo(f"Installed {version.questionnaire.slug} version {version.number}.")


@click.command("access-code")
@click.argument("case_ref")
@click.option("--questionnaire", "slug", default="how-are-things", show_default=True)
def access_code(case_ref: str, slug: str) -> None:
    """Print a fresh single-use access code for a case."""
    case = db.session.scalar(select(Case).where(Case.reference == case_ref))
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if case is None or not case.is_open:
        raise click.ClickException(f"No open case {case_ref}")
    if questionnaire is None:
        raise click.ClickException(f"No questionnaire {slug}")
    hours = current_app.config["ACCESS_CODE_HOURS"]
    code, plain = codes.create_access_code(db.session, case, questionnaire, None, hours)
    audit.record(db.session, "access_code.create", object_type="case", object_id=case.id,
                 detail={"via": "command line"})
    db.session.commit()
    click.echo(f"{codes.display(plain)}  (single use, valid for {hours} hours)")


@click.group("alerts")
def alerts_group() -> None:
    """Escalate and deliver alerts (run every few minutes from cron or a scheduler)."""


@alerts_group.command("process")
@click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]), default=None,
              help="Act as if it were this time (drills and tests), e.g. 2026-11-26T15:00:00+0000.")
def process_alerts(now: datetime | None) -> None:
    """Escalate overdue alerts to managers, then send the e-mails that are due."""
    now = now.astimezone(UTC) if now else utcnow()
    mail = mail_settings(current_app.config)
    escalated = alerts.escalate_due(db.session, now, current_app.config["ALERT_ESCALATION_HOURS"],
                                    notify=mail is not None)
    db.session.commit()
    sent = failed = 0
    if mail is not None:
        sent, failed = notifications.deliver_due(db.session, mail, now)
        db.session.commit()
    click.echo(f"{len(escalated)} escalated, {sent} e-mail(s) sent, {failed} to retry"
               + ("" if mail else " (no SMTP_HOST: alerts are shown in the app only)"))


@click.group("pods")
def pods_group() -> None:
    """Teams: which one is the duty (front-door) safeguarding team."""


@pods_group.command("duty-team")
@click.argument("pod_name")
@click.option("--off", is_flag=True, help="Stop this pod being a duty team.")
def duty_team(pod_name: str, off: bool) -> None:
    """Mark a pod as the duty team: it sees every session alert and every escalation."""
    pod = db.session.scalar(select(Pod).where(Pod.name == pod_name))
    if pod is None:
        raise click.ClickException(f"No pod named {pod_name!r}")
    alert_routing.set_duty_team(db.session, pod, not off)
    db.session.commit()
    teams = ", ".join(p.name for p in alert_routing.duty_pods(db.session)) or "none"
    click.echo(f"{pod.name} is {'no longer ' if off else ''}a duty team. Duty teams: {teams}")


@click.group("retention")
def retention_group() -> None:
    """Delete what the service no longer needs to hold (run nightly)."""


@retention_group.command("apply")
@click.option("--dry-run", is_flag=True, help="Report what would be deleted; delete nothing.")
def apply_retention(dry_run: bool) -> None:
    """Delete old anonymous responses, and case responses filed in the case record long ago."""
    report = retention.apply(db.session, utcnow(),
                             session_days=current_app.config["RETENTION_SESSION_DAYS"],
                             case_days=current_app.config["RETENTION_CASE_DAYS"],
                             dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was deleted. It would have done this:")
    else:
        db.session.commit()
    for line in report.lines():
        click.echo(f"  {line}")


def mail_settings(config: Mapping[str, Any]) -> notifications.MailSettings | None:
    """Return the SMTP settings, or None when e-mail is off."""
    if not config.get("SMTP_HOST"):
        return None
    return notifications.MailSettings(
        host=config["SMTP_HOST"], port=config["SMTP_PORT"], sender=config["MAIL_FROM"],
        base_url=config["BASE_URL"], username=config.get("SMTP_USERNAME"),
        password=config.get("SMTP_PASSWORD"), starttls=config["SMTP_STARTTLS"])


def init_app(app: Flask) -> None:
    app.cli.add_command(theming_group)
    for command in (create_staff, demo_data, questionnaire_group, access_code, alerts_group,
                    pods_group, retention_group):
        app.cli.add_command(command)
