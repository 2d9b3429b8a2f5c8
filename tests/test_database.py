"""The database holds the invariants itself, on SQLite and on PostgreSQL."""

from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, text, update
from sqlalchemy.exc import DatabaseError, IntegrityError

from apps import dispose, make_app
from feedback.extensions import db
from feedback.models import (
    AuditEvent, Outcome, ParticipationSession, Response, Role, today, utcnow,
)
from feedback.services import audit, codes


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    """Run these tests once on each database the service supports."""
    return request.getfixturevalue(f"{request.param}_url")


def test_migrations_reproduce_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_audit_events_cannot_be_changed(app):
    event = audit.record(db.session, "case.view", object_type="case", object_id=1)
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event.id)
                           .values(outcome=Outcome.DENIED))
    db.session.rollback()


def test_audit_events_cannot_be_deleted(app):
    audit.record(db.session, "case.view", object_type="case", object_id=1)
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()


def test_a_response_belongs_to_a_case_or_a_session_not_both(app, create_case, create_user,
                                                            builtin_questionnaires):
    version = builtin_questionnaires["board-session"]
    event = ParticipationSession(title="Forum", join_code_digest=codes.digest("FORUM22"),
                                 questionnaire=version.questionnaire,
                                 safeguarding_lead=create_user(Role.BOARD),
                                 starts_on=today(), ends_on=today())
    db.session.add(event)
    db.session.commit()
    # Both: refused by whichever rule the database checks first. Neither: by the xor.
    both = ({"case": create_case(), "session": event},
            "case_xor_session|anonymous_has_no_identity|case_response_has_time")
    for fields, rule in (both, ({}, "case_xor_session")):
        db.session.add(Response(**fields, language="en", submitted_on=today(),
                                submitted_at=utcnow(), idempotency_key="k"))
        with pytest.raises(IntegrityError, match=rule):
            db.session.flush()
        db.session.rollback()


def test_an_anonymous_response_keeps_no_time_finer_than_the_day(app, create_user,
                                                                builtin_questionnaires):
    version = builtin_questionnaires["board-session"]
    event = ParticipationSession(title="Forum", join_code_digest=codes.digest("FORUM23"),
                                 questionnaire=version.questionnaire,
                                 safeguarding_lead=create_user(Role.BOARD),
                                 starts_on=today(), ends_on=today() + timedelta(days=1))
    db.session.add(Response(session=event, questionnaire_version=version, language="en",
                            submitted_on=today(), submitted_at=utcnow(),
                            idempotency_key="timed"))
    with pytest.raises(IntegrityError, match="anonymous_has_no_identity"):
        db.session.flush()
    db.session.rollback()


def test_the_same_idempotency_key_stores_one_response(app, create_case,
                                                      create_response):
    case = create_case()
    first = create_response(case)
    db.session.add(Response(case=case, language="en", submitted_on=today(),
                            submitted_at=utcnow(), idempotency_key=first.idempotency_key))
    with pytest.raises(IntegrityError, match="idempotency_key"):
        db.session.flush()
    db.session.rollback()


def test_every_pooled_sqlite_connection_gets_wal_foreign_keys_and_busy_timeout(sqlite_url):
    app = make_app(sqlite_url)
    with app.app_context():
        connections = [db.engine.connect() for _ in range(3)]
        try:
            for connection in connections:
                pragma = lambda name: connection.execute(text(f"PRAGMA {name}")).scalar()  # noqa
                assert pragma("journal_mode") == "wal"
                assert pragma("foreign_keys") == 1
                assert pragma("busy_timeout") == 10000
                assert pragma("cache_size") == -65536  # 64 MB for the board's counts
        finally:
            for connection in connections:
                connection.close()
            dispose(app)


def test_every_postgresql_connection_has_the_jit_compiler_off(postgres_url):
    """Compiling the board's large grouped queries took longer than running them."""
    app = make_app(postgres_url)
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                assert connection.execute(text("SHOW jit")).scalar() == "off"
        finally:
            dispose(app)


def test_sqlite_enforces_foreign_keys(sqlite_url):
    app = make_app(sqlite_url)
    with app.app_context():
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            db.session.execute(text("INSERT INTO cases (reference, pod_id, preferred_language,"
                                    " is_open, is_on_legal_hold, created_at)"
                                    " VALUES ('X', 999, 'en', 1, 0, '2026-01-01')"))
            db.session.flush()
        db.session.rollback()
        dispose(app)


def test_the_migration_upgrades_an_empty_database_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    app = make_app(url)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    with app.app_context():
        dispose(app)
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    head = ScriptDirectory(str(Path(__file__).resolve().parent.parent / "migrations")
                           ).get_current_head()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == head
    engine.dispose()
