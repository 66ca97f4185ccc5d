"""restorative_processes: an index by date (and id), for figures across every scheme

The national figures page picks a period's processes by date alone; without this index it
read the whole table for each of its aggregates and hashed every process to join outcomes,
harms, take-up, participants and feedback to them (bench/figures.py).

Revision ID: 3f9c2a7e5d14
Revises: 3f6b2a9c8d14
Create Date: 2026-11-30 12:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f9c2a7e5d14'
down_revision = '3f6b2a9c8d14'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('restorative_processes', schema=None) as batch_op:
        batch_op.create_index('ix_restorative_processes_date', ['occurred_on', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('restorative_processes', schema=None) as batch_op:
        batch_op.drop_index('ix_restorative_processes_date')
