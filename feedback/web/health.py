"""Liveness and readiness probes for the load balancer. They reveal no internals."""

from __future__ import annotations

from flask import Blueprint, current_app
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from feedback.extensions import csrf, db
from feedback.web.security import public

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> tuple[dict[str, str], int]:
    """Say the process is up."""
    return {"status": "ok"}, 200


@bp.get("/readyz")
@public
def readyz() -> tuple[dict[str, str], int]:
    """Say whether the database is writable and Redis (when configured) answers."""
    ready = _database_writable() and _redis_reachable()
    return ({"status": "ready"}, 200) if ready else ({"status": "unavailable"}, 503)


def _database_writable() -> bool:
    try:
        with db.engine.connect() as connection:
            # A write that matches nothing still needs the write lock (SQLite) and
            # fails on a read-only server (PostgreSQL); rolled back either way.
            connection.execute(text("UPDATE web_sessions SET id = id WHERE id < 0"))
            connection.rollback()
        return True
    except SQLAlchemyError:
        current_app.logger.warning("readiness: database not writable", exc_info=True)
        return False


def _redis_reachable() -> bool:
    client: Redis | None = current_app.extensions.get("redis")
    if client is None:  # no REDIS_URL: nothing to reach
        return True
    try:
        return bool(client.ping())
    except RedisError:
        current_app.logger.warning("readiness: redis unreachable")
        return False


csrf.exempt(bp)
