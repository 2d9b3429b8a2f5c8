"""Themes a child chose: a picture card tapped in the Express questionnaire.

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-07 08:10:00

- ``theme_tags.origin`` takes ``child`` as well as ``auto`` and ``worker``. Like the
  machine's, a child's theme is a suggestion (``status`` ``suggested``, no worker):
  the two checks that said so of ``auto`` now say it of ``child`` too.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


def _checks(batch_op, origins, suggesters):
    batch_op.create_check_constraint('tag_origin', f"origin IN ({origins})")
    batch_op.create_check_constraint('only_workers_decide',
                                     f"(origin IN ({suggesters})) = (status = 'suggested')")
    batch_op.create_check_constraint('worker_tag_has_worker',
                                     f"origin IN ({suggesters}) OR decided_by_id IS NOT NULL")


def _drop_checks(batch_op):
    for name in ('tag_origin', 'only_workers_decide', 'worker_tag_has_worker'):
        batch_op.drop_constraint(batch_op.f(f'ck_theme_tags_{name}'), type_='check')


def upgrade():
    with op.batch_alter_table('theme_tags', schema=None) as batch_op:
        _drop_checks(batch_op)
        _checks(batch_op, "'auto', 'worker', 'child'", "'auto', 'child'")


def downgrade():
    op.execute("DELETE FROM theme_tags WHERE origin = 'child'")
    with op.batch_alter_table('theme_tags', schema=None) as batch_op:
        _drop_checks(batch_op)
        _checks(batch_op, "'auto', 'worker'", "'auto'")
