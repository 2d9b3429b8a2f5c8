"""Engine settings every connection to the database gets."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, TableClause, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase

#: An INSERT that can say ON CONFLICT, on either database.
DialectInsert = sqlite.Insert | postgresql.Insert
#: INSERT with ON CONFLICT into a table or a model's table, for each database the app
#: runs on (by dialect name).
DIALECT_INSERTS: dict[str, Callable[[TableClause | type[DeclarativeBase]], DialectInsert]] = {
    "sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _sqlite_pragmas(durable: bool) -> Callable[[sqlite3.Connection, Any], None]:
    def on_connect(connection: sqlite3.Connection, _record: Any) -> None:
        """Set WAL, foreign keys and a busy timeout on every new SQLite connection."""
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA mmap_size=268435456")
        # FULL: a submission acknowledged to a child survives a crash of the machine
        # too. NORMAL (sessions only) survives a crash of the app, not of the machine.
        cursor.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        cursor.close()

    return on_connect


def _postgres_settings(connection: Any, _record: Any) -> None:
    """Turn off PostgreSQL's JIT compiler for the app's connections.

    The board's grouped queries over a million comments cost enough to trigger it,
    and compiling them took longer (0.6 s) than running them (0.5 s).
    """
    cursor = connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    connection.commit()


def configure_engine(engine: Engine, durable: bool = True) -> Engine:
    """Apply the per-connection settings the engine's database needs."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(durable))
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_settings)
    return engine


def separate_engine(url: str, options: dict[str, Any], durable: bool = True) -> Engine:
    """Make an engine with its own pool (for the session store), configured the same way."""
    return configure_engine(create_engine(url, **options), durable)
