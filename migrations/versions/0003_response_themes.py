"""Response themes: the board's counts read one narrow table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:20:00

One row per response and theme while any of the response's comments carries a
live tag of that theme (kept in step by the app as tags change; see
``feedback.models.themes``). Filled here from the tags already stored.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'response_themes',
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('theme', sa.String(length=40), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['response_id'], ['responses.id'],
                                name=op.f('fk_response_themes_response_id_responses'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('response_id', 'theme', name=op.f('pk_response_themes')),
    )
    with op.batch_alter_table('response_themes', schema=None) as batch_op:
        batch_op.create_index('ix_response_themes_board', ['submitted_on', 'theme', 'case_id'],
                              unique=False)
    op.execute(
        "INSERT INTO response_themes (response_id, theme, submitted_on, case_id) "
        "SELECT DISTINCT responses.id, theme_tags.theme, responses.submitted_on, "
        "responses.case_id FROM responses "
        "JOIN comments ON comments.response_id = responses.id "
        "JOIN theme_tags ON theme_tags.comment_id = comments.id "
        "WHERE theme_tags.status != 'removed'")


def downgrade():
    with op.batch_alter_table('response_themes', schema=None) as batch_op:
        batch_op.drop_index('ix_response_themes_board')
    op.drop_table('response_themes')
