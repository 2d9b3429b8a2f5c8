"""Questionnaire versions: draft, published or retired, and who uploaded them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 08:00:00

- ``questionnaire_versions.status``: ``draft`` (never shown to a child), ``published``
  (the one version new codes start on: a partial unique index holds at most one per
  questionnaire) or ``retired`` (no new codes; what was started or sent on it stays).
- ``published_at`` (kept when retired), ``retired_at`` (set exactly when retired), and
  ``created_by_id``: the administrator who uploaded it (null from the command line).

Existing rows keep working as before: each questionnaire's latest version becomes the
published one, its earlier versions retired.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

PUBLISHED = sa.text("status = 'published'")


def upgrade():
    with op.batch_alter_table('questionnaire_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_questionnaire_versions_created_by_id_staff_users'),
            'staff_users', ['created_by_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE questionnaire_versions SET status = 'retired', "
               "published_at = created_at, retired_at = created_at")
    op.execute("UPDATE questionnaire_versions SET status = 'published', retired_at = NULL "
               "WHERE number = (SELECT MAX(latest.number) FROM questionnaire_versions latest "
               "WHERE latest.questionnaire_id = questionnaire_versions.questionnaire_id)")
    with op.batch_alter_table('questionnaire_versions', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=9), nullable=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_questionnaire_versions_version_status'),
            "status IN ('draft', 'published', 'retired')")
        batch_op.create_check_constraint(
            batch_op.f('ck_questionnaire_versions_shown_once_published'),
            "status = 'draft' OR published_at IS NOT NULL")
        batch_op.create_check_constraint(
            batch_op.f('ck_questionnaire_versions_retired_when_retired'),
            "(status = 'retired') = (retired_at IS NOT NULL)")
    op.create_index('ix_questionnaire_versions_one_published', 'questionnaire_versions',
                    ['questionnaire_id'], unique=True, sqlite_where=PUBLISHED,
                    postgresql_where=PUBLISHED)


def downgrade():
    op.drop_index('ix_questionnaire_versions_one_published',
                  table_name='questionnaire_versions')
    with op.batch_alter_table('questionnaire_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_questionnaire_versions_retired_when_retired'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('ck_questionnaire_versions_shown_once_published'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('ck_questionnaire_versions_version_status'),
                                 type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_questionnaire_versions_created_by_id_staff_users'),
            type_='foreignkey')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('retired_at')
        batch_op.drop_column('published_at')
        batch_op.drop_column('status')
