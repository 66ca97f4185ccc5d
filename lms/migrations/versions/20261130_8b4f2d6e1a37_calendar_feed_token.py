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
        batch_op.create_unique_constraint(batch_op.f('uq_users_calendar_feed_token_hash'),
                                          ['calendar_feed_token_hash'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_calendar_feed_token_hash'), type_='unique')
        batch_op.drop_column('calendar_feed_token_hash')
