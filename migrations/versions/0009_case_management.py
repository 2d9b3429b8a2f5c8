"""Case management: an allocated worker and an age band on each case.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09 10:00:00

- ``cases.allocated_worker_id``: the worker who holds the case (one of its pod's),
  indexed for "My cases"; set to NULL when the account is deleted.
- ``cases.age_band``: one of the board's age bands, or NULL (a check constraint).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allocated_worker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('age_band', sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_allocated_worker_id'),
                              ['allocated_worker_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_allocated_worker_id_staff_users'),
                                    'staff_users', ['allocated_worker_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_check_constraint(
            'known_age_band',
            "age_band IS NULL OR age_band IN ('7-10', '11-13', '14-15', '16-18')")


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cases_known_age_band'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_cases_allocated_worker_id_staff_users'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_allocated_worker_id'))
        batch_op.drop_column('age_band')
        batch_op.drop_column('allocated_worker_id')
