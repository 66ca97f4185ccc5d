"""supervision_sessions: indexed by supervisor (sessions to confirm on the home page, a
supervisor's caseload in their evidence) instead of read whole

Revision ID: 7c2e9b4d1a58
Revises: 3f9c2a7e5d14
Create Date: 2026-11-30 13:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c2e9b4d1a58'
down_revision = '3f9c2a7e5d14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_supervision_supervisor_date', 'supervision_sessions',
                    ['supervisor_id', 'held_on'])


def downgrade():
    op.drop_index('ix_supervision_supervisor_date', table_name='supervision_sessions')
