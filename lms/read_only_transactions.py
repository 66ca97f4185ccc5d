"""A transaction that only read ends with COMMIT, not ROLLBACK (PostgreSQL).

Most requests read and never commit, so their transaction ends with the ROLLBACK that
closing the session sends. At every ROLLBACK psycopg forgets the statements it has
prepared on that connection (it cannot tell what the rolled-back work dropped or
altered), so no statement ever reached its prepare threshold: every query of every page
was parsed and planned again. At national scale planning was most of the database's
time on a page (the trainee home's six statements: 1.8 ms planning, 0.7 ms running).

For a transaction that ran nothing but SELECT statements, COMMIT and ROLLBACK mean the
same thing: nothing was written, and both release its locks. So when such a
transaction is rolled back, it is committed first, and the rollback that follows finds
nothing to do. Anything else run in the transaction (an INSERT, UPDATE or DELETE, a
flush, text SQL, DDL), or a transaction a failed statement has aborted, keeps the plain
ROLLBACK. SQLite keeps no prepared statements across transactions to lose, so it is left
as it is."""

import contextlib

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.selectable import CompoundSelect, Select

#: Set on a connection when its transaction runs anything that is not a SELECT.
_WROTE = "lms.transaction_wrote"
_READS = (Select, CompoundSelect)


def install(engine: Engine) -> None:
    """Watch `engine`'s transactions, if it is PostgreSQL's (through psycopg)."""
    if engine.dialect.driver != "psycopg" or event.contains(engine, "begin", _began):
        return
    event.listen(engine, "begin", _began)
    event.listen(engine, "before_cursor_execute", _seen)
    event.listen(engine, "rollback", _commit_if_read_only)


def _began(connection) -> None:
    connection.info[_WROTE] = False


def _seen(connection, _cursor, _sql, _parameters, context, _executemany) -> None:
    compiled = context.compiled if context is not None else None  # None: SQL as text
    if compiled is None or not isinstance(compiled.statement, _READS):
        connection.info[_WROTE] = True


def _commit_if_read_only(connection) -> None:
    if connection.invalidated or connection.closed or connection.info.get(_WROTE, True):
        return
    from psycopg import Error  # late: installed only where PostgreSQL is used
    from psycopg.pq import TransactionStatus

    driver = connection.connection.driver_connection
    if driver.info.transaction_status == TransactionStatus.INTRANS:  # not aborted
        # a lost connection: the rollback that follows meets it and says so
        with contextlib.suppress(Error):
            driver.commit()  # then the rollback finds no transaction, and sends nothing
