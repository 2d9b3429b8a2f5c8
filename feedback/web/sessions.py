"""Server-side sessions: Redis when configured, otherwise the database.

Flask-Session provides the cookie handling, serialisation and id rotation;
its own SQLAlchemy store commits the app's shared database session at the
end of every request (and creates its table outside migrations), so the
database store here writes through its own short transaction instead.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request, request
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import bindparam, delete, select

from feedback.database import DIALECT_INSERTS, separate_engine
from feedback.models.base import utcnow
from feedback.models.web_sessions import WebSession

#: A child's questionnaire session ends after this long without a request
#: (WCAG 2.2.1: the page warns at 8 minutes and one tap extends it).
CHILD_IDLE_LIMIT = timedelta(minutes=10)

REFRESH_EVERY_SECONDS = 60

_table = WebSession.__table__


def _upsert(dialect_insert: Any) -> Any:
    statement = dialect_insert(_table)
    return statement.on_conflict_do_update(
        index_elements=[_table.c.session_id],
        set_={"data": statement.excluded.data, "expires_at": statement.excluded.expires_at})


# Built once: every request with a session cookie runs one or two of these.
_UPSERTS = {name: _upsert(dialect_insert) for name, dialect_insert in DIALECT_INSERTS.items()}
_SELECT = select(_table.c.data).where(_table.c.session_id == bindparam("sid"),
                                      _table.c.expires_at > bindparam("now"))
_DELETE = delete(_table).where(_table.c.session_id == bindparam("sid"))
_DELETE_EXPIRED = delete(_table).where(_table.c.expires_at <= bindparam("now"))


class SessionPolicyMixin:
    """The service's rules on top of Flask-Session's stores.

    - A session holding a child's answers gets the child's shorter idle limit.
    - A new session id (sign-in, a child starting or finishing) drops the old
      stored session when the response is saved, after the view has committed:
      deleting it mid-request would wait on the request's own write lock in SQLite.
    - An unchanged session is written back at most once a minute, just to push
      its expiry out: idle limits hold to the minute without a write per request.
    """

    def should_set_storage(self, app: Flask, session: ServerSideSession) -> bool:
        if session.modified:
            return True
        return time.time() - float(session.get("_refreshed", 0)) > REFRESH_EVERY_SECONDS

    def regenerate(self, session: ServerSideSession) -> None:
        if getattr(session, "replaced_store_id", None) is None:
            session.replaced_store_id = self._get_store_id(session.sid)  # type: ignore
        session.sid = self._generate_sid(self.sid_length)  # type: ignore[attr-defined]
        session.modified = True

    #: The store drops a replaced session in the same write that stores its successor.
    replaces_in_upsert = False

    def save_session(self, app: Flask, session: ServerSideSession, response: Any) -> None:
        replaced = getattr(session, "replaced_store_id", None)
        if replaced is not None and session and self.replaces_in_upsert:
            # Not empty and modified (``regenerate``), so it is about to be upserted.
            session.drop_store_id = replaced  # type: ignore[attr-defined]
        elif replaced is not None:
            self._delete_session(replaced)  # type: ignore[attr-defined]
        super().save_session(app, session, response)  # type: ignore[misc]

    @staticmethod
    def lifetime(session: ServerSideSession, default: timedelta) -> timedelta:
        return CHILD_IDLE_LIMIT if session.get("journey") else default

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        session["_refreshed"] = time.time()
        super()._upsert_session(  # type: ignore[misc]
            self.lifetime(session, session_lifetime), session, store_id)

    def get_expiration_time(self, app: Flask, session: ServerSideSession) -> datetime | None:
        if session.permanent:
            return datetime.now(UTC) + self.lifetime(session, app.permanent_session_lifetime)
        return None


class _DatabaseStore(ServerSideSessionInterface):
    """Keep sessions in the ``web_sessions`` table; expired rows are ignored and purged."""

    ttl = False

    def __init__(self, app: Flask, primary: bool = True) -> None:
        # Its own pool: a request holding the app's connection never waits on the
        # app's pool to load or save its session, however busy the server is.
        self.engine = separate_engine(app.config["SQLALCHEMY_DATABASE_URI"],
                                      app.config["SQLALCHEMY_ENGINE_OPTIONS"],
                                      durable=False)
        app.extensions["session_engine"] = self.engine
        self.upsert = _UPSERTS[self.engine.dialect.name]
        # As the store, it purges expired rows every 200 requests or so; as Redis's
        # fallback it holds few, and ``retention apply`` purges those.
        super().__init__(app, key_prefix="", sid_length=32, serialization_format="msgpack",
                         cleanup_n_requests=200 if primary else None)

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            data = connection.execute(_SELECT, {"sid": store_id, "now": utcnow()}).scalar()
        return self.serializer.decode(data) if data is not None else None

    def _delete_session(self, store_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(_DELETE, {"sid": store_id})

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        row = {"session_id": store_id, "data": self.serializer.encode(session),
               "expires_at": utcnow() + session_lifetime}
        dropped = getattr(session, "drop_store_id", None)
        with self.engine.begin() as connection:
            if dropped is not None:
                connection.execute(_DELETE, {"sid": dropped})
            connection.execute(self.upsert, row)

    def _delete_expired_sessions(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(_DELETE_EXPIRED, {"now": utcnow()})


class DatabaseSessionInterface(SessionPolicyMixin, _DatabaseStore):
    """The database store under the service's rules (the mixin's methods come first)."""

    replaces_in_upsert = True


def _is_staff_path(path: str) -> bool:
    # Routing has not happened when the session opens, so go by the path.
    return path.startswith(("/staff", "/board", "/admin"))


class _RedisStore(RedisSessionInterface):
    """Flask-Session's Redis store; a replaced session goes in the same round trip
    as the upsert of its successor."""

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        dropped = getattr(session, "drop_store_id", None)
        if dropped is None:
            return super()._upsert_session(session_lifetime, session, store_id)
        pipeline = self.client.pipeline(transaction=False)
        pipeline.delete(dropped)
        pipeline.set(name=store_id, value=self.serializer.encode(session),
                     ex=int(session_lifetime.total_seconds()))
        pipeline.execute()
        return None


class ChildAwareRedisSessionInterface(SessionPolicyMixin, _RedisStore):
    """Flask-Session's Redis store with the child's idle limit, and a way through an outage.

    If Redis cannot be reached, a child carries on with a session in the
    database, so their words still arrive; staff pages fail closed instead,
    with a page that says sign-in is unavailable.
    """

    replaces_in_upsert = True

    def __init__(self, app: Flask, fallback: DatabaseSessionInterface, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.fallback = fallback

    def open_session(self, app: Flask, request: Request) -> ServerSideSession:
        try:
            if _is_staff_path(request.path) and not request.cookies.get(
                    app.config["SESSION_COOKIE_NAME"]):
                self.client.ping()  # a new staff session must be storable before sign-in
            return super().open_session(app, request)
        except RedisError:
            app.logger.warning("session store unreachable (Redis)")
        if _is_staff_path(request.path):
            session = self.session_class(sid=self._generate_sid(self.sid_length))
            session.store_unavailable = True  # type: ignore[attr-defined]
            return session
        session = self.fallback.open_session(app, request)
        session.via_fallback = True  # type: ignore[attr-defined]
        return session

    def save_session(self, app: Flask, session: ServerSideSession, response: Any) -> None:
        if getattr(session, "store_unavailable", False):
            return
        if not getattr(session, "via_fallback", False):
            try:
                return super().save_session(app, session, response)
            except RedisError:
                app.logger.warning("session store unreachable (Redis) while saving")
                if _is_staff_path(request.path):
                    raise
        self.fallback.save_session(app, session, response)


def init_sessions(app: Flask) -> None:
    """Install the server-side session store the configuration asks for."""
    redis_url = app.config.get("REDIS_URL")
    database = DatabaseSessionInterface(app, primary=not redis_url)
    if redis_url:
        app.session_interface = ChildAwareRedisSessionInterface(
            app, fallback=database, client=Redis.from_url(redis_url, socket_timeout=2,
                                                          socket_connect_timeout=2),
            key_prefix="session:", sid_length=32, serialization_format="msgpack")
    else:
        app.session_interface = database
