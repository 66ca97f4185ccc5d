"""users indexed by id for the people the public register lists (listed_publicly and
active): the register looks up each listed record's holder, and reads the answer from this
small index alone instead of each person's row (PostgreSQL, national data set: the largest
region's 3,325 records, 10.5 -> 6.3 ms).

Revision ID: d7b3f9a1c4e6
Revises: c5d9e1a7f3b2
Create Date: 2026-12-01 08:40:00

"""
from alembic import op
from sqlalchemy import text


# revision identifiers, used by Alembic.
revision = 'd7b3f9a1c4e6'
down_revision = 'c5d9e1a7f3b2'
branch_labels = None
depends_on = None

LISTED_AND_ACTIVE = "listed_publicly IS true AND active IS true"


def upgrade():
    op.create_index('ix_users_listed', 'users', ['id'],
                    postgresql_where=text(LISTED_AND_ACTIVE),
                    sqlite_where=text(LISTED_AND_ACTIVE))


def downgrade():
    op.drop_index('ix_users_listed', table_name='users')
