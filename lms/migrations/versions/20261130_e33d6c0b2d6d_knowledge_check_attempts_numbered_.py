"""knowledge check attempts numbered, question banks, paper results

Revision ID: e33d6c0b2d6d
Revises: d300be97879d
Create Date: 2026-11-30 05:27:10.528303

"""
from alembic import op
import sqlalchemy as sa

import lms.db_types


# revision identifiers, used by Alembic.
revision = 'e33d6c0b2d6d'
down_revision = 'd300be97879d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('check_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attempt_limit', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('paper', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=8), nullable=False,
                                      server_default='online'))
        batch_op.add_column(sa.Column('taken_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))

    # Existing attempts are numbered in the order they were stored. Their limit stays
    # unknown (NULL): some were stored beyond it before the database enforced it.
    op.execute(
        "UPDATE check_attempts SET number = (SELECT count(*) FROM check_attempts AS earlier "
        "WHERE earlier.enrolment_id = check_attempts.enrolment_id "
        "AND earlier.check_hash = check_attempts.check_hash "
        "AND earlier.id <= check_attempts.id)"
    )

    with op.batch_alter_table('check_attempts', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('source', existing_type=sa.String(length=8), server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_check_attempts_enrolment_id_check_hash_number'), ['enrolment_id', 'check_hash', 'number'])
        batch_op.create_check_constraint(batch_op.f('ck_check_attempts_number_positive'),
                                         'number >= 1')
        batch_op.create_check_constraint(batch_op.f('ck_check_attempts_number_within_limit'),
                                         'attempt_limit IS NULL OR number <= attempt_limit')
        batch_op.create_foreign_key(batch_op.f('fk_check_attempts_entered_by_id_users'), 'users', ['entered_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questions_per_attempt', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('questions_per_attempt')

    with op.batch_alter_table('check_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_check_attempts_entered_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_check_attempts_enrolment_id_check_hash_number'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_check_attempts_number_within_limit'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_check_attempts_number_positive'), type_='check')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('taken_on')
        batch_op.drop_column('source')
        batch_op.drop_column('paper')
        batch_op.drop_column('attempt_limit')
        batch_op.drop_column('number')

