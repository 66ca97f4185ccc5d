"""users: the hashed secret of each person's calendar feed address

Revision ID: 8b4f2d6e1a37
Revises: 5e1a7c0d2b91
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b4f2d6e1a37'
down_revision = '5e1a7c0d2b91'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_feed_token_hash', sa.String(length=64),
                                      nullable=True))
        # A unique index, not a constraint: SQLite adds both without rebuilding the table
        # (a rebuild drops users, and with foreign keys on that deletes every row that
        # cascades from a user: enrolments, bookings, attempts).
        batch_op.create_index(batch_op.f('ix_users_calendar_feed_token_hash'),
                              ['calendar_feed_token_hash'], unique=True)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_calendar_feed_token_hash'))
        batch_op.drop_column('calendar_feed_token_hash')
