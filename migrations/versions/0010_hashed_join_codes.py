"""Session join codes stored as a digest, like access codes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 10:00:00

- ``participation_sessions.join_code_digest``: SHA-256 of the normalised join code
  (``codes.digest``), unique; existing codes are hashed here, so they keep working.
- ``participation_sessions.join_code`` (the plain code) is dropped.

A digest cannot be turned back into a code: the downgrade gives every session a
new random code, which nobody has seen (the board makes a new one to hand out).
"""
import hashlib
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

sessions = sa.table('participation_sessions', sa.column('id', sa.Integer()),
                    sa.column('join_code', sa.String(length=16)),
                    sa.column('join_code_digest', sa.String(length=64)))

#: As ``feedback.services.codes`` at this revision, copied so that the migration
#: keeps its meaning when the app's code changes.
_IGNORED = str.maketrans("", "", " -_.\t")
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _digest(code):
    return hashlib.sha256(code.translate(_IGNORED).upper().encode()).hexdigest()


def upgrade():
    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_code_digest', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(sessions.c.id, sessions.c.join_code)).all():
        connection.execute(sessions.update().where(sessions.c.id == row.id)
                           .values(join_code_digest=_digest(row.join_code)))
    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.alter_column('join_code_digest', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_participation_sessions_join_code_digest'), ['join_code_digest'])
        batch_op.drop_constraint(batch_op.f('uq_participation_sessions_join_code'),
                                 type_='unique')
        batch_op.drop_column('join_code')


def downgrade():
    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_code', sa.String(length=16), nullable=True))
    connection = op.get_bind()
    ids = connection.execute(sa.select(sessions.c.id)).scalars().all()
    fresh = set()
    while len(fresh) < len(ids):
        fresh.add("".join(secrets.choice(_ALPHABET) for _ in range(8)))
    for session_id, code in zip(ids, fresh):
        connection.execute(sessions.update().where(sessions.c.id == session_id)
                           .values(join_code=code))
    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.alter_column('join_code', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_participation_sessions_join_code'),
                                          ['join_code'])
        batch_op.drop_constraint(batch_op.f('uq_participation_sessions_join_code_digest'),
                                 type_='unique')
        batch_op.drop_column('join_code_digest')
