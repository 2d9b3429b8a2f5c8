"""Upgrading a database that holds data keeps every row of it (issue 22).

Alembic's batch mode alters a SQLite table by copying it and dropping the old one;
with foreign keys on, the drop deletes through ON DELETE CASCADE every row that
refers to it, so a migration that recreates ``cases`` would take a case's
responses with it, silently. migrations/env.py runs SQLite migrations with
foreign keys off and checks them at the end. These tests fill a database at an
old revision, through SQL written against that revision's own schema (the models
have moved on), upgrade it to head, and compare every row, column by column.

They run on SQLite, and on PostgreSQL too when ``DATABASE_URL`` names one.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import Connection, create_engine, event, inspect, make_url, text

from apps import IS_POSTGRES, dispose, make_app
from servers import require

#: The last revision before the batch migrations (0005, 0008, 0009 and later).
BEFORE_BATCHES = "0004"
#: A revision after the first batches, before the later ones.
MIDWAY = "0009"
T0 = datetime(2026, 1, 5, 9, 30)
LATER = datetime(2026, 1, 6, 14, 0)


@pytest.fixture()
def empty_database(tmp_path) -> Iterator[str]:
    """An empty database of the lane's kind: a SQLite file, or a new PostgreSQL one."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    server = make_url(os.environ["DATABASE_URL"])
    require("PostgreSQL", server.render_as_string(hide_password=True))
    name = f"feedback_migrate_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade as the deployment does: ``flask db upgrade``, through migrations/env.py."""
    app = make_app(url)
    with app.app_context():
        upgrade(revision=revision)
        dispose(app)


