"""The board's commands.

- ``flask --app wsgi board export --period 2026-Q3 --format pdf``: the board summary as a file.
- ``flask --app wsgi board store-months``: count and store every settled month's figures.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from feedback.web.board.exporting import MIMETYPES, export_chunks, filename
from feedback.web.board.report import report_for
from feedback.extensions import db
from feedback.models import BoardMonthCounts, Response, today, utcnow
from feedback.services import audit, board_cache
from feedback.services.reports import Period, PeriodError


board_group = AppGroup("board", help="The board's summary as a file, and its stored months.")


def _write(target: Path, chunks: Iterator[bytes], count: int, fmt: str) -> int:
    """Write the pieces to the file (or standard output) with a progress bar on stderr."""
    written = 0
    stream = sys.stdout.buffer if str(target) == "-" else target.open("wb")
    try:
        with click.progressbar(chunks, length=count, label=f"Writing {fmt}",
                               file=sys.stderr) as bar:
            for chunk in bar:
                stream.write(chunk)
                written += len(chunk)
    finally:
        if stream is not sys.stdout.buffer:
            stream.close()
    return written


@board_group.command("export")
@click.option("--period", "period_code", required=True,
              help="2026-11 (month), 2026-Q3 (quarter) or 2026 (year).")
@click.option("--format", "fmt", type=click.Choice(sorted(MIMETYPES)), default="pdf",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; '-' for standard output. "
                   "Default: board-summary-<period>.<format> here.")
def export(period_code: str, fmt: str, output: Path | None) -> None:
    """Export the board summary for a period, showing progress on standard error."""
    try:
        period = Period.parse(period_code)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    if period.start > today():
        raise click.BadParameter("that period has not started yet", param_hint="--period")
    click.echo(f"Counting {period.code}...", err=True)
    # The report is worded as a page would be (the default language), so it needs a request.
    with current_app.test_request_context("/board/"):
        report = report_for(period, for_export=True)
        target = output or Path(filename(report, fmt))
        written = _write(target, export_chunks(report, fmt, utcnow()),
                         len(report.sheets()) + 1 if fmt == "csv" else 1, fmt)
    audit.record(db.session, "board.export", actor_kind="system",
                 detail={"period": period.code, "format": fmt, "via": "command line"})
    db.session.commit()
    click.echo(f"Wrote {written:,} bytes to {target}", err=True)


@board_group.command("store-months")
def store_months() -> None:
    """Count and store every settled month's figures that are missing or out of date.

    The board's pages store a month the first time they count it; run this after
    ``db upgrade`` and after the nightly retention run, so that no board member's
    page waits while years of comments are counted.
    """
    first = db.session.scalar(select(func.min(Response.submitted_on)))
    if first is None:
        click.echo("No responses yet: nothing to store.", err=True)
        return
    now = utcnow()
    for year in range(first.year, now.year + 1):
        board_cache.year_months(db.session, year, now)
    board_cache.theme_months(now)(db.session, date(first.year, 1, 1),
                                  date(now.year + 1, 1, 1))
    db.session.rollback()  # the months were stored in transactions of their own
    stored = db.session.scalar(select(func.count()).select_from(BoardMonthCounts))
    click.echo(f"{stored} month figures stored, from {first:%B %Y} on.", err=True)
