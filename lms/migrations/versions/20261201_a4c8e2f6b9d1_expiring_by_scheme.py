"""accreditation_records indexed by (scheme_id, status, expires_on): a scheme dashboard's
list of records expiring soon, and its count, read that scheme's matches (164 in the
largest scheme of the national data set) instead of every valid record in the country
expiring by then (1,245 index entries and 390 table pages, 1.0 ms on PostgreSQL).

Revision ID: a4c8e2f6b9d1
Revises: 9e3b7c2a5d18
Create Date: 2026-12-01 01:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a4c8e2f6b9d1'
down_revision = '9e3b7c2a5d18'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_accreditation_records_scheme_expiry', 'accreditation_records',
                    ['scheme_id', 'status', 'expires_on'])


def downgrade():
    op.drop_index('ix_accreditation_records_scheme_expiry', table_name='accreditation_records')
