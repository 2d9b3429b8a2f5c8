"""Indexes for the board's grouped summaries: a period's responses, comments and themes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:00:00

Each index covers what the summary queries read, so SQLite answers them from
the indexes alone (responses by day with their place in every breakdown;
comments by response with their feeling and reading time; a comment's themes
with their status).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_board', ['submitted_on', 'case_id', 'session_id', 'questionnaire_version_id', 'age_band'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_board', ['response_id', 'sentiment', 'read_at'], unique=False)

    with op.batch_alter_table('theme_tags', schema=None) as batch_op:
        batch_op.create_index('ix_theme_tags_board', ['comment_id', 'status', 'theme'], unique=False)


def downgrade():
    with op.batch_alter_table('theme_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_theme_tags_board')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_board')

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_board')
