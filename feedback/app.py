"""The application factory."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask_babel import format_date, format_datetime, format_decimal, format_timedelta
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from feedback import cli, database
from feedback.config import SETTINGS, load_config
from feedback.extensions import babel, csrf, db, limiter, login, migrate
from feedback.models import StaffUser
from feedback.services import passwords
from feedback.web import caches, errors, fragments, i18n, labels, logs, security
from feedback.web.admin import bp as admin_bp
from feedback.web.api import bp as api_bp
from feedback.web.auth import bp as auth_bp
from feedback.web.board import bp as board_bp
from feedback.web.child import bp as child_bp
from feedback.web.health import bp as health_bp
from feedback.web.numbers import DatabaseIntConverter
from feedback.web.request_data import CleanRequest, refuse_files, refuse_unstorable_paths
from feedback.web.sessions import init_sessions
from feedback.web.staff import bp as staff_bp

ROOT = Path(__file__).resolve().parent.parent
_SETTING_NAMES = frozenset(s.name for s in SETTINGS)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app from the environment, with ``config`` taking precedence."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                instance_path=str(ROOT / "instance"))
    # Before any route is added: an id in an address is never past the database's range.
    app.url_map.converters["int"] = DatabaseIntConverter
    app.request_class = CleanRequest
    overrides = dict(config or {})
    environ = {**os.environ,
               **{k: str(overrides.pop(k)) for k in list(overrides) if k in _SETTING_NAMES}}
    app.config.update(load_config(environ, app.instance_path))
    app.config.update(overrides)
    passwords.use_cost(app.config["FEEDBACK_ENV"])
    # Static files are served pre-compressed (gzip), before the app sees the request.
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app, root=app.static_folder, prefix="static/", max_age=3600,
        add_headers_function=security.static_headers)
    app.wsgi_app = security.StrictTransport(app.wsgi_app)  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore
    app.before_request(_start_request)
    app.before_request(refuse_unstorable_paths)
    app.before_request(refuse_files)
    logs.init_app(app)
    caches.init_app(app)
    _init_extensions(app)
    for blueprint in (health_bp, child_bp, auth_bp, staff_bp, board_bp, admin_bp, api_bp):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    cli.init_app(app)
    app.after_request(_finish_request)
    app.after_request(security.apply_headers)
    app.context_processor(_template_globals)
    app.jinja_env.globals.update(format_date=format_date, format_datetime=format_datetime,
                                 format_number=format_decimal,
                                 format_timedelta=format_timedelta,
                                 fragment=fragments.fragment, link=fragments.link)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    # Where an unsafe request came from is checked first, so that a request from
    # another site is refused as such whatever token it carries.
    app.before_request(security.refuse_cross_site)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(ROOT / "translations"))
    # Templates get Flask-Login's ``current_user`` proxy itself, not the user it loads:
    # a child's page never asks who is signed in, so it never loads anyone.
    login.init_app(app, add_context_processor=False)
    app.jinja_env.globals["current_user"] = current_user
    login.login_view = "auth.sign_in"
    login.login_message = None
    login.user_loader(_load_user)
    limiter.init_app(app)
    init_sessions(app)
    app.before_request(security.deny_by_default)


def _load_user(user_id: str) -> StaffUser | None:
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


def _start_request() -> None:
    g.request_id = secrets.token_hex(8)


def _finish_request(response: Any) -> Any:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def _template_globals() -> dict[str, Any]:
    return {"language": i18n.current_language(), "languages": i18n.LANGUAGES,
            "request_id": g.get("request_id"), "labels": labels}
