"""A check that no request changes data without writing an audit event.

It watches each database session: what was inserted, updated or deleted (through the ORM
or a bulk statement) and whether an audit event was appended. At commit, a request that
changed data but wrote no event fails when AUDIT_ENFORCE is on (the test suite) and is
logged as an error otherwise, so a forgotten `audit.record` is found by any test that
exercises the endpoint.
"""

from __future__ import annotations

import logging

from flask import current_app, has_request_context, request
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: Tables whose rows are not records of the service: the trail itself, signed-in sessions,
#: in-app notifications and the email outbox (both side effects of audited actions), and a
#: record's random position in the public status lists, allocated when first needed (its
#: bits follow the record's audited status).
UNAUDITED_TABLES = frozenset({"audit_events", "audit_chain_head", "auth_sessions",
                              "notifications", "outbox_messages", "alembic_version",
                              "status_list_entries"})
#: Columns whose change is bookkeeping, not a state change.
UNAUDITED_COLUMNS = frozenset({("users", "last_login_at")})

_CHANGED, _AUDITED = "audit_guard.changed", "audit_guard.audited"


class UnauditedChange(RuntimeError):
    """A request changed data but wrote no audit event."""


def install() -> None:
    if event.contains(Session, "after_flush", _after_flush):
        return  # one app per process, or several in tests: listeners are global
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _forget)
    event.listen(Session, "after_rollback", _forget)


def _mark(session: Session, table: str) -> None:
    if table == "audit_events":
        session.info[_AUDITED] = True
    elif table not in UNAUDITED_TABLES:
        session.info.setdefault(_CHANGED, set()).add(table)


def _after_flush(session: Session, _context) -> None:
    for obj in (*session.new, *session.deleted):
        _mark(session, obj.__table__.name)
    for obj in session.dirty:
        table = obj.__table__.name
        changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
        if any((table, column) not in UNAUDITED_COLUMNS for column in changed):
            _mark(session, table)


def _on_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            _mark(state.session, table.name)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the real commit comes later
    changed = session.info.get(_CHANGED)
    if not changed or session.info.get(_AUDITED) or not has_request_context():
        return
    message = (f"{request.method} {request.endpoint} changed {sorted(changed)} without "
               "writing an audit event")
    if current_app.config.get("AUDIT_ENFORCE"):
        raise UnauditedChange(message)
    log.error(message)


def _forget(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint ended; the transaction's changes still count
    session.info.pop(_CHANGED, None)
    session.info.pop(_AUDITED, None)