def connect(url: str) -> Any:
    """An engine of our own; on SQLite with foreign keys on, so the rows put in are sound."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect",
                     lambda dbapi, _: dbapi.execute("PRAGMA foreign_keys=ON"))
    return engine


def insert(connection: Connection, table: str, **values: Any) -> None:
    values = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in values.items()}
    names = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)


def fill_at_0004(c: Connection) -> None:
    """Rows in every table of revision 0004 (migrations 0001-0004), parents before children."""
    insert(c, "pods", id=1, name="North", email="north@example.gov.uk", created_at=T0)
    insert(c, "pods", id=2, name="South", email=None, created_at=T0)
    insert(c, "questionnaires", id=1, slug="how-are-things", is_builtin=True,
           is_archived=False, created_at=T0)
    insert(c, "questionnaires", id=2, slug="board-session", is_builtin=True,
           is_archived=False, created_at=T0)
    for number, qid in ((1, 1), (2, 1), (1, 2)):
        insert(c, "questionnaire_versions", id=10 * qid + number, questionnaire_id=qid,
               number=number, definition={"questions": [{"key": "overall"}]}, created_at=T0)
    insert(c, "web_sessions", id=1, session_id="s-1", data=b"\x80\x04}\x94.",
           expires_at=LATER)
    for uid, role, pod in ((1, "admin", None), (2, "worker", 1), (3, "manager", 1),
                           (4, "board", None), (5, "worker", 2)):
        insert(c, "staff_users", id=uid, email=f"user{uid}@example.gov.uk", name=f"User {uid}",
               role=role, pod_id=pod, password_hash="argon2$x", is_active_account=True,
               created_at=T0, last_sign_in_at=LATER if uid == 2 else None)
    insert(c, "manager_pods", staff_user_id=3, pod_id=1)
    insert(c, "manager_pods", staff_user_id=3, pod_id=2)
    for cid, pod, ref in ((1, 1, "CMS-1001"), (2, 1, "CMS-1002"), (3, 2, "CMS-2001")):
        insert(c, "cases", id=cid, reference=ref, pod_id=pod, display_name=f"Child {cid}",
               preferred_language="cy" if cid == 2 else "en", is_open=cid != 3,
               is_on_legal_hold=cid == 1, created_at=T0, closed_at=LATER if cid == 3 else None)
    for aid, cid in ((1, 1), (2, 1), (3, 3)):
        insert(c, "access_codes", id=aid, case_id=cid, questionnaire_id=1,
               code_digest=f"{aid:064d}", created_by_id=2, created_at=T0, expires_at=LATER,
               used_at=LATER if aid != 2 else None)
    insert(c, "audit_events", id=1, occurred_at=T0, actor_id=2, actor_kind="staff",
           action="case.read", object_type="case", object_id="1", outcome="ok",
           detail={"pages": 1}, request_id="abc")
    insert(c, "audit_events", id=2, occurred_at=LATER, actor_id=None, actor_kind="system",
           action="retention.run", object_type=None, object_id=None, outcome="denied",
           detail={}, request_id=None)
    insert(c, "case_record_exports", id=1, case_id=1, from_date=date(2026, 1, 1),
           to_date=date(2026, 1, 31), format="pdf", created_by_id=2, created_at=T0,
           filed_at=LATER, filed_by_id=3)
    # Session 2's facilitator is a board member: 0005 lets only casework staff lead.
    for sid, lead in ((1, 2), (2, 4)):
        insert(c, "participation_sessions", id=sid, title=f"Session {sid}",
               join_code=f"JOIN{sid}", questionnaire_id=2, facilitator_id=lead,
               created_by_id=1, starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 9),
               participant_count=4 + sid, created_at=T0)
    insert(c, "plan_actions", id=1, case_id=1, title="Visits to nan", section="family",
           owner="Social worker", due_on=date(2026, 2, 1), status="open", outcome=None,
           created_by_id=2, created_at=T0)
    insert(c, "plan_actions", id=2, case_id=2, title="Quiet room at school", section="school",
           owner="School", due_on=None, status="done", outcome="Room found", created_by_id=None,
           created_at=T0)
    responses = (
        (1, 1, None, 11, 1, T0), (2, 1, None, 12, None, LATER), (3, 2, None, 12, None, LATER),
        (4, None, 1, 21, None, None), (5, None, 2, 21, None, None),
    )
    for rid, cid, sid, version, code, at in responses:
        insert(c, "responses", id=rid, case_id=cid, session_id=sid,
               questionnaire_version_id=version, access_code_id=code, language="en",
               submitted_on=date(2026, 1, 5), submitted_at=at,
               age_band="11-13" if cid else None, idempotency_key=f"key-{rid}")
    for rid in range(1, 6):
        insert(c, "answers", id=rid, response_id=rid, question_key="overall", value=str(rid))
        insert(c, "answers", id=10 + rid, response_id=rid, question_key="listened",
               value="a_bit")
    comments = ((1, 1, "school is hard"), (2, 1, "i want to see my nan"),
                (3, 2, "football on saturdays"), (4, 3, "my room is cold"),
                (5, 4, "more trips please"))
    for mid, rid, words in comments:
        insert(c, "comments", id=mid, response_id=rid, question_key=f"q{mid}", text=words,
               language="en", sentiment="negative" if mid < 3 else None,
               polarity=-0.4 if mid < 3 else None, needs_review=mid == 2,
               read_at=LATER if mid == 1 else None, read_by_id=2 if mid == 1 else None)
    alerts = ((1, 1, None, 2, "detector", "new"), (2, 1, None, 1, "detector", "acknowledged"),
              (3, None, 1, 5, "button", "escalated"), (4, 2, None, None, "button", "closed"))
    for aid, cid, sid, comment, reason, state in alerts:
        done = state in ("acknowledged", "closed")
        insert(c, "alerts", id=aid, case_id=cid, session_id=sid, comment_id=comment,
               reason=reason, detail=f"alert {aid}", state=state, created_at=T0,
               escalated_at=LATER if state == "escalated" else None,
               acknowledged_at=LATER if done else None, acknowledged_by_id=3 if done else None,
               action_taken="called" if done else None, action_note=None,
               closed_at=LATER if state == "closed" else None)
    insert(c, "comment_links", comment_id=2, plan_action_id=1, created_by_id=2, created_at=T0)
    insert(c, "comment_links", comment_id=4, plan_action_id=2, created_by_id=None,
           created_at=T0)
    insert(c, "quotes", id=1, comment_id=3, theme="activities", excerpt="football",
           state="approved", proposed_by_id=2, proposed_at=T0, decided_by_id=3,
           decided_at=LATER)
    insert(c, "quotes", id=2, comment_id=5, theme="activities", excerpt="more trips",
           state="proposed", proposed_by_id=4, proposed_at=T0, decided_by_id=None,
           decided_at=None)
    replies = ((1, 1, 2, 1, "reply", True), (2, 1, None, None, "chair_response", False),
               (3, 2, 4, None, "reply", False))
    for pid, cid, comment, action, kind, shared in replies:
        insert(c, "replies", id=pid, case_id=cid, comment_id=comment, plan_action_id=action,
               kind=kind, text=f"reply {pid}", is_shared_with_child=shared,
               shared_at=LATER if shared else None, seen_by_child_at=None,
               created_by_id=2, created_at=T0)
    tags = ((1, 1, "school", "worker", "confirmed", None, 2), (2, 2, "family", "auto",
            "suggested", 0.8, None), (3, 4, "home", "worker", "removed", None, 3))
    for tid, comment, theme, origin, status, confidence, by in tags:
        insert(c, "theme_tags", id=tid, comment_id=comment, theme=theme, origin=origin,
               status=status, confidence=confidence, decided_by_id=by,
               decided_at=LATER if by else None, created_at=T0)
    insert(c, "response_themes", response_id=1, theme="school", submitted_on=date(2026, 1, 5),
           case_id=1)
    insert(c, "response_themes", response_id=1, theme="family", submitted_on=date(2026, 1, 5),
           case_id=1)
    for nid, alert, status in ((1, 1, "sent"), (2, 3, "failed"), (3, 4, "pending")):
        insert(c, "notifications", id=nid, alert_id=alert, kind="email",
               recipient="duty@example.gov.uk", status=status, attempts=nid,
               next_attempt_at=LATER, last_error="refused" if status == "failed" else None,
               sent_at=LATER if status == "sent" else None, created_at=T0)


def fill_at_0009(c: Connection) -> None:
    """Rows in the tables and columns that migrations 0005-0009 added."""
    c.execute(text("UPDATE pods SET is_duty_team = :yes WHERE id = 2"), {"yes": True})
    c.execute(text("UPDATE cases SET allocated_worker_id = 2, age_band = '14-15' WHERE id = 1"))
    c.execute(text("UPDATE staff_users SET totp_secret = 'SECRET', totp_enrolled_at = :at, "
                   "totp_last_step = 7, oidc_subject = 'sub-3' WHERE id = 3"), {"at": T0})
    c.execute(text("UPDATE access_codes SET started_at = :at, draft = '{\"overall\": \"2\"}', "
                   "draft_saved_at = :at WHERE id = 2"), {"at": LATER})
    c.execute(text("UPDATE alerts SET tier = 'concern', presses = 1 WHERE id = 1"))
    insert(c, "session_devices", id=1, session_id=1, device_hash="d" * 64, responses=3)
    insert(c, "session_devices", id=2, session_id=2, device_hash="e" * 64, responses=0)
    insert(c, "sign_in_counters", key="k" * 64, attempts=2, window_ends_epoch=1.5e9,
           wait_until_epoch=0.0)
    insert(c, "staff_passkeys", id=1, staff_user_id=2, credential_id=b"cred", public_key=b"pk",
           sign_count=4, name="Laptop", created_at=T0, last_used_at=LATER)
    insert(c, "staff_recovery_codes", id=1, staff_user_id=3, code_hash="h" * 64, used_at=None,
           created_at=T0)
    insert(c, "staff_sessions", id=1, staff_user_id=2, method="password", device="Firefox",
           address="192.0.2.1", created_at=T0, last_used_at=LATER, ended_at=None,
           end_reason=None)


def tables(c: Connection) -> list[str]:
    return sorted(t for t in inspect(c).get_table_names() if t != "alembic_version")


def contents(c: Connection) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table, by primary key."""
    found = {}
    for table in tables(c):
        key = inspect(c).get_pk_constraint(table)["constrained_columns"]
        rows = c.execute(text(f"SELECT * FROM {table}")).mappings().all()
        found[table] = {tuple(row[k] for k in key): dict(row) for row in rows}
    return found


