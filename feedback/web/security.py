"""The deny-by-default rule for staff pages, role checks, headers and the cross-site check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, g, request, session
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from feedback.extensions import login
from feedback.models import Role, StaffUser, utcnow
from feedback.services.errors import OutOfScopeError

F = TypeVar("F", bound=Callable[..., Any])

#: Blueprints whose every view is open: the child's pages.
PUBLIC_BLUEPRINTS = frozenset({"child"})


def public(view: F) -> F:
    """Mark a view as open to people who have not signed in."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    if endpoint.partition(".")[0] in PUBLIC_BLUEPRINTS and "." in endpoint:
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def require_roles(*roles: Role) -> Callable[[], None]:
    """Return a before-request hook that lets only these roles through (others: 404)."""

    def check() -> None:
        if current_user.is_authenticated and current_user.role not in roles:
            raise OutOfScopeError("endpoint", request.endpoint or "")

    return check


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Let only these roles use a view; everyone else gets the 404 of a missing page."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require_roles(*roles)()
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def start_staff_session(user: StaffUser) -> None:
    """Begin a signed-in session under a fresh id (no session fixation)."""
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    session.clear()
    session.permanent = True
    session["signed_in_at"] = utcnow().timestamp()


def deny_by_default() -> Any:
    """Send anyone not signed in to the sign-in page, unless the view is public."""
    if getattr(session, "store_unavailable", False):
        # Staff sign-in fails closed when the session store is down.
        abort(503)
    if is_public_endpoint(current_app, request.endpoint):
        return None
    if not current_user.is_authenticated:
        return login.unauthorized()
    signed_in_at = session.get("signed_in_at", 0)
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if utcnow().timestamp() - signed_in_at > limit:
        logout_user()
        session.clear()
        return login.unauthorized()
    return None


#: Methods that change something: only these must come from the service's own pages.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: ``Sec-Fetch-Site`` values of a request another site (even a sibling subdomain) started.
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


class CrossSiteRequestError(CSRFError):
    """An unsafe request another site started: refused like a bad CSRF token."""

    description = "The request was sent from another site."


def _origin(scheme: str, host: str) -> str:
    """Return ``scheme://host`` as a browser serialises it (lower case, no default port)."""
    scheme, host = scheme.lower(), host.lower()
    return f"{scheme}://{host.removesuffix(_DEFAULT_PORTS.get(scheme, ''))}"


def _split(origin: str) -> tuple[str, str]:
    scheme, _, host = origin.partition("://")
    return scheme, host


def refuse_cross_site() -> None:
    """Refuse an unsafe request that another site started (a CSRF check beside the token).

    It takes the place of Flask-WTF's strict Referer check, which the child's pages
    defeat themselves: they send ``Referrer-Policy: no-referrer``, so the browser sends
    no Referer. A ``Sec-Fetch-Site`` of ``cross-site`` or ``same-site`` is refused, and
    so is an ``Origin`` other than the request's own (scheme and host as ProxyFix
    reports them). ``Origin: null``, which Chromium sends on a form from a no-referrer
    page, passes: the CSRF token and the SameSite cookie still guard it.
    """
    if request.method not in UNSAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    origin = request.headers.get("Origin")
    own = _origin(request.scheme, request.host)
    if fetch_site in FOREIGN_FETCH_SITES:
        reason = f"Sec-Fetch-Site: {fetch_site}"
    elif origin is not None and origin != "null" and _origin(*_split(origin)) != own:
        reason = f"Origin {origin[:100]!r} is not {own!r}"
    else:
        return
    # Logged so that a proxy passing the wrong Host or scheme shows up at once.
    current_app.logger.warning("refused a %s from another site: %s (request %s)",
                               request.method, reason, g.get("request_id"))
    raise CrossSiteRequestError()


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "form-action 'self'", "object-src 'none'",
    "base-uri 'none'", "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=(), payment=(), usb=()"
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


def apply_headers(response: Response) -> Response:
    """Set the security headers every response carries."""
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Referrer-Policy"] = "no-referrer" if request.blueprint in PUBLIC_BLUEPRINTS \
        or not current_user.is_authenticated else "same-origin"
    if response.mimetype == "text/html" or response.is_json or is_download(response):
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return response


def is_download(response: Response) -> bool:
    """A file handed over (``Content-Disposition: attachment``): a case record, the
    board's figures, a subject-access file. No browser or proxy cache may keep one."""
    disposition = response.headers.get("Content-Disposition", "")
    return disposition.partition(";")[0].strip().lower() == "attachment"


def static_headers(headers: Any, path: str, url: str) -> None:
    """Security headers for static files (served by WhiteNoise before the app).

    WhiteNoise asks once per file, not per request, so HSTS, which depends on how
    the request came, is added by ``StrictTransport`` around it.
    """
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"


class StrictTransport:
    """WSGI middleware: ``Strict-Transport-Security`` on every response to an HTTPS
    request that lacks it, that is on static files (the app's own have it already).

    It sits inside ProxyFix, so "HTTPS" is the scheme the TLS proxy reported.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("wsgi.url_scheme") != "https":
            return self.app(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            if not any(name.lower() == "strict-transport-security" for name, _ in headers):
                headers.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
            return start_response(status, headers, *args)

        return self.app(environ, start)
