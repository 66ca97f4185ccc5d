"""Welsh course content: the Welsh title and summary of a course version (and whether the
course is taught in Welsh), of modules, lessons and knowledge-check questions. Every column
is new and empty (NULL: English only) except course_versions.welsh, false for existing rows.

Revision ID: 5c1e0a7d3b92
Revises: 5b1c9e2d7a40
Create Date: 2026-11-30 08:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a7d3b92'
down_revision = '5b1c9e2d7a40'
branch_labels = None
depends_on = None


def upgrade():
    # Only columns are added, so no table is copied (recreate='never').
    with op.batch_alter_table('course_versions', schema=None, recreate='never') as batch_op:
        # A plain '0' (false in SQLite and PostgreSQL), not sa.false(): an expression default
        # would make SQLite's batch mode copy and drop the table, and dropping a table that
        # modules reference would delete their rows through ON DELETE CASCADE.
        batch_op.add_column(sa.Column('welsh', sa.Boolean(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('summary_cy', sa.Text(), nullable=True))

    with op.batch_alter_table('modules', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('outcomes_cy', sa.JSON(), nullable=True))

    with op.batch_alter_table('lessons', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('body_html_cy', sa.Text(), nullable=True))

    with op.batch_alter_table('questions', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('prompt_cy', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('options_cy', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('explanation_cy', sa.Text(), nullable=True))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later, PostgreSQL): batch mode would
    # copy and drop the tables, and on SQLite dropping course_versions would delete every
    # module, lesson and attempt through ON DELETE CASCADE.
    for table, columns in (('questions', ('explanation_cy', 'options_cy', 'prompt_cy')),
                           ('lessons', ('body_html_cy', 'title_cy')),
                           ('modules', ('outcomes_cy', 'title_cy')),
                           ('course_versions', ('summary_cy', 'title_cy', 'welsh'))):
        for column in columns:
            op.drop_column(table, column)
