"""PDF from HTML, with WeasyPrint (needs the system's Pango)."""

from __future__ import annotations

from weasyprint import HTML

from feedback.exports.fetching import STATIC, StaticFiles


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (its images inline) to PDF bytes.

    Relative URLs name the app's static files, and only those are ever fetched
    (``fetching.StaticFiles``). WeasyPrint writes no creation date unless the page
    has one.
    """
    return HTML(string=html, base_url=str(STATIC), url_fetcher=StaticFiles()).write_pdf()
