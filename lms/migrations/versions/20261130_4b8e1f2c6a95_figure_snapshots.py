"""figure_snapshots: dashboards' and figures pages' summaries kept once computed, with
when, so a page at national scale reads one row instead of aggregating raw rows

Revision ID: 4b8e1f2c6a95
Revises: 9d4a1c6e2b73
Create Date: 2026-11-30 14:40:00

"""
from alembic import op
import sqlalchemy as sa

from lms.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '4b8e1f2c6a95'
down_revision = '9d4a1c6e2b73'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'figure_snapshots',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('scheme_id', sa.Integer(), nullable=True),
        sa.Column('request', sa.JSON(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('computed_at', UTCDateTime(), nullable=False),
        sa.Column('viewed_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['scheme_id'], ['schemes.id'],
                                name=op.f('fk_figure_snapshots_scheme_id_schemes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_figure_snapshots')),
    )
    op.create_index(op.f('ix_figure_snapshots_scheme_id'), 'figure_snapshots', ['scheme_id'])


def downgrade():
    op.drop_index(op.f('ix_figure_snapshots_scheme_id'), table_name='figure_snapshots')
    op.drop_table('figure_snapshots')