def assert_kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    """The same rows in every table, with the same value in every column both revisions have."""
    for table, rows in before.items():
        assert table in after, f"{table} is gone"
        assert len(after[table]) == len(rows), f"{table}: {len(rows)} rows, now {len(after[table])}"
        assert after[table].keys() == rows.keys(), table
        for key, row in rows.items():
            kept = after[table][key]
            changed = {c: (v, kept[c]) for c, v in row.items() if c in kept and kept[c] != v}
            assert not changed, f"{table} {key}: {changed}"


def foreign_key_problems(c: Connection) -> list[Any]:
    if c.dialect.name != "sqlite":
        return []  # PostgreSQL never lets a dangling row in
    return list(c.exec_driver_sql("PRAGMA foreign_key_check").all())


def triggers(c: Connection) -> set[str]:
    if c.dialect.name == "sqlite":
        rows = c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    else:
        rows = c.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    return {name for name, in rows}


def upgrade_keeps_everything(url: str, revision: str, *fills: Any) -> dict[str, Any]:
    """Fill the database at ``revision``, upgrade it to head; return what head holds."""
    engine = connect(url)
    with engine.begin() as c:
        for fill in fills:
            fill(c)
    with engine.connect() as c:
        assert not foreign_key_problems(c)
        assert all(contents(c).values()), "a table of the revision was left empty"
        before, before_triggers = contents(c), triggers(c)
    engine.dispose()
    migrate(url)
    engine = connect(url)
    with engine.connect() as c:
        after = contents(c)
        assert_kept(before, after)
        assert not foreign_key_problems(c)
        assert triggers(c) >= before_triggers  # audit events stay append-only
    engine.dispose()
    return after


