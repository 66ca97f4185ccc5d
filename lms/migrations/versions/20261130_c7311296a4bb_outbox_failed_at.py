"""outbox: failed_at marks a message that can never be sent (never retried)

Revision ID: c7311296a4bb
Revises: e33d6c0b2d6d
Create Date: 2026-11-30 05:37:21.791566

"""
from alembic import op
import sqlalchemy as sa

import lms.db_types


# revision identifiers, used by Alembic.
revision = 'c7311296a4bb'
down_revision = 'e33d6c0b2d6d'
branch_labels = None
depends_on = None


def upgrade():
  
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', lms.db_types.UTCDateTime(), nullable=True))




def downgrade():
  
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('failed_at')


