"""Command-line tasks: ``flask --app wsgi <command>``."""

from __future__ import annotations

import sys

import click
from flask import Flask
from sqlalchemy import select

from feedback import demo
from feedback.extensions import db
from feedback.models import Pod, Role
from feedback.services import accounts, questionnaires


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
        sign_ins = demo.build_demo(db.session)
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


def init_app(app: Flask) -> None:
    for command in (create_staff, demo_data, questionnaire_group):
        app.cli.add_command(command)
