"""Server-side sessions: Redis when configured, otherwise the database.

Flask-Session provides the cookie handling, serialisation and id rotation;
its own SQLAlchemy store commits the app's shared database session at the
end of every request (and creates its table outside migrations), so the
database store here writes through its own short transaction instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from redis import Redis
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from feedback.extensions import db
from feedback.models.base import utcnow
from feedback.models.web_sessions import WebSession

#: A child's questionnaire session ends after this long without a request
#: (WCAG 2.2.1: the page warns at 8 minutes and one tap extends it).
CHILD_IDLE_LIMIT = timedelta(minutes=10)

_table = WebSession.__table__
_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class ChildLifetimeMixin:
    """Give a session holding a child's answers the child's shorter idle limit."""

    @staticmethod
    def lifetime(session: ServerSideSession, default: timedelta) -> timedelta:
        return CHILD_IDLE_LIMIT if session.get("journey") else default

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        super()._upsert_session(  # type: ignore[misc]
            self.lifetime(session, session_lifetime), session, store_id)

    def get_expiration_time(self, app: Flask, session: ServerSideSession) -> datetime | None:
        if session.permanent:
            return datetime.now(UTC) + self.lifetime(session, app.permanent_session_lifetime)
        return None


class ChildAwareRedisSessionInterface(ChildLifetimeMixin, RedisSessionInterface):
    """Flask-Session's Redis store with the child's idle limit."""


class DatabaseSessionInterface(ChildLifetimeMixin, ServerSideSessionInterface):
    """Keep sessions in the ``web_sessions`` table; expired rows are ignored and purged."""

    ttl = False

    def __init__(self, app: Flask) -> None:
        super().__init__(app, key_prefix="", sid_length=32, serialization_format="msgpack",
                         cleanup_n_requests=200)

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        with db.engine.connect() as connection:
            row = connection.execute(
                select(_table.c.data).where(_table.c.session_id == store_id,
                                            _table.c.expires_at > utcnow())).first()
        return self.serializer.decode(row.data) if row else None

    def _delete_session(self, store_id: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(_table).where(_table.c.session_id == store_id))

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        values = {"data": self.serializer.encode(session),
                  "expires_at": utcnow() + session_lifetime}
        dialect_insert = _UPSERTS[db.engine.dialect.name]
        statement = dialect_insert(_table).values(session_id=store_id, **values)
        statement = statement.on_conflict_do_update(index_elements=[_table.c.session_id],
                                                    set_=values)
        with db.engine.begin() as connection:
            connection.execute(statement)

    def _delete_expired_sessions(self) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(_table).where(_table.c.expires_at <= utcnow()))


def init_sessions(app: Flask) -> None:
    """Install the server-side session store the configuration asks for."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        app.session_interface = ChildAwareRedisSessionInterface(
            app, client=Redis.from_url(redis_url, socket_timeout=2), key_prefix="session:",
            sid_length=32, serialization_format="msgpack")
    else:
        app.session_interface = DatabaseSessionInterface(app)
