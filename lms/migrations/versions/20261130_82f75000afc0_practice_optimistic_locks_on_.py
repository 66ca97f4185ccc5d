"""practice: optimistic locks on supervision sessions and CPD entries

A double confirmation or approval (two requests at once) now stores, and audits, one.

Revision ID: 82f75000afc0
Revises: 1f0e2a9c4b71
Create Date: 2026-11-30 05:27:33.949246

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '82f75000afc0'
down_revision = '1f0e2a9c4b71'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.drop_column('version')
