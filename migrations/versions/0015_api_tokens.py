"""API tokens: bearer tokens for the case-management system, scoped to pods.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 08:00:00

- ``api_tokens``: one row per token an administrator made; only the token's SHA-256
  is kept (``token_digest``), with its first characters (``hint``) to tell tokens
  apart. ``last_used_at`` is set by every request; revoking sets ``revoked_at`` and
  ``revoked_by_id`` together (a check constraint).
- ``api_token_pods``: the pods each token may read.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=False),
        sa.Column('hint', sa.String(length=16), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('(revoked_at IS NULL) = (revoked_by_id IS NULL)',
                           name=op.f('ck_api_tokens_revoked_by_someone')),
        sa.CheckConstraint('expires_at IS NULL OR expires_at > created_at',
                           name=op.f('ck_api_tokens_expires_after_creation')),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'],
                                name=op.f('fk_api_tokens_created_by_id_staff_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['staff_users.id'],
                                name=op.f('fk_api_tokens_revoked_by_id_staff_users'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_api_tokens_token_digest')),
    )
    op.create_table(
        'api_token_pods',
        sa.Column('api_token_id', sa.Integer(), nullable=False),
        sa.Column('pod_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['api_token_id'], ['api_tokens.id'],
                                name=op.f('fk_api_token_pods_api_token_id_api_tokens'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['pod_id'], ['pods.id'],
                                name=op.f('fk_api_token_pods_pod_id_pods'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('api_token_id', 'pod_id', name=op.f('pk_api_token_pods')),
    )
    with op.batch_alter_table('api_token_pods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_pods_pod_id'), ['pod_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_token_pods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_pods_pod_id'))
    op.drop_table('api_token_pods')
    op.drop_table('api_tokens')
