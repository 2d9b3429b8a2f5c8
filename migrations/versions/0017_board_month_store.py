"""The board's finished months, stored under a version every write changes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 14:00:00

- ``board_month_counts``: one finished month's board figures of one kind, as JSON,
  with the month's version when they were counted.
- ``board_month_versions``: per month, how many writes may have changed its figures.
- Triggers on every table the stored figures read give a new version to each
  month a changed row belongs to (the month its response was sent in), on insert,
  update and delete: ``responses``, ``response_themes``, ``comments``, ``theme_tags``,
  ``comment_links``, ``replies`` (a reply on a plan action: every month of the
  comments linked to it), ``cases`` when a case moves pod (every month the case was
  heard in) and ``plan_actions`` when an action's status changes (every month of the
  comments linked to it). A write to the month still running (by the database's clock, UTC)
  changes no version: it is never stored (see ``feedback.services.board_cache``), and
  a child's submission then writes no shared row. On PostgreSQL each new version is
  the next value of a sequence, so no number is ever given twice.

SQLite drops a table's triggers when a later migration rebuilds it (``batch_alter_table``);
such a migration must create them again (``tests/test_board_store.py`` fails otherwise).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_COMMENT_DAY = ("SELECT r.submitted_on AS submitted_on FROM comments c "
                "JOIN responses r ON r.id = c.response_id WHERE c.id = {row}.comment_id")
_ACTION_DAYS = ("SELECT r.submitted_on AS submitted_on FROM comment_links l "
                "JOIN comments c ON c.id = l.comment_id JOIN responses r ON r.id = c.response_id "
                "WHERE l.plan_action_id = {row}.plan_action_id")
#: Per table: the days (``submitted_on``) whose months a changed row belongs to, as SELECTs
#: over NEW or OLD ({row}); cases only when the pod changes.
SOURCES = {
    "responses": ["SELECT {row}.submitted_on AS submitted_on"],
    "response_themes": ["SELECT {row}.submitted_on AS submitted_on"],
    "comments": ["SELECT submitted_on FROM responses WHERE id = {row}.response_id"],
    "theme_tags": [_COMMENT_DAY],
    "comment_links": [_COMMENT_DAY],
    "replies": [_COMMENT_DAY, _ACTION_DAYS],
    "cases": ["SELECT submitted_on FROM responses WHERE case_id = {row}.id"],
    "plan_actions": [_ACTION_DAYS.replace("{row}.plan_action_id", "{row}.id")],
}
#: Tables whose rows matter only for one column, changed by an UPDATE: the case's pod (its
#: place in the breakdowns), a plan action's status (done or not).
ONLY_UPDATES = {"cases": "pod_id", "plan_actions": "status"}
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _sqlite_month(day: str) -> str:
    return (f"CAST(strftime('%Y', {day}) AS INTEGER) * 12 "
            f"+ CAST(strftime('%m', {day}) AS INTEGER) - 1")


def _sqlite_bump(source: str) -> str:
    return ("INSERT INTO board_month_versions (month, version) "
            f"SELECT DISTINCT {_sqlite_month('d.submitted_on')}, 1 FROM ({source}) AS d "
            f"WHERE d.submitted_on < date('now', 'start of month') "
            "ON CONFLICT (month) DO UPDATE SET version = board_month_versions.version + 1;")


def _sqlite_triggers() -> None:
    for table, sources in SOURCES.items():
        for event in EVENTS:
            rows = {"INSERT": ["NEW"], "DELETE": ["OLD"], "UPDATE": ["OLD", "NEW"]}[event]
            column = ONLY_UPDATES.get(table)
            if column and event != "UPDATE":
                continue  # nothing is linked to a new row yet; deleting one deletes the links
            when = f" WHEN OLD.{column} IS NOT NEW.{column}" if column else ""
            body = "\n".join(_sqlite_bump(source.format(row=row))
                             for row in rows for source in sources)
            op.execute(f"CREATE TRIGGER board_{table}_{event.lower()} AFTER {event} ON {table} "
                       f"FOR EACH ROW{when} BEGIN\n{body}\nEND")


#: On PostgreSQL a version is taken from a sequence, never reused: a transaction that bumps
#: a month and is rolled back cannot hand its number to stored counts of data it undid.
_PG_BUMP = """
CREATE FUNCTION board_bump(days date[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO board_month_versions (month, version)
  SELECT m, nextval('board_month_version_seq') FROM (
    SELECT DISTINCT (EXTRACT(YEAR FROM d) * 12 + EXTRACT(MONTH FROM d) - 1)::integer AS m
    FROM unnest(days) AS d
    WHERE d < date_trunc('month', clock_timestamp() AT TIME ZONE 'UTC')::date
    ORDER BY 1) AS months
  ON CONFLICT (month) DO UPDATE SET version = EXCLUDED.version
$$
"""


def _pg_triggers() -> None:
    op.execute("CREATE SEQUENCE board_month_version_seq")
    op.execute(_PG_BUMP)
    for table, sources in SOURCES.items():
        def bump(row: str) -> str:
            days = " UNION ALL ".join(f"({source.format(row=row)})" for source in sources)
            return f"PERFORM board_bump(ARRAY(SELECT d.submitted_on FROM ({days}) AS d));"
        column = ONLY_UPDATES.get(table)
        events = f"UPDATE OF {column}" if column else "INSERT OR UPDATE OR DELETE"
        op.execute(f"""
CREATE FUNCTION board_{table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {bump('OLD')} END IF;
  IF TG_OP <> 'DELETE' THEN {bump('NEW')} END IF;
  RETURN NULL;
END
$$""")
        when = f" WHEN (OLD.{column} IS DISTINCT FROM NEW.{column})" if column else ""
        op.execute(f"CREATE TRIGGER board_{table}_changed AFTER {events} ON {table} "
                   f"FOR EACH ROW{when} EXECUTE FUNCTION board_{table}_changed()")


def upgrade():
    op.create_table(
        'board_month_versions',
        sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('month', name=op.f('pk_board_month_versions')),
    )
    op.create_table(
        'board_month_counts',
        sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('counts', sa.Text(), nullable=False),
        sa.Column('counted_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('month', 'kind', name=op.f('pk_board_month_counts')),
    )
    if op.get_bind().dialect.name == "postgresql":
        _pg_triggers()
    else:
        _sqlite_triggers()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS board_{table}_changed ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS board_{table}_changed()")
        op.execute("DROP FUNCTION board_bump(date[])")
        op.execute("DROP SEQUENCE board_month_version_seq")
    else:
        for table in SOURCES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS board_{table}_{event.lower()}")
    op.drop_table('board_month_counts')
    op.drop_table('board_month_versions')
