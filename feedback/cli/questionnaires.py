"""Questionnaires and access codes: ``questionnaire …``, ``access-code``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Case, Questionnaire
from feedback.services import audit, codes, questionnaires


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
    """Print a fresh access code (for one response) for a case."""
    case = db.session.scalar(select(Case).where(Case.reference == case_ref))
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if case is None or not case.is_open:
        raise click.ClickException(f"No open case {case_ref}")
    if questionnaire is None:
        raise click.ClickException(f"No questionnaire {slug}")
    days = current_app.config["ACCESS_CODE_DAYS"]
    try:
        code, plain = codes.create_access_code(db.session, case, questionnaire, None, days * 24)
    except codes.NotPublishedError:
        raise click.ClickException(f"Questionnaire {slug} has no published version: "
                                   "an administrator publishes one first") from None
    audit.record(db.session, "access_code.create", object_type="case", object_id=case.id,
                 detail={"via": "command line"})
    db.session.commit()
    click.echo(f"{codes.display(plain)}  (one response, valid until "
               f"{code.expires_at:%Y-%m-%d %H:%M} UTC)")
