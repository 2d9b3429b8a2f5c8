"""Alembic environment, run through Flask-Migrate (``flask --app wsgi db ...``)."""

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from flask import current_app

from feedback.models.base import UTCDateTime

config = context.config
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def render_item(type_: str, obj: Any, autogen_context: Any) -> Any:
    """Write the app's column types as plain SQLAlchemy types in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def configure(**kwargs: Any) -> None:
    options = {
        "target_metadata": db.metadata,
        "render_item": render_item,
        "render_as_batch": True,  # SQLite alters tables by copying them
        "compare_type": True,
    }
    context.configure(**options | current_app.extensions["migrate"].configure_args | kwargs)


def run_migrations_offline() -> None:
    configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context_: Any, revision: Any, directives: list[Any]) -> None:
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with db.engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        if is_sqlite:
            without_foreign_keys(connection)
        try:
            configure(connection=connection, process_revision_directives=skip_empty)
            with context.begin_transaction():
                context.run_migrations()
            if is_sqlite:
                check_foreign_keys(connection)
        finally:
            if is_sqlite:
                with_foreign_keys(connection)


def without_foreign_keys(connection: Any) -> None:
    """Batch mode copies a SQLite table and drops the old one; with foreign keys on, the
    drop deletes every row that refers to it (ON DELETE CASCADE): a session's responses,
    a case's codes. The pragma only changes outside a transaction, so it is set first."""
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()


def check_foreign_keys(connection: Any) -> None:
    """Refuse to call the migration done if it left a row pointing at nothing."""
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    connection.rollback()
    if dangling:
        raise RuntimeError(f"the migration left rows referring to nothing: {dangling[:5]}")


def with_foreign_keys(connection: Any) -> None:
    """Put foreign keys back on before the connection returns to the pool."""
    connection.rollback()
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    connection.commit()
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar() != 1:
        connection.invalidate()  # never hand the app a connection without them


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
