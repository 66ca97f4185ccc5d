"""Welsh course content: the Welsh title and summary of a course version (and whether the
course is taught in Welsh), of modules, lessons and knowledge-check questions. Every column
is new and empty (NULL: English only) except course_versions.welsh, false for existing rows.

Revision ID: 5c1e0a7d3b92
Revises: c7311296a4bb
Create Date: 2026-11-30 08:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a7d3b92'
down_revision = 'c7311296a4bb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('welsh', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('summary_cy', sa.Text(), nullable=True))

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('outcomes_cy', sa.JSON(), nullable=True))

    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('body_html_cy', sa.Text(), nullable=True))

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prompt_cy', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('options_cy', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('explanation_cy', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('explanation_cy')
        batch_op.drop_column('options_cy')
        batch_op.drop_column('prompt_cy')

    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('body_html_cy')
        batch_op.drop_column('title_cy')

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('outcomes_cy')
        batch_op.drop_column('title_cy')

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_column('summary_cy')
        batch_op.drop_column('title_cy')
        batch_op.drop_column('welsh')
