"""PDF from HTML, with WeasyPrint (needs the system's Pango)."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

STATIC = Path(__file__).resolve().parent.parent / "static"


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (its images inline) to PDF bytes."""
    # base_url points at our own static files; nothing is fetched from elsewhere.
    return HTML(string=html, base_url=str(STATIC)).write_pdf()
