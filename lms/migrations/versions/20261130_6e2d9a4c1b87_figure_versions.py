"""figure_versions: each scheme's count of committed changes to the records its figures
count; kept figures remember the version they were computed from, so a change committed
while they were being computed leaves them stale (instead of deleting rows on change)

Revision ID: 6e2d9a4c1b87
Revises: 4b8e1f2c6a95
Create Date: 2026-11-30 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e2d9a4c1b87'
down_revision = '4b8e1f2c6a95'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'figure_versions',
        sa.Column('scheme_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['scheme_id'], ['schemes.id'],
                                name=op.f('fk_figure_versions_scheme_id_schemes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('scheme_id', name=op.f('pk_figure_versions')),
    )
    # Plain ADD COLUMN: SQLite adds it in place. Kept figures without a version are
    # computed again on their next view (they are a cache).
    op.add_column('figure_snapshots', sa.Column('scheme_version', sa.Integer(), nullable=True))
    op.execute("DELETE FROM figure_snapshots")


def downgrade():
    # Never a table rebuild: SQLite drops the column in place.
    with op.batch_alter_table('figure_snapshots', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('scheme_version')
    op.drop_table('figure_versions')
