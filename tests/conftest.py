"""Shared fixtures: an app on a fresh database per test, clients, and factories.

The database is SQLite unless ``DATABASE_URL`` names a PostgreSQL server; then
the suite creates its own database there for the run and drops it at the end.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from feedback import create_app
from feedback.extensions import db
from servers import require

pytest_plugins = ["factories"]

SECRET = "test-secret-key-that-is-long-enough-0123456789"
IS_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


def make_app(database_url: str, **config: object) -> Flask:
    return create_app({"FEEDBACK_ENV": "testing", "SECRET_KEY": SECRET,
                       "DATABASE_URL": database_url, "REDIS_URL": "",
                       "WTF_CSRF_ENABLED": False, **config})


def dispose(app: Flask) -> None:
    """Close every database connection the app opened."""
    db.session.remove()
    db.engine.dispose()
    if "session_engine" in app.extensions:
        app.extensions["session_engine"].dispose()


def _migrate(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        dispose(app)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """Create a PostgreSQL database for this run, migrated; drop it afterwards."""
    server = make_url(os.environ.get("DATABASE_URL") if IS_POSTGRES
                      else os.environ.get("TEST_POSTGRES_URL",
                                          "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    require("PostgreSQL", server.render_as_string(hide_password=True))
    name = f"feedback_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate one SQLite file; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture()
def postgres_url(postgres_database: str) -> Iterator[str]:
    """A migrated PostgreSQL database, emptied after the test."""
    yield postgres_database
    _truncate(postgres_database)


@pytest.fixture()
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite file of the test's own."""
    path = tmp_path / "feedback.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture()
def database_url(request: pytest.FixtureRequest) -> str:
    """The lane's database: PostgreSQL when DATABASE_URL names one, else SQLite."""
    return str(request.getfixturevalue("postgres_url" if IS_POSTGRES else "sqlite_url"))


def _truncate(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = [t.name for t in db.metadata.sorted_tables]
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture()
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    with app.app_context():
        yield app
        dispose(app)


@pytest.fixture()
def app_factory(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Make extra apps on the test's database with other settings; close them after."""
    made: list[Flask] = []

    def make(**config: object) -> Flask:
        made.append(make_app(database_url, **config))
        return made[-1]

    yield make
    for extra in made:
        with extra.app_context():
            dispose(extra)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    """Sign in and out as a member of staff would."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def sign_in(self, email: str, password: str = "correct-horse-battery", **kwargs: object):
        return self._client.post("/staff/sign-in", data={"email": email, "password": password},
                                 **kwargs)

    def sign_out(self):
        return self._client.post("/staff/sign-out")


@pytest.fixture()
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


class ChildActions:
    """Answer a questionnaire as a child would, through the web pages."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def enter_code(self, code: str, **kwargs: object):
        return self.client.post("/", data={"code": code}, **kwargs)

    def answer(self, number: int, **fields: str):
        return self.client.post(f"/questions/{number}", data=fields)

    def send_form(self) -> dict[str, str]:
        """Return the fields of the Send form on the check-your-answers page."""
        page = self.client.get("/check").get_data(as_text=True)
        found = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
        return {name: html.unescape(value) for name, value in found}

    def send(self, form: dict[str, str] | None = None):
        return self.client.post("/send", data=form if form is not None else self.send_form())


@pytest.fixture()
def child(client: FlaskClient) -> ChildActions:
    return ChildActions(client)
