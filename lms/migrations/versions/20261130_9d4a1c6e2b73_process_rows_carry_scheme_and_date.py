"""process harms, participants, outcomes, take-up and feedback carry their process's
scheme and date (indexed), so a period's figures read only that period's rows

Revision ID: 9d4a1c6e2b73
Revises: 7c2e9b4d1a58
Create Date: 2026-11-30 13:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4a1c6e2b73'
down_revision = '7c2e9b4d1a58'
branch_labels = None
depends_on = None

TABLES = ('process_harms', 'process_participants', 'process_outcomes', 'process_take_up',
          'feedback_responses')


def upgrade():
    for table in TABLES:
        # Plain ADD COLUMN: SQLite adds them in place, without rebuilding the table.
        op.add_column(table, sa.Column('scheme_id', sa.Integer(), nullable=True))
        op.add_column(table, sa.Column('occurred_on', sa.Date(), nullable=True))
        op.execute(f"""
            UPDATE {table} SET
              scheme_id = (SELECT scheme_id FROM restorative_processes
                           WHERE restorative_processes.id = {table}.process_id),
              occurred_on = (SELECT occurred_on FROM restorative_processes
                             WHERE restorative_processes.id = {table}.process_id)
        """)
        op.create_index(f'ix_{table}_date_scheme', table, ['occurred_on', 'scheme_id'])


def downgrade():
    for table in TABLES:
        op.drop_index(f'ix_{table}_date_scheme', table_name=table)
        # Never a table rebuild (see upgrade): SQLite drops columns in place.
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_column('occurred_on')
            batch_op.drop_column('scheme_id')
