"""credential signing keys and status lists

Signing keys move from instance/signing-keys/ to the database (shared by every worker
and instance); each accreditation record gets a random index in the public Bitstring
status lists.

Revision ID: 986283e18220
Revises: aa3f32f6e106
Create Date: 2026-11-30 05:29:12.159743

"""
from alembic import op
import sqlalchemy as sa

import lms.db_types


# revision identifiers, used by Alembic.
revision = '986283e18220'
down_revision = 'aa3f32f6e106'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signing_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('algorithm', sa.String(length=16), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=True),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('retired_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_signing_keys_kid'))
    )
    op.create_table('status_list_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('list_number', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['accreditation_records.id'], name=op.f('fk_status_list_entries_record_id_accreditation_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_list_entries')),
    sa.UniqueConstraint('list_number', 'position', name=op.f('uq_status_list_entries_list_number_position')),
    sa.UniqueConstraint('record_id', name=op.f('uq_status_list_entries_record_id'))
    )


def downgrade():
    op.drop_table('status_list_entries')
    op.drop_table('signing_keys')
