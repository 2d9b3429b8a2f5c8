"""Parts of a page that are the same for everyone reading in one language, and links
that are the same on every request.

The child's header, footer, time-out warning and language links are rendered
once per language (and, for the links, per page they lead back to) and then
reused: a child's page renders only what is its own. Nothing a child wrote and
nothing from their session goes into a fragment.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

#: More keys than this (a page path per language link set) empties the cache.
MAX_FRAGMENTS = 2048

T = TypeVar("T")

_rendered: dict[Any, Markup] = {}
_urls: dict[Any, str] = {}


def _kept(store: dict[Any, T], key: Any, build: Callable[[], T]) -> T:
    """Return ``store[key]``, building it first if missing; a full store is emptied."""
    found = store.get(key)
    if found is None:
        if len(store) >= MAX_FRAGMENTS:
            store.clear()
        found = store[key] = build()
    return found


def fragment(template: str, **vary: str) -> Markup:
    """Return ``template`` rendered in the page's language, with ``vary`` as its only
    other variables (each distinct value is rendered, and kept, separately)."""
    if current_app.jinja_env.auto_reload:  # templates may change: render every time
        return Markup(render_template(template, **vary))
    return _kept(_rendered, (template, get_locale(), tuple(sorted(vary.items()))),
                 lambda: Markup(render_template(template, **vary)))


def link(endpoint: str, **values: Hashable) -> str:
    """``url_for`` for a path that is the same on every request (built once, then reused).

    Only for links made from the template's own values: the cache holds every
    distinct set it is given, up to ``MAX_FRAGMENTS``.
    """
    if not has_request_context():
        return url_for(endpoint, **values)
    return _kept(_urls, (request.script_root, endpoint, tuple(sorted(values.items()))),
                 lambda: url_for(endpoint, **values))
