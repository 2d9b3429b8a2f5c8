"""Access codes a child can come back to: kept answers, revocation, one response per code.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00

- ``access_codes.response_key``: the idempotency key of the code's one response; every
  device that resumes the code sends under it. Existing codes get ``legacy-<id>``.
- ``access_codes.started_at``, ``revoked_at``, ``revoked_by_id``.
- ``access_codes.draft`` and ``draft_saved_at``: the answers given so far, kept with the
  code until it is sent, revoked or expires (a check constraint empties it on the first
  two; codes.forget_old_drafts and retention the third).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('draft', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('draft_saved_at', sa.DateTime(), nullable=True))
    # Codes from before were spent on entry: each keeps a key of its own.
    op.execute("UPDATE access_codes SET response_key = 'legacy-' || CAST(id AS VARCHAR(20)), "
               "started_at = used_at")
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.alter_column('response_key', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_access_codes_response_key'),
                                          ['response_key'])
        batch_op.create_foreign_key(batch_op.f('fk_access_codes_revoked_by_id_staff_users'),
                                    'staff_users', ['revoked_by_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_check_constraint(
            'no_draft_once_closed',
            '(used_at IS NULL AND revoked_at IS NULL) OR draft IS NULL')
        batch_op.create_check_constraint('revoked_or_used',
                                         '(revoked_at IS NULL) OR (used_at IS NULL)')


def downgrade():
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_access_codes_revoked_or_used'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_access_codes_no_draft_once_closed'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('fk_access_codes_revoked_by_id_staff_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_access_codes_response_key'), type_='unique')
        batch_op.drop_column('draft_saved_at')
        batch_op.drop_column('draft')
        batch_op.drop_column('revoked_by_id')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('started_at')
        batch_op.drop_column('response_key')
