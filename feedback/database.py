"""Engine settings every connection to the database gets."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event


def _sqlite_pragmas(connection: sqlite3.Connection, _record: Any) -> None:
    """Set WAL, foreign keys and a busy timeout on every new SQLite connection."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # FULL: a submission acknowledged to a child survives a crash of the machine too.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def configure_engine(engine: Engine) -> Engine:
    """Apply the per-connection settings the engine's database needs."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def separate_engine(url: str, options: dict[str, Any]) -> Engine:
    """Make an engine with its own pool (for the session store), configured the same way."""
    return configure_engine(create_engine(url, **options))
