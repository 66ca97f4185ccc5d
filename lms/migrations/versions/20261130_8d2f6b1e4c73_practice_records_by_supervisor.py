"""practice_records indexed by supervisor and status: the records asked of one supervisor
(the sign-off queue's first list, and the home page's count) were found by reading every
waiting record of their schemes (4.1 ms for the largest scheme of the national data set;
an index lookup now), and a supervisor's account being removed, which sets the column to
NULL, no longer reads the whole table.

Revision ID: 8d2f6b1e4c73
Revises: 7c3e5a9d2f41
Create Date: 2026-11-30 22:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8d2f6b1e4c73'
down_revision = '7c3e5a9d2f41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_practice_records_supervisor_status', 'practice_records',
                    ['supervisor_id', 'status'])


def downgrade():
    op.drop_index('ix_practice_records_supervisor_status', table_name='practice_records')
