"""Alerts that reach someone: a duty team, session safeguarding leads, tiers, one per response.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 01:00:00

- ``pods.is_duty_team`` marks the duty (front-door) safeguarding team.
- ``participation_sessions.facilitator_id`` becomes ``safeguarding_lead_id``: a worker
  or manager who can open the session's alerts. A session whose facilitator was a
  board analyst or administrator keeps no lead; its alerts go to the duty team.
- ``alerts.tier`` (urgent / concern), ``alerts.presses`` and ``alerts.response_id``,
  unique: one submission raises at most one alert. Existing alerts take their
  comment's response; where one response raised several, the oldest keeps it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_duty_team', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.alter_column('facilitator_id', new_column_name='safeguarding_lead_id',
                              existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint('fk_participation_sessions_facilitator_id_staff_users',
                                 type_='foreignkey')
    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_participation_sessions_safeguarding_lead_id_staff_users'),
            'staff_users', ['safeguarding_lead_id'], ['id'], ondelete='RESTRICT')
    op.execute("UPDATE participation_sessions SET safeguarding_lead_id = NULL "
               "WHERE safeguarding_lead_id IN (SELECT id FROM staff_users "
               "WHERE role NOT IN ('worker', 'manager'))")

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column(
            'tier', sa.Enum('urgent', 'concern', name='alert_tier', native_enum=False,
                            create_constraint=True),
            nullable=False, server_default='urgent'))
        batch_op.add_column(sa.Column('presses', sa.Integer(), nullable=False,
                                      server_default='1'))
    op.execute("UPDATE alerts SET response_id = (SELECT c.response_id FROM comments c "
               "WHERE c.id = alerts.comment_id) "
               "WHERE alerts.id = (SELECT MIN(a.id) FROM alerts a "
               "JOIN comments c2 ON c2.id = a.comment_id "
               "WHERE c2.response_id = (SELECT c3.response_id FROM comments c3 "
               "WHERE c3.id = alerts.comment_id))")
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_alerts_response_id_responses'),
                                    'responses', ['response_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_alerts_response_id', ['response_id'], unique=True)
        batch_op.create_check_constraint('presses_positive', 'presses >= 1')
        batch_op.create_check_constraint('only_detector_concerns',
                                         "tier = 'urgent' OR reason = 'detector'")


def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint('ck_alerts_only_detector_concerns', type_='check')
        batch_op.drop_constraint('ck_alerts_presses_positive', type_='check')
        batch_op.drop_index('ix_alerts_response_id')
        batch_op.drop_constraint(batch_op.f('fk_alerts_response_id_responses'),
                                 type_='foreignkey')
        batch_op.drop_column('presses')
        batch_op.drop_column('tier')
        batch_op.drop_column('response_id')

    with op.batch_alter_table('participation_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_participation_sessions_safeguarding_lead_id_staff_users'),
            type_='foreignkey')
        batch_op.alter_column('safeguarding_lead_id', new_column_name='facilitator_id',
                              existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_participation_sessions_facilitator_id_staff_users'),
            'staff_users', ['facilitator_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('pods', schema=None) as batch_op:
        batch_op.drop_column('is_duty_team')
