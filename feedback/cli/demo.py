"""``demo-data``: a realistic demo to try the service with."""

from __future__ import annotations

import click

from feedback import demo
from feedback.extensions import db
from feedback.web.analyser import current_analyser


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
