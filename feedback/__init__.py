"""Voice of the child: children's feedback for social workers and the safeguarding board.

``create_app`` lives in :mod:`feedback.app`. It is re-exported lazily so that
``import feedback.theming`` (a pure library with its own command line) does
not pull in Flask and SQLAlchemy.
"""

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from feedback.app import create_app

        return create_app
    raise AttributeError(f"module 'feedback' has no attribute {name!r}")
