"""Server-side sessions: Redis when configured, otherwise the database.

One ``SessionInterface`` of our own: the cookie carries only a random id and the
data lives in a store. The database store writes through its own short
transaction, so saving a session never commits (or waits on) the request's work.

Nothing is stored for a visitor who only looked: a session holding no more than
its form token and a language choice (``COOKIE_ONLY_KEYS``) lives in its signed
cookie alone, and moves to the store when it first holds anything else (a code
entered, a sign-in), which also gives it a new id.
"""

from __future__ import annotations

import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeSerializer
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import Engine, bindparam, delete, select
from werkzeug.datastructures import CallbackDict

from feedback.database import DIALECT_INSERTS, separate_engine
from feedback.models.base import utcnow
from feedback.models.web_sessions import WebSession

#: A child's questionnaire session ends after this long without a request
#: (WCAG 2.2.1: the page warns at 8 minutes and one tap extends it).
CHILD_IDLE_LIMIT = timedelta(minutes=10)
#: An unchanged session is written back at most this often, just to push its expiry
#: out: idle limits hold to the minute without a write per request.
REFRESH_EVERY_SECONDS = 60
#: The database store purges expired rows on about one request in this many.
PURGE_ONE_REQUEST_IN = 200
#: Keys the interface keeps for itself: a session holding only these is empty.
_BOOKKEEPING = frozenset({"_permanent", "_refreshed"})
#: What a session may hold and still live in its cookie alone: nothing of a child's.
COOKIE_ONLY_KEYS = frozenset({"csrf_token", "lang", "_permanent"})
#: The JSON API's requests carry a bearer token: no session is read or stored for them
#: and no cookie is set, whatever cookie a client sends (docs/api.md).
API_PATH = "/api/"


