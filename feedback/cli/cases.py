"""Cases from the council's case-management system: ``cases import FILE.csv``."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.services import case_import
from feedback.web.i18n import CHILD_LANGUAGES
from feedback.web.staff.case_wording import reason


@click.group("cases")
def cases_group() -> None:
    """Children's cases: bulk import from the case-management system."""


@cases_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option("--skip-bad-rows", is_flag=True,
              help="Import the good rows even when some are refused.")
def import_cases(path: Path, dry_run: bool, skip_bad_rows: bool) -> None:
    """Create and update cases from a CSV file, all in one transaction.

    Columns: reference, first_name, pod, worker_email, age_band, language. A file
    with a refused row imports nothing unless --skip-bad-rows is given.
    """
    started = time.perf_counter()
    report = case_import.import_cases(db.session, path.read_bytes(), by=None,
                                      languages=CHILD_LANGUAGES, apply=not dry_run,
                                      skip_bad_rows=skip_bad_rows)
    try:
        if report.applied:
            db.session.commit()
        else:
            db.session.rollback()
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException("Cases changed while importing: nothing was imported. "
                                   "Run it again.") from None
    with force_locale("en_GB"):  # the refusals' words, outside any request
        _print(report, time.perf_counter() - started, dry_run)


def _print(report: case_import.ImportReport, took: float, dry_run: bool) -> None:
    if report.file_refusal is not None:
        raise click.ClickException(f"Nothing was imported. {reason(report.file_refusal)}")
    for row in report.rows:
        if row.outcome == case_import.REFUSED:
            why = "; ".join(reason(r) for r in row.refusals)
            click.echo(f"line {row.line}: {row.reference or '(no reference)'}: refused: {why}")
        elif row.outcome != case_import.UNCHANGED:
            detail = f" ({', '.join(row.changed)})" if row.changed else ""
            click.echo(f"line {row.line}: {row.reference}: {row.outcome}{detail}")
    counts = report.counts
    click.echo(f"{counts['created']} created, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged, {counts['refused']} refused "
               f"({took:.1f} s).")
    if report.applied:
        click.echo("Imported." + (" Refused rows were skipped." if counts["refused"] else ""))
    elif dry_run:
        click.echo("Dry run: nothing was imported.")
    else:
        raise click.ClickException("Nothing was imported: fix the refused rows, or run it "
                                   "again with --skip-bad-rows to import the others.")
