"""Numbers from addresses and query strings, kept to what the database can hold.

Every id is an ``INTEGER`` column: 32 bits on PostgreSQL, which answers a larger
number with "integer out of range" (a 500 on both databases once it reaches
SQLite's 64 bits). So an id or page number past that range is a page that does
not exist (404), found before any query is made (penetration test, issue 22).
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from werkzeug.routing import IntegerConverter, Map

#: The largest ``INTEGER`` on PostgreSQL (and the smallest range of the two databases).
DATABASE_INT_MAX = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` in every route: digits 0–9 only, no larger than an id can be."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (Werkzeug's)
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(map, *args, **kwargs)


def database_int(text: str | None) -> int | None:
    """Return ``text`` as an id or page number, or None if it cannot be one."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if value <= DATABASE_INT_MAX else None


def int_arg(name: str, default: int | None = None) -> int | None:
    """A whole-number query argument: ``default`` if absent, 404 if it is not one we could hold."""
    text = request.args.get(name)
    if text is None or text == "":
        return default
    value = database_int(text)
    if value is None:
        abort(404)
    return value
