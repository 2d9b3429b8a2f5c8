"""Staff-facing words for things stored as codes or timestamps: one place, so the case
page, the printed code slip and the case record say the same."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import format_date, format_time, gettext as _


def when(moment: datetime | None) -> str:
    """Say a moment as people write it: "6 December 2026 at 10:32pm" (UK time)."""
    if moment is None:
        return ""
    # Translators: a date and a time, "6 December 2026 at 10:32pm".
    return _("%(date)s at %(time)s", date=format_date(moment, "d MMMM y"),
             time=format_time(moment, "h:mma").lower().replace(" ", ""))


def address(url: str) -> str:
    """Write a web address as a person types it: no ``https://``, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")
