"""The board report as PDF, from a rendered, self-contained HTML page (charts inline)."""

from __future__ import annotations

from weasyprint import HTML


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the board report fetches nothing ({url.split(':')[0]} URL refused)")


def board_report_pdf(html: str) -> bytes:
    """Render the report's HTML to PDF bytes.

    Nothing is fetched: the page carries its styles and SVG charts inline, and no
    base URL is given. WeasyPrint writes no creation date unless the page has one.
    """
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
