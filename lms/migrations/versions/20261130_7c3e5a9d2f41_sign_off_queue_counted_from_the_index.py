"""the sign-off queue counted from the index: ix_practice_records_scheme_status carries
(INCLUDE, PostgreSQL only) the columns the queue's conflict-of-interest rule reads, so the
count of a scheme's waiting records is an index-only scan (3.9 -> 0.5 ms for the largest
scheme of the national data set) instead of visiting every waiting record's row. SQLite
has no INCLUDE: nothing changes there.

Revision ID: 7c3e5a9d2f41
Revises: 6e2d9a4c1b87
Create Date: 2026-11-30 18:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c3e5a9d2f41'
down_revision = '6e2d9a4c1b87'
branch_labels = None
depends_on = None

COLUMNS = ['scheme_id', 'status', 'requested_at']
INCLUDED = ['author_id', 'co_facilitator_id', 'supervisor_id', 'process_id']


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_practice_records_scheme_status', table_name='practice_records')
    op.create_index('ix_practice_records_scheme_status', 'practice_records', COLUMNS,
                    postgresql_include=INCLUDED)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_practice_records_scheme_status', table_name='practice_records')
    op.create_index('ix_practice_records_scheme_status', 'practice_records', COLUMNS)
