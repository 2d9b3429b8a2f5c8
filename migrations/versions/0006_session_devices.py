"""How many responses each device sent to a session, and how many devices took part.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 02:00:00

- ``session_devices``: one row per (session, device), the device known only by
  HMAC-SHA256(SECRET_KEY, "<session id>:<device cookie>"); a bare count of the
  responses it sent, no time and no link to any response ("who took part" kept
  apart from "what was said"). A join code takes at most SESSION_MAX_RESPONSES
  responses per device.
- ``participation_sessions.device_count``: distinct devices that sent; the board's
  small-number gate counts these. Sessions from before count as many devices as
  they had responses, as nothing else is known of them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'session_devices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('device_hash', sa.String(length=64), nullable=False),
        sa.Column('responses', sa.Integer(), nullable=False),
        sa.CheckConstraint('responses >= 0',
                           name=op.f('ck_session_devices_responses_not_negative')),
        sa.ForeignKeyConstraint(['session_id'], ['participation_sessions.id'],
                                name=op.f('fk_session_devices_session_id_participation_sessions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_session_devices')),
        sa.UniqueConstraint('session_id', 'device_hash',
                            name=op.f('uq_session_devices_session_id_device_hash')),
    )
    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_count', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.create_check_constraint('devices_not_negative', 'device_count >= 0')
    op.execute("UPDATE participation_sessions SET device_count = participant_count")


def downgrade():
    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_participation_sessions_devices_not_negative'),
                                 type_='check')
        batch_op.drop_column('device_count')
    op.drop_table('session_devices')
