"""Staff and teams: ``create-staff``, ``pods duty-team``."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Pod, Role
from feedback.services import accounts, alert_routing


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
