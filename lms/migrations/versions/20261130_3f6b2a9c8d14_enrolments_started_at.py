"""enrolments: when the learner started (first lesson done or check taken), kept as
progress is recorded so the training pipeline reads no progress rows; practice records
indexed by status across schemes (records waiting for sign-off, on the admin's page)

Revision ID: 3f6b2a9c8d14
Revises: c62af7754ed4
Create Date: 2026-11-30 12:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f6b2a9c8d14'
down_revision = 'c62af7754ed4'
branch_labels = None
depends_on = None

#: Enrolments made before: the earliest lesson done or check taken (tests run it too).
BACKFILL = """
    UPDATE enrolments SET started_at = (
        SELECT min(firsts.at) FROM (
            SELECT min(completed_at) AS at FROM lesson_completions
            WHERE lesson_completions.enrolment_id = enrolments.id
            UNION ALL
            SELECT min(submitted_at) FROM check_attempts
            WHERE check_attempts.enrolment_id = enrolments.id) AS firsts)
"""


def upgrade():
    # A plain ADD COLUMN: SQLite adds it in place, without rebuilding the table.
    op.add_column('enrolments', sa.Column('started_at', sa.DateTime(), nullable=True))
    op.execute(BACKFILL)
    op.create_index('ix_practice_records_status_requested', 'practice_records',
                    ['status', 'requested_at'])


def downgrade():
    op.drop_index('ix_practice_records_status_requested', table_name='practice_records')
    # Never a table rebuild: on SQLite, dropping the old enrolments table would delete
    # every row that cascades from an enrolment (lessons done, checks taken).
    with op.batch_alter_table('enrolments', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('started_at')
