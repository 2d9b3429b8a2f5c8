"""Form and query data with the characters no database can store taken out.

PostgreSQL's text type cannot hold NUL, and no one types the other C0 control
characters on purpose; a hostile or broken client can still send them. They
are removed as the request is parsed, before any form, view or journey sees
the data, so every path stores the same text on SQLite and on PostgreSQL and
nothing a child typed is lost (tabs and line breaks are kept).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Request
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


class CleanRequest(Request):
    """The app's request class: ``args`` and ``form`` hold cleaned text."""

    parameter_storage_class = CleanMultiDict
