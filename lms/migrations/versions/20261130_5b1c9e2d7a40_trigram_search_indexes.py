"""search by part of a name: trigram indexes on PostgreSQL (register and people search)

Revision ID: 5b1c9e2d7a40
Revises: edf47f16f6fd
Create Date: 2026-11-30 09:00:00

On PostgreSQL the pg_trgm extension (a trusted extension since PostgreSQL 13: the database
owner may create it) lets GIN indexes serve ILIKE '%part%'. On SQLite the same indexes are
plain B-trees, which serve the register's name order.
"""
from alembic import op


revision = '5b1c9e2d7a40'
down_revision = 'edf47f16f6fd'
branch_labels = None
depends_on = None

INDEXES = [("ix_accreditation_records_holder_name", "accreditation_records", "holder_name"),
           ("ix_users_display_name", "users", "display_name"),
           ("ix_users_username_trgm", "users", "username"),
           ("ix_users_email_trgm", "users", "email")]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})


def downgrade():
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
