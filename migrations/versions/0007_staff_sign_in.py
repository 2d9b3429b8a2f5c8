"""Staff sign-in: try counters, second factors, single sign-on and sessions.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 04:00:00

- ``sign_in_counters``: tries per key (an account, an account at an address, an
  address), each key a SHA-256 so no address or e-mail is stored for a failed try;
  changed only by conditional UPDATEs, so parallel tries cannot pass the limit.
- ``staff_recovery_codes``: ten single-use codes per person, stored as SHA-256.
- ``staff_passkeys``: WebAuthn credentials.
- ``staff_sessions``: each signed-in session, so a person can see and end theirs.
- ``staff_users``: the encrypted TOTP secret, when it was enrolled, the last step a
  code was accepted for (no code twice), and the identity provider's subject.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _owned_by_staff(name, *columns):
    """Create a table whose rows belong to one member of staff."""
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'],
                                name=op.f(f'fk_{name}_staff_user_id_staff_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_staff_user_id'), ['staff_user_id'],
                              unique=False)


def upgrade():
    op.create_table(
        'sign_in_counters',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('window_ends_epoch', sa.Double(), nullable=False),
        sa.Column('wait_until_epoch', sa.Double(), nullable=False),
        sa.CheckConstraint('attempts >= 0',
                           name=op.f('ck_sign_in_counters_attempts_not_negative')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_counters')),
    )
    _owned_by_staff(
        'staff_passkeys',
        sa.Column('credential_id', sa.LargeBinary(), nullable=False),
        sa.Column('public_key', sa.LargeBinary(), nullable=False),
        sa.Column('sign_count', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.UniqueConstraint('credential_id', name=op.f('uq_staff_passkeys_credential_id')),
    )
    _owned_by_staff(
        'staff_recovery_codes',
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('staff_user_id', 'code_hash',
                            name=op.f('uq_staff_recovery_codes_staff_user_id_code_hash')),
    )
    _owned_by_staff(
        'staff_sessions',
        sa.Column('method', sa.String(length=40), nullable=False),
        sa.Column('device', sa.String(length=120), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('end_reason', sa.String(length=40), nullable=True),
    )
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('totp_enrolled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_users_oidc_subject'),
                                          ['oidc_subject'])


def downgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_users_oidc_subject'), type_='unique')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enrolled_at')
        batch_op.drop_column('totp_secret')
    for name in ('staff_sessions', 'staff_recovery_codes', 'staff_passkeys'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_staff_user_id'))
        op.drop_table(name)
    op.drop_table('sign_in_counters')
