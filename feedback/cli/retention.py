"""``retention apply``: delete what the service no longer needs to hold."""

from __future__ import annotations

import click
from flask import current_app

from feedback.extensions import db
from feedback.models import utcnow
from feedback.services import retention


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