def by_id(rows: dict[tuple[Any, ...], dict[str, Any]], *key: Any) -> dict[str, Any]:
    return rows[key]


def test_an_upgrade_from_before_the_batch_migrations_keeps_every_row(empty_database):
    migrate(empty_database, BEFORE_BATCHES)
    head = upgrade_keeps_everything(empty_database, BEFORE_BATCHES, fill_at_0004)
    # A sample of what the later migrations derived from the rows they kept.
    assert by_id(head["comments"], 2)["text"] == "i want to see my nan"
    assert [a["response_id"] for _, a in sorted(head["alerts"].items())] == [1, None, 4, None]
    sessions = head["participation_sessions"]
    assert [by_id(sessions, n)["safeguarding_lead_id"] for n in (1, 2)] == [2, None]
    assert by_id(sessions, 1)["join_code_digest"] == hashlib.sha256(b"JOIN1").hexdigest()
    assert by_id(head["access_codes"], 1)["response_key"] == "legacy-1"
    versions = head["questionnaire_versions"]
    statuses = [by_id(versions, n)["status"] for n in (11, 12, 21)]
    assert statuses == ["retired", "published", "published"]


def test_an_upgrade_from_midway_keeps_every_row_of_the_later_tables(empty_database):
    migrate(empty_database, BEFORE_BATCHES)
    engine = connect(empty_database)
    with engine.begin() as c:
        fill_at_0004(c)
    engine.dispose()
    migrate(empty_database, MIDWAY)
    head = upgrade_keeps_everything(empty_database, MIDWAY, fill_at_0009)
    assert by_id(head["cases"], 1)["age_band"] == "14-15"
    assert by_id(head["staff_passkeys"], 1)["credential_id"] == b"cred"
    assert by_id(head["access_codes"], 2)["draft"] == '{"overall": "2"}'
    assert by_id(head["alerts"], 1)["tier"] == "concern"