def new_sid() -> str:
    """Return a fresh random session id (256 bits)."""
    return secrets.token_urlsafe(32)


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """A session whose data lives on the server; the cookie holds only ``sid``."""

    def __init__(self, data: dict[str, Any] | None = None, stored_sid: str | None = None,
                 is_staff_page: bool = False) -> None:
        def on_update(self: ServerSession) -> None:
            self.modified = self.accessed = True

        super().__init__(data if data is not None else {"_permanent": True}, on_update)
        self.modified = self.accessed = False
        #: The id the data was stored under (none for a new session); ``regenerate``
        #: gives the session a new ``sid``, and saving it deletes this one.
        self.stored_sid = stored_sid
        self.sid = stored_sid or new_sid()
        self.new = stored_sid is None
        #: Staff pages fail closed when the store is down; other pages fall back.
        self.is_staff_page = is_staff_page
        self.via_fallback = False
        self.store_unavailable = False
        #: Read from a cookie-only session (nothing stored yet).
        self.in_cookie = False

    def __bool__(self) -> bool:
        return any(key not in _BOOKKEEPING for key in self.keys())

    def __getitem__(self, key: str) -> Any:
        self.accessed = True
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.accessed = True
        return super().get(key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.accessed = True
        return super().setdefault(key, default)

    def clear(self) -> None:
        """Empty the session but keep whether it is permanent."""
        permanent = self.get("_permanent", False)
        super().clear()
        self["_permanent"] = permanent


class RedisStore:
    """Sessions as Redis keys ``session:<id>`` that expire on their own."""

    errors: tuple[type[Exception], ...] = (RedisError,)

    def __init__(self, client: Redis, prefix: str = "session:") -> None:
        self.client = client
        self.prefix = prefix

    def ping(self) -> None:
        self.client.ping()

    def load(self, sid: str) -> bytes | None:
        return self.client.get(self.prefix + sid)  # type: ignore[return-value]

    def save(self, sid: str, data: bytes, lifetime: timedelta, replaced: str | None) -> None:
        pipeline = self.client.pipeline(transaction=False)  # one round trip
        if replaced is not None:
            pipeline.delete(self.prefix + replaced)
        pipeline.set(self.prefix + sid, data, ex=int(lifetime.total_seconds()))
        pipeline.execute()

    def delete(self, sid: str) -> None:
        self.client.delete(self.prefix + sid)


_table = WebSession.__table__
_SELECT = select(_table.c.data).where(_table.c.session_id == bindparam("sid"),
                                      _table.c.expires_at > bindparam("now"))
_DELETE = delete(_table).where(_table.c.session_id == bindparam("sid"))
_DELETE_EXPIRED = delete(_table).where(_table.c.expires_at <= bindparam("now"))


def _upsert(dialect_insert: Any) -> Any:
    statement = dialect_insert(_table)
    return statement.on_conflict_do_update(
        index_elements=[_table.c.session_id],
        set_={"data": statement.excluded.data, "expires_at": statement.excluded.expires_at})


# Built once: every request with a session cookie runs one or two of these.
_UPSERTS = {name: _upsert(dialect_insert) for name, dialect_insert in DIALECT_INSERTS.items()}


class DatabaseStore:
    """Sessions as rows of ``web_sessions``; expired rows are ignored, then purged."""

    errors: tuple[type[Exception], ...] = ()  # a database error is the request's error

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.upsert = _UPSERTS[engine.dialect.name]

    def ping(self) -> None:
        """Do nothing: a database error is the request's error, not the store's."""

    def load(self, sid: str) -> bytes | None:
        with self.engine.connect() as connection:
            return connection.execute(_SELECT, {"sid": sid, "now": utcnow()}).scalar()

    def save(self, sid: str, data: bytes, lifetime: timedelta, replaced: str | None) -> None:
        with self.engine.begin() as connection:
            if replaced is not None:
                connection.execute(_DELETE, {"sid": replaced})
            connection.execute(self.upsert, {"session_id": sid, "data": data,
                                             "expires_at": utcnow() + lifetime})

    def delete(self, sid: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(_DELETE, {"sid": sid})

    def purge_expired(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(_DELETE_EXPIRED, {"now": utcnow()})

    def purge_now_and_then(self) -> None:
        """Purge expired rows on about one request in ``PURGE_ONE_REQUEST_IN``."""
        if random.randrange(PURGE_ONE_REQUEST_IN) == 0:
            self.purge_expired()


Store = RedisStore | DatabaseStore


def idle_limit(app: Flask, session: ServerSession) -> timedelta:
    """A session holding a child's journey gets the child's shorter idle limit."""
    return CHILD_IDLE_LIMIT if session.get("journey") else app.permanent_session_lifetime


def _is_staff_path(path: str) -> bool:
    # Routing has not happened when the session opens, so go by the path.
    return path.startswith(("/staff", "/board", "/admin"))


class ServerSessionInterface(SessionInterface):
    """Keep sessions in ``store``; if it fails, children carry on in ``fallback``.

    Staff pages never fall back: their session comes back ``store_unavailable``
    and ``security.deny_by_default`` answers 503, so sign-in fails closed.
    """

    def __init__(self, store: Store, fallback: DatabaseStore | None = None) -> None:
        self.store = store
        self.fallback = fallback
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(dict[str, Any])

    def open_session(self, app: Flask, request: Request) -> ServerSession | None:
        if request.path.startswith(API_PATH):
            return None  # Flask's null session: empty, never saved, no cookie
        sid = request.cookies.get(self.get_cookie_name(app))
        is_staff_page = _is_staff_path(request.path)
        if sid and "." in sid:  # signed data, not a stored session's id (which has no dot)
            return self._from_cookie(app, sid, is_staff_page)
        try:
            if is_staff_page and not sid:
                self.store.ping()  # a new staff session must be storable before sign-in
            return self._load(app, self.store, sid, is_staff_page)
        except self.store.errors:
            app.logger.warning("session store unreachable (Redis)")
        if is_staff_page or self.fallback is None:
            session = ServerSession(is_staff_page=is_staff_page)
            session.store_unavailable = True
            return session
        session = self._load(app, self.fallback, sid, is_staff_page)
        session.via_fallback = True
        return session

    def _load(self, app: Flask, store: Store, sid: str | None,
              is_staff_page: bool) -> ServerSession:
        data = store.load(sid) if sid else None
        if data is not None:
            try:
                return ServerSession(self._decoder.decode(data), sid, is_staff_page)
            except msgspec.DecodeError:
                app.logger.warning("stored session unreadable: starting a new one")
        # Never adopt an id the browser made up: a new session gets a new id.
        return ServerSession(is_staff_page=is_staff_page)

    @staticmethod
    def _signer(app: Flask) -> URLSafeSerializer:
        key: str = app.secret_key  # type: ignore[assignment]
        return URLSafeSerializer(key, salt="cookie-only-session")

    def _from_cookie(self, app: Flask, value: str, is_staff_page: bool) -> ServerSession:
        try:
            sid, data = self._signer(app).loads(value)
        except (BadSignature, TypeError, ValueError):
            return ServerSession(is_staff_page=is_staff_page)  # forged or stale: start again
        session = ServerSession(dict(data), is_staff_page=is_staff_page)
        session.sid, session.in_cookie = str(sid), True
        if is_staff_page:  # signing in will need the store: fail closed now if it is down
            try:
                self.store.ping()
            except self.store.errors:
                app.logger.warning("session store unreachable (Redis)")
                session.store_unavailable = True
        return session

    def regenerate(self, session: ServerSession) -> None:
        """Move the session to a fresh id; the old one goes when the new one is saved.

        Deleting it mid-request would wait on the request's own write lock in SQLite.
        """
        session.sid = new_sid()
        session.modified = True

    def save_session(self, app: Flask, session: ServerSession,  # type: ignore[override]
                     response: Response) -> None:
        if session and session.stored_sid is None and session.keys() <= COOKIE_ONLY_KEYS:
            self._save_in_cookie(app, session, response)
            return
        if session.store_unavailable:
            return
        if session.via_fallback:
            self._save(app, self.fallback or self.store, session, response)
            return
        try:
            self._save(app, self.store, session, response)
        except self.store.errors:
            app.logger.warning("session store unreachable (Redis) while saving")
            if session.is_staff_page or self.fallback is None:
                raise
            self._save(app, self.fallback, session, response)

    def _save(self, app: Flask, store: Store, session: ServerSession,
              response: Response) -> None:
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:  # emptied (signed out): forget it
                if session.stored_sid is not None:
                    store.delete(session.stored_sid)
                response.delete_cookie(**self._cookie(app))
                response.vary.add("Cookie")
            return
        if session.modified or self._is_stale(session):
            session["_refreshed"] = time.time()
            replaced = session.stored_sid if session.stored_sid != session.sid else None
            store.save(session.sid, self._encoder.encode(dict(session)),
                       idle_limit(app, session), replaced)
        if self.should_set_cookie(app, session):
            response.set_cookie(value=session.sid, expires=self.get_expiration_time(app, session),
                                **self._cookie(app))
            response.vary.add("Cookie")

    def _save_in_cookie(self, app: Flask, session: ServerSession, response: Response) -> None:
        response.vary.add("Cookie")
        if session.modified or session.in_cookie:  # an unchanged one keeps its expiry fresh
            value = self._signer(app).dumps([session.sid, dict(session)])
            response.set_cookie(value=value, expires=self.get_expiration_time(app, session),
                                **self._cookie(app))

    @staticmethod
    def _is_stale(session: ServerSession) -> bool:
        return time.time() - float(session.get("_refreshed", 0)) > REFRESH_EVERY_SECONDS

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        if session.permanent:
            return datetime.now(UTC) + idle_limit(app, session)  # type: ignore[arg-type]
        return None

    def _cookie(self, app: Flask) -> dict[str, Any]:
        """The cookie's name and attributes, from the configuration (``__Host-session``,
        Secure, HttpOnly, SameSite=Lax in production), the same to set and to delete."""
        return {"key": self.get_cookie_name(app), "domain": self.get_cookie_domain(app),
                "path": self.get_cookie_path(app), "secure": self.get_cookie_secure(app),
                "httponly": self.get_cookie_httponly(app),
                "samesite": self.get_cookie_samesite(app),
                "partitioned": self.get_cookie_partitioned(app)}


def init_sessions(app: Flask) -> None:
    """Install the session store the configuration asks for: Redis, else the database."""
    # Its own pool: a request holding the app's connection never waits on the
    # app's pool to load or save its session, however busy the server is.
    engine = separate_engine(app.config["SQLALCHEMY_DATABASE_URI"],
                             app.config["SQLALCHEMY_ENGINE_OPTIONS"], durable=False)
    app.extensions["session_engine"] = engine
    database = DatabaseStore(engine)
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        # As Redis's fallback the table holds few rows; ``retention apply`` purges them.
        client = Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        app.extensions["redis"] = client  # one pool per app: /readyz asks through it too
        app.session_interface = ServerSessionInterface(RedisStore(client), fallback=database)
    else:
        app.session_interface = ServerSessionInterface(database)
        app.before_request(database.purge_now_and_then)
