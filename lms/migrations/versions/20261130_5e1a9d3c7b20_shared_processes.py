"""shared processes: one restorative process that practitioners take part in, its harms,
outcomes, take-up counts and anonymous feedback; practice records link to their process

Every existing practice record becomes, or joins, a process. Two records are joined into ONE
process only when it is safe to say they are the same case: same scheme, same date, and each
names the other's author as its co-facilitator. Everything else gets a process of its own.
The old columns (co_facilitator_id, co_facilitator_name, harm_category, ...) stay.

Revision ID: 5e1a9d3c7b20
Revises: 5a7e3c1d9b20
Create Date: 2026-11-30 09:00:00

"""
from collections import Counter

from alembic import op
import sqlalchemy as sa

import lms.db_types


# revision identifiers, used by Alembic.
revision = '5e1a9d3c7b20'
down_revision = '5a7e3c1d9b20'
branch_labels = None
depends_on = None


def _process_id_column():
    return sa.Column('process_id', sa.Integer(), nullable=False)


def upgrade():
    op.create_table(
        'restorative_processes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_code', sa.String(length=20), nullable=False),
        sa.Column('scheme_id', sa.Integer(), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('setting', sa.String(length=16), nullable=False),
        sa.Column('process_type', sa.String(length=24), nullable=False),
        sa.Column('involvement', sa.String(length=32), nullable=True),
        sa.Column('direct', sa.Boolean(), nullable=False),
        sa.Column('face_to_face', sa.Boolean(), nullable=False),
        sa.Column('sensitive', sa.Boolean(), nullable=False),
        sa.Column('items_agreed', sa.Integer(), nullable=True),
        sa.Column('items_completed', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_restorative_processes_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['scheme_id'], ['schemes.id'],
                                name=op.f('fk_restorative_processes_scheme_id_schemes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_restorative_processes')),
        sa.UniqueConstraint('case_code', name=op.f('uq_restorative_processes_case_code')),
    )
    with op.batch_alter_table('restorative_processes', schema=None) as batch_op:
        batch_op.create_index('ix_restorative_processes_scheme_date',
                              ['scheme_id', 'occurred_on'], unique=False)

    op.create_table(
        'process_harms',
        _process_id_column(),
        sa.Column('harm', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['process_id'], ['restorative_processes.id'],
                                name=op.f('fk_process_harms_process_id_restorative_processes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('process_id', 'harm', name=op.f('pk_process_harms')),
    )
    op.create_table(
        'process_outcomes',
        _process_id_column(),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('answer', sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ['process_id'], ['restorative_processes.id'],
            name=op.f('fk_process_outcomes_process_id_restorative_processes'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('process_id', 'key', name=op.f('pk_process_outcomes')),
    )
    counts = ['offered', 'interested', 'met', 'took_part', 'declined_at_offer',
              'declined_after_interest', 'declined_after_meeting']
    op.create_table(
        'process_take_up',
        _process_id_column(),
        sa.Column('party', sa.String(length=12), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in counts],
        sa.ForeignKeyConstraint(
            ['process_id'], ['restorative_processes.id'],
            name=op.f('fk_process_take_up_process_id_restorative_processes'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('process_id', 'party', name=op.f('pk_process_take_up')),
    )
    op.create_table(
        'process_participants',
        sa.Column('id', sa.Integer(), nullable=False),
        _process_id_column(),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', lms.db_types.UTCDateTime(), nullable=True),
        sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_process_participants_invited_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(
            ['process_id'], ['restorative_processes.id'],
            name=op.f('fk_process_participants_process_id_restorative_processes'),
            ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_process_participants_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_process_participants')),
        sa.UniqueConstraint('process_id', 'user_id',
                            name=op.f('uq_process_participants_process_id_user_id')),
    )
    with op.batch_alter_table('process_participants', schema=None) as batch_op:
        batch_op.create_index('ix_process_participants_user', ['user_id', 'confirmed_at'],
                              unique=False)
    op.create_table(
        'feedback_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        _process_id_column(),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('max_answers', sa.Integer(), nullable=False),
        sa.Column('answers_used', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_feedback_codes_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(
            ['process_id'], ['restorative_processes.id'],
            name=op.f('fk_feedback_codes_process_id_restorative_processes'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_codes')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_feedback_codes_code_hash')),
    )
    with op.batch_alter_table('feedback_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_codes_process_id'), ['process_id'],
                              unique=False)
    op.create_table(
        'feedback_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        _process_id_column(),
        sa.Column('satisfaction', sa.Integer(), nullable=True),
        sa.Column('recommend', sa.String(length=8), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=8), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ['process_id'], ['restorative_processes.id'],
            name=op.f('fk_feedback_responses_process_id_restorative_processes'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_responses')),
    )
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_responses_process_id'), ['process_id'],
                              unique=False)

    with op.batch_alter_table('practice_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('process_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_practice_records_process_id'), ['process_id'],
                              unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_practice_records_process_id_restorative_processes'),
            'restorative_processes', ['process_id'], ['id'], ondelete='SET NULL')

    _link_existing_records()


def _groups(records):
    """[[record, ...], ...]: reciprocal co-facilitation on the same day in the same scheme
    joins two records, when each author logged only that one record that day there; every
    other record stands alone. One pass over the records (they may be many)."""
    logged = Counter((r.scheme_id, r.occurred_on, r.author_id) for r in records)
    by_key = {(r.scheme_id, r.occurred_on, r.author_id): r for r in records}
    joined, groups = set(), []
    for record in sorted(records, key=lambda r: r.id):
        if record.id in joined:
            continue
        key = (record.scheme_id, record.occurred_on)
        partner = by_key.get((*key, record.co_facilitator_id))
        if (partner is not None and partner.id != record.id and partner.id not in joined
                and partner.co_facilitator_id == record.author_id
                and logged[(*key, record.author_id)] == 1
                and logged[(*key, partner.author_id)] == 1):
            joined.update({record.id, partner.id})
            groups.append([record, partner])
        else:
            joined.add(record.id)
            groups.append([record])
    return groups


def _link_existing_records():
    conn = op.get_bind()
    records_t = sa.table(
        'practice_records', sa.column('id', sa.Integer), sa.column('case_code', sa.String),
        sa.column('author_id', sa.Integer), sa.column('scheme_id', sa.Integer),
        sa.column('occurred_on', sa.Date), sa.column('sector', sa.String),
        sa.column('process_type', sa.String), sa.column('direct', sa.Boolean),
        sa.column('face_to_face', sa.Boolean), sa.column('sensitive', sa.Boolean),
        sa.column('harm_category', sa.String), sa.column('practitioner_role', sa.String),
        sa.column('co_facilitator_id', sa.Integer), sa.column('created_at', sa.DateTime),
        sa.column('process_id', sa.Integer))
    processes_t = sa.table(
        'restorative_processes', sa.column('id', sa.Integer), sa.column('case_code', sa.String),
        sa.column('scheme_id', sa.Integer), sa.column('occurred_on', sa.Date),
        sa.column('setting', sa.String), sa.column('process_type', sa.String),
        sa.column('involvement', sa.String), sa.column('direct', sa.Boolean),
        sa.column('face_to_face', sa.Boolean), sa.column('sensitive', sa.Boolean),
        sa.column('created_by_id', sa.Integer), sa.column('created_at', sa.DateTime))
    harms_t = sa.table('process_harms', sa.column('process_id', sa.Integer),
                       sa.column('harm', sa.String))
    participants_t = sa.table(
        'process_participants', sa.column('process_id', sa.Integer),
        sa.column('user_id', sa.Integer), sa.column('role', sa.String),
        sa.column('confirmed_at', sa.DateTime), sa.column('created_at', sa.DateTime))
    records = conn.execute(sa.select(records_t).order_by(records_t.c.id)).all()
    processes, harms, participants, links = [], [], [], []
    for group in _groups(records):
        first = group[0]
        # the process takes the id of its first record, so ids need no look-up
        processes.append({
            'id': first.id, 'case_code': first.case_code, 'scheme_id': first.scheme_id,
            'occurred_on': first.occurred_on, 'setting': first.sector,
            'process_type': first.process_type, 'involvement': None, 'direct': first.direct,
            'face_to_face': first.face_to_face,
            'sensitive': any(r.sensitive for r in group),
            'created_by_id': first.author_id, 'created_at': first.created_at})
        for harm in dict.fromkeys(r.harm_category for r in group):
            harms.append({'process_id': first.id, 'harm': harm})
        for record in group:
            participants.append({'process_id': first.id, 'user_id': record.author_id,
                                 'role': record.practitioner_role,
                                 'confirmed_at': record.created_at,
                                 'created_at': record.created_at})
            links.append((record.id, first.id))
    if processes:
        conn.execute(processes_t.insert(), processes)
        conn.execute(harms_t.insert(), harms)
        conn.execute(participants_t.insert(), participants)
        conn.execute(records_t.update().where(records_t.c.id == sa.bindparam('record_id'))
                     .values(process_id=sa.bindparam('linked_process_id')),
                     [{'record_id': r, 'linked_process_id': p} for r, p in links])
        if conn.dialect.name == 'postgresql':
            conn.execute(sa.text(
                "SELECT setval(pg_get_serial_sequence('restorative_processes', 'id'), "
                "(SELECT max(id) FROM restorative_processes))"))


def downgrade():
    with op.batch_alter_table('practice_records', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_practice_records_process_id_restorative_processes'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_practice_records_process_id'))
        batch_op.drop_column('process_id')
    for index, table in [('ix_feedback_responses_process_id', 'feedback_responses'),
                         ('ix_feedback_codes_process_id', 'feedback_codes'),
                         ('ix_process_participants_user', 'process_participants'),
                         ('ix_restorative_processes_scheme_date', 'restorative_processes')]:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
    for table in ('feedback_responses', 'feedback_codes', 'process_participants',
                  'process_take_up', 'process_outcomes', 'process_harms',
                  'restorative_processes'):
        op.drop_table(table)
