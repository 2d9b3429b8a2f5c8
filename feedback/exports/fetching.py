"""The one URL fetcher of every PDF: the app's own static files, and nothing else.

WeasyPrint fetches what a page names (stylesheets, images, fonts) over any
scheme: ``http://`` (a request from the server, to anywhere), ``file://`` (any
file the app can read), ``data:``. A PDF is made from a page holding a child's
words, so nothing it names may be fetched unless it is a file under
``feedback/static`` (penetration test, issue 22).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC = Path(__file__).resolve().parent.parent / "static"


class RefusedURL(ValueError):
    """A URL the PDF may not fetch."""


def static_file(url: str) -> Path:
    """The file under ``STATIC`` that ``url`` names, or RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc:
        raise RefusedURL(f"a PDF fetches only the app's static files ({parts.scheme} URL refused)")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC) or not path.is_file():
        raise RefusedURL("a PDF fetches only the app's static files (file outside them refused)")
    return path


class StaticFiles(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, reading only the app's static files; never the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_file(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  headers={"Content-Type": content_type})
