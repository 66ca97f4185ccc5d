"""repair databases built before two migrations were edited

Two migrations were changed after they had landed: 4434384c0d15 lost
enrolments.last_lesson_id, and b66704830aee stopped audit_events.actor_id from
being set to NULL when a user is deleted (the audit trail must never change).
A database built before those edits still has the old shape; this brings it to
the shape the edited files create, and does nothing on a database built after.

Revision ID: 1f0e2a9c4b71
Revises: caf61ea8cb0d
Create Date: 2026-11-30 05:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1f0e2a9c4b71'
down_revision = 'caf61ea8cb0d'
branch_labels = None
depends_on = None


def upgrade():
    inspector = sa.inspect(op.get_bind())

    if 'last_lesson_id' in {c['name'] for c in inspector.get_columns('enrolments')}:
        fks = [fk['name'] for fk in inspector.get_foreign_keys('enrolments')
               if fk['constrained_columns'] == ['last_lesson_id']]
        with op.batch_alter_table('enrolments', schema=None) as batch_op:
            for name in fks:
                if name:
                    batch_op.drop_constraint(name, type_='foreignkey')
            batch_op.drop_column('last_lesson_id')

    actor_fks = [fk for fk in inspector.get_foreign_keys('audit_events')
                 if fk['constrained_columns'] == ['actor_id']]
    if any((fk.get('options') or {}).get('ondelete') for fk in actor_fks):
        with op.batch_alter_table('audit_events', schema=None) as batch_op:
            for fk in actor_fks:
                batch_op.drop_constraint(fk['name'] or 'fk_audit_events_actor_id_users',
                                         type_='foreignkey')
            batch_op.create_foreign_key(op.f('fk_audit_events_actor_id_users'), 'users',
                                        ['actor_id'], ['id'])


def downgrade():
    # Nothing to undo: the repaired shape is the one the earlier migrations now create.
    pass
