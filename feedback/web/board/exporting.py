"""Turn a board report into a CSV, XLSX or PDF file (shared by the web page and the command)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _

from feedback.web.board.report import Report
from feedback.exports.board_pdf import board_report_pdf
from feedback.exports.tabular import csv_chunks, xlsx_bytes

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def filename(report: Report, fmt: str) -> str:
    return f"board-summary-{report.period.code}.{fmt}"


def pdf_html(report: Report) -> str:
    """Render the report page that becomes the PDF (styles and charts inline)."""
    return render_template("exports/board_report.html", report=report)


def export_chunks(report: Report, fmt: str, now: datetime) -> Iterator[bytes]:
    """Yield the file in pieces: CSV one table at a time, XLSX and PDF whole.

    Everything that needs the request (words in the reader's language) is done
    before the first piece, so the pieces can be streamed after the view returns.
    """
    if fmt == "csv":
        return (chunk.encode("utf-8") for chunk in csv_chunks(report.sheets()))
    if fmt == "xlsx":
        month = datetime(now.year, now.month, 1)
        title = _("Board summary: %(period)s", period=report.label)
        return iter([xlsx_bytes(report.sheets(), title, created=month)])
    return iter([board_report_pdf(pdf_html(report))])
