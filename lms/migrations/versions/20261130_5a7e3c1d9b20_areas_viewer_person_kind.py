"""areas: schemes' police force area and local authority, the kind of person on an
account, and viewer scopes (read-only figures across schemes)

Revision ID: 5a7e3c1d9b20
Revises: 5b2e8d41c9a7
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lms.db_types


# revision identifiers, used by Alembic.
revision = '5a7e3c1d9b20'
down_revision = '5b2e8d41c9a7'
branch_labels = None
depends_on = None


def upgrade():
    # Existing schemes keep working without an area: the columns are optional.
    with op.batch_alter_table('schemes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('police_force_code', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('local_authority_code', sa.String(length=9),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_schemes_police_force_code'),
                              ['police_force_code'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_kind', sa.String(length=16), nullable=True))
    # Covering indexes for the figures across schemes: completions in a period, and who
    # holds a current accreditation where, at which level.
    op.create_index('ix_enrolments_completed', 'enrolments',
                    ['completed_at', 'course_id', 'scheme_id', 'user_id'], unique=False)
    op.create_index('ix_accreditation_records_figures', 'accreditation_records',
                    ['status', 'scheme_id', 'level_key', 'holder_id'], unique=False)
    op.create_index('ix_users_id_person_kind', 'users', ['id', 'person_kind'], unique=False)
    op.create_table(
        'viewer_scopes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('force_code', sa.String(length=9), nullable=True),
        sa.Column('sector', sa.String(length=16), nullable=True),
        sa.Column('scheme_id', sa.Integer(), nullable=True),
        sa.Column('granted_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'national' AND force_code IS NULL AND sector IS NULL AND scheme_id IS NULL)"
            " OR (kind = 'area' AND force_code IS NOT NULL)"
            " OR (kind = 'sector' AND sector IS NOT NULL)"
            " OR (kind = 'scheme' AND scheme_id IS NOT NULL)",
            name=op.f('ck_viewer_scopes_one_target')),
        sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'],
                                name=op.f('fk_viewer_scopes_granted_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['scheme_id'], ['schemes.id'],
                                name=op.f('fk_viewer_scopes_scheme_id_schemes'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_viewer_scopes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_viewer_scopes')),
    )
    with op.batch_alter_table('viewer_scopes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_viewer_scopes_scheme_id'), ['scheme_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_viewer_scopes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('viewer_scopes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_viewer_scopes_user_id'))
        batch_op.drop_index(batch_op.f('ix_viewer_scopes_scheme_id'))
    op.drop_table('viewer_scopes')
    op.drop_index('ix_users_id_person_kind', table_name='users')
    op.drop_index('ix_accreditation_records_figures', table_name='accreditation_records')
    op.drop_index('ix_enrolments_completed', table_name='enrolments')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('person_kind')
    with op.batch_alter_table('schemes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schemes_police_force_code'))
        batch_op.drop_column('local_authority_code')
        batch_op.drop_column('police_force_code')
