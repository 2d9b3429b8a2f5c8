"""Shared fixtures: an app on a fresh database per test, clients, and factories.

The database is SQLite unless ``DATABASE_URL`` names a PostgreSQL server; then
the suite creates its own database there for the run and drops it at the end.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from feedback.extensions import db
from apps import IS_POSTGRES, AuthActions, ChildActions, dispose, make_app
from servers import require

pytest_plugins = ["factories", "smtp_sink"]


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
def threaded_server(app_factory: Callable[..., Flask]) -> Iterator[tuple[Flask, str]]:
    """An app served over HTTP on loopback, a thread per request; yields it and its URL."""
    app = app_factory()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()
    httpd.server_close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture()
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture()
def child(client: FlaskClient) -> ChildActions:
    return ChildActions(client)
