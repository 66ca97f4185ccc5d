"""Accounts and audit hardening: one-time passwords expire and work once, the audit chain's
head is sealed with the audit key, and sign-in attempts are counted in the rate-limit store
(so their table goes).

Revision ID: aa3f32f6e106
Revises: 83df24fda605
Create Date: 2026-11-30 05:28:44.619050

"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import lms.db_types

# revision identifiers, used by Alembic.
revision = 'aa3f32f6e106'
down_revision = '83df24fda605'
branch_labels = None
depends_on = None

#: One-time passwords pending at upgrade get the default policy period from now.
PENDING_OTP_HOURS = 72


def upgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_username_at')
    op.drop_table('login_attempts')

    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal', sa.String(length=64), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('one_time_password_expires_at',
                                      lms.db_types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('one_time_password_used_at',
                                      lms.db_types.UTCDateTime(), nullable=True))

    users = sa.table('users', sa.column('one_time_password_hash', sa.String),
                     sa.column('one_time_password_expires_at', lms.db_types.UTCDateTime()))
    op.execute(users.update()
               .where(users.c.one_time_password_hash.is_not(None))
               .values(one_time_password_expires_at=datetime.now(UTC)
                       + timedelta(hours=PENDING_OTP_HOURS)))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('one_time_password_used_at')
        batch_op.drop_column('one_time_password_expires_at')

    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        batch_op.drop_column('seal')

    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=254), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('attempted_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_username_at', ['username', 'attempted_at'],
                              unique=False)
