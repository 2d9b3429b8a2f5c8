"""The one check of a page to go back to (``next=``): a path on this site, or the fallback.

Browsers are generous with a ``Location``: they drop tabs and line breaks, strip
leading controls and spaces, read ``\\`` as ``/`` and ``//host`` as another site,
so ``/\\t/evil.example`` and ``/\\evil.example`` both leave the site (penetration
test, issue 22). Rather than list what is dangerous, this keeps only what is
plainly a path here: it starts with one ``/``, has no backslash, no whitespace
and no control or invisible character, no ``.`` or ``..`` segment, names no
scheme and no host, and stays
so once percent-decoded (twice, for a proxy that decodes once more).
"""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import unquote, urlsplit

#: Longer than any page of the service's own address.
MAX_LENGTH = 2048


def _plain_path(value: str) -> bool:
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return False
    if any(ch == "\\" or ch.isspace() or not ch.isprintable() for ch in value):
        return False
    parts = urlsplit(value)
    # ``/./`` and ``/../`` resolve to another path, ``/.//host`` to ``//host``.
    dotted = any(segment in (".", "..") for segment in parts.path.split("/"))
    return not parts.scheme and not parts.netloc and not dotted


def is_safe_next(value: object) -> TypeGuard[str]:
    """Say whether ``value`` is a path on this site, as written and when decoded."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return False
    once = unquote(value)
    return all(_plain_path(form) for form in (value, once, unquote(once)))


def safe_next(value: object, fallback: str) -> str:
    """Return ``value`` if it is a path on this site, else ``fallback``."""
    return value if is_safe_next(value) else fallback
