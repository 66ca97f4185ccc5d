"""course_versions: 'level' renamed 'pathway_stage' (a course's place on the training
pathway; "level" now means only an accreditation level, and "stage" only a stage of the
facilitator's process)

Revision ID: c62af7754ed4
Revises: 8b4f2d6e1a37
Create Date: 2026-11-30 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c62af7754ed4'
down_revision = '8b4f2d6e1a37'
branch_labels = None
depends_on = None


def upgrade():
    # recreate='never': SQLite renames the column in place. Rebuilding the table would drop
    # course_versions, and with foreign keys on that deletes every module, lesson and
    # attempt that cascades from a version.
    with op.batch_alter_table('course_versions', schema=None, recreate='never') as batch_op:
        batch_op.alter_column('level', new_column_name='pathway_stage',
                              existing_type=sa.String(length=16), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('course_versions', schema=None, recreate='never') as batch_op:
        batch_op.alter_column('pathway_stage', new_column_name='level',
                              existing_type=sa.String(length=16), existing_nullable=False)
