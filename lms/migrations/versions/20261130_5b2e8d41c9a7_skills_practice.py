"""learning: assessed skills practice (course versions carry their skills; a trainer's
pass / not yet per skill)

Revision ID: 5b2e8d41c9a7
Revises: 5c1e0a7d3b92
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lms.db_types


# revision identifiers, used by Alembic.
revision = '5b2e8d41c9a7'
down_revision = '5c1e0a7d3b92'
branch_labels = None
depends_on = None


def upgrade():
    # Existing versions keep NULL: no assessed practice (the files loaded next add it).
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skills_practice', sa.JSON(), nullable=True))

    op.create_table('skill_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('skill_key', sa.String(length=64), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("method IN ('role_play', 'observation')", name=op.f('ck_skill_assessments_method_known')),
    sa.CheckConstraint("result IN ('pass', 'not_yet')", name=op.f('ck_skill_assessments_result_known')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_skill_assessments_assessed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_skill_assessments_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_assessments'))
    )
    with op.batch_alter_table('skill_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_skill_assessments_enrolment_skill', ['enrolment_id', 'skill_key'], unique=False)


def downgrade():
    with op.batch_alter_table('skill_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_skill_assessments_enrolment_skill')

    op.drop_table('skill_assessments')
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_column('skills_practice')
