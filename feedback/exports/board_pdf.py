"""The board report as PDF, from a rendered, self-contained HTML page (charts inline)."""

from __future__ import annotations

from feedback.exports.pdf import html_to_pdf


def board_report_pdf(html: str) -> bytes:
    """Render the report's HTML to PDF bytes.

    The page carries its styles and SVG charts inline; like every PDF it may
    fetch nothing but the app's static files (``feedback/exports/fetching.py``).
    """
    return html_to_pdf(html)
