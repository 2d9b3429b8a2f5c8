"""Drop two indexes that others already cover: every submission wrote to them for nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:30:00

``ix_responses_submitted_on`` (submitted_on) is the leading column of
``ix_responses_board``; ``ix_comments_response_id`` (response_id) leads both the
unique (response_id, question_key) index and ``ix_comments_board``. Every query
that used them uses those instead; a submission writes two index pages fewer.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_response_id'))
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_submitted_on'))


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_submitted_on'), ['submitted_on'],
                              unique=False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_response_id'), ['response_id'],
                              unique=False)
