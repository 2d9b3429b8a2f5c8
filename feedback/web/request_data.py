"""Form and query data with the characters no database can store taken out.

PostgreSQL's text type cannot hold NUL, and no one types the other C0 control
characters on purpose; a hostile or broken client can still send them. They
are removed as the request is parsed, before any form, view or journey sees
the data, so every path stores the same text on SQLite and on PostgreSQL and
nothing a child typed is lost (tabs and line breaks are kept).

A path with such a character names no page: it is a 404 before any view runs.

Only a view marked ``accepts_files`` takes a file. Flask-WTF hands a form the
uploaded files beside its text, so a file sent as a text field reached the views
as an object they could not read (a 500, penetration test issue 22); a request
that sends one anywhere else is refused.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Request, abort, current_app, request
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, iter_multi_items

_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str) -> str:
    """``value`` without NUL and the other control characters except tab and line breaks."""
    return _UNSTORABLE.sub("", value)


class CleanMultiDict(ImmutableMultiDict[str, Any]):
    """An immutable multi-dict whose keys and string values have been cleaned."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        super().__init__([(clean(key), value if isinstance(value, FileStorage)
                           else clean(value) if isinstance(value, str) else value)
                          for key, value in iter_multi_items(mapping)])


#: Paths a load balancer asks by the server's own address: they build no link from
#: the host, so they answer whatever ``Host`` is named (every other path: TRUSTED_HOSTS).
ANY_HOST_PATHS = frozenset({"/healthz", "/readyz"})


class CleanRequest(Request):
    """The app's request class: ``args`` and ``form`` hold cleaned text."""

    parameter_storage_class = CleanMultiDict
    _trusted_hosts: list[str] | None = None

    @property  # type: ignore[override]
    def trusted_hosts(self) -> list[str] | None:
        """Flask sets this from TRUSTED_HOSTS; the health checks are left out."""
        return None if self.path in ANY_HOST_PATHS else self._trusted_hosts

    @trusted_hosts.setter
    def trusted_hosts(self, value: list[str] | None) -> None:
        self._trusted_hosts = value


def refuse_unstorable_paths() -> None:
    """Answer 404 for a path with NUL or another control character: no page has one,
    and a view would pass it to the database (PostgreSQL refuses NUL: a 500).

    Not for the API: it answers 401 to a request without a token before anything else
    (``docs/api.md``), and its views refuse such a reference themselves.
    """
    if _UNSTORABLE.search(request.path) and request.blueprint != "api":
        abort(404)


def refuse_files() -> None:
    """Refuse (400) a request that uploads a file, unless its view says it takes one
    (``view.accepts_files = True``: the case import)."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.files and not getattr(view, "accepts_files", False):
        abort(400)
