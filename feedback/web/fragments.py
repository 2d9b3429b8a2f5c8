"""Parts of a child's page that are the same for every child reading in one language,
and links that are the same on every request.

The child's header, footer, time-out warning and language links are rendered
once per language (and, for the links, per page they lead back to) and then
reused from the app's cache registry. So nothing a child wrote and nothing from a
child's session may go into a fragment: ``tests/test_fragments.py`` renders two
children's pages and scans every fragment template for the variables it reads.
"""

from __future__ import annotations

from collections.abc import Hashable

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from feedback.web.caches import caches

#: Rendered fragments kept per app (a language × page-to-come-back-to each).
MAX_FRAGMENTS = 2048
#: The only variables a fragment may be rendered with, besides the template globals.
VARY = frozenset({"next"})


def fragment(template: str, **vary: str) -> Markup:
    """Return ``template`` rendered in the page's language, with ``vary`` as its only
    other variables (each distinct value is rendered, and kept, separately)."""
    if not vary.keys() <= VARY:
        raise ValueError(f"a fragment varies only by {sorted(VARY)}, not {sorted(vary)}")
    if current_app.jinja_env.auto_reload:  # templates may change: render every time
        # A rendered template is already autoescaped HTML: Markup only says so.
        return Markup(render_template(template, **vary))  # nosec B704 # autoescaped
    key = (template, str(get_locale()), tuple(sorted(vary.items())))
    rendered = caches().bounded("fragments.html", MAX_FRAGMENTS)
    found: Markup = rendered.get_or_make(
        key, lambda: Markup(render_template(template, **vary)))  # nosec B704 # as above
    return found


def link(endpoint: str, **values: Hashable) -> str:
    """``url_for`` for a path that is the same on every request (built once, then reused).

    Only for links made from the template's own values, never from a child's data.
    """
    if not has_request_context():
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    links = caches().bounded("fragments.links", MAX_FRAGMENTS)
    found: str = links.get_or_make(key, lambda: url_for(endpoint, **values))
    return found
