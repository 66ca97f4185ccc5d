"""On PostgreSQL a transaction that only read is committed where it would have been rolled
back, so psycopg keeps the statements it has prepared; any write is still rolled back.
On SQLite nothing is installed (it loses no prepared statements at a rollback)."""

import pytest
from sqlalchemy import event, func, insert, literal, select, text
from sqlalchemy.exc import DataError

from lms import read_only_transactions
from lms.extensions import db
from lms.schemes.models import Scheme, Sector
from tests.helpers import login_as

SCHEME = {"name": "Kept or not", "slug": "kept-or-not", "sector": Sector.PRISON,
          "region": "Wales"}


@pytest.fixture
def engine(app):
    with app.app_context():  # not held open: each request must have a context of its own
        return db.engine


@pytest.fixture
def postgresql(engine):
    """The engine, in the PostgreSQL pass (the tests using it are marked needs_postgresql:
    a SQLite run leaves them out and says so)."""
    assert engine.dialect.name == "postgresql"
    return engine


def test_installed_on_postgresql_only(engine):
    installed = event.contains(engine, "rollback", read_only_transactions._commit_if_read_only)
    assert installed == (engine.dialect.name == "postgresql")


def _prepared(connection) -> list[str]:
    return connection.scalars(text("SELECT statement FROM pg_prepared_statements")).all()


@pytest.mark.needs_postgresql
def test_a_statement_read_in_transactions_that_end_is_prepared_and_kept(postgresql):
    asked = select(Scheme.id).where(Scheme.slug == "nowhere")
    with postgresql.connect() as connection:
        for _ in range(8):  # psycopg prepares a statement on its fifth run
            connection.execute(asked).all()
            connection.rollback()
        kept = _prepared(connection)
        connection.rollback()
    assert any("FROM schemes" in statement for statement in kept)


@pytest.mark.needs_postgresql
def test_a_write_is_still_rolled_back(postgresql):
    with postgresql.connect() as connection:
        connection.execute(select(func.count(Scheme.id))).scalar()
        connection.execute(insert(Scheme).values(**SCHEME))
        connection.rollback()
    with postgresql.connect() as connection:
        assert connection.scalar(select(func.count()).where(Scheme.slug == SCHEME["slug"])) == 0


@pytest.mark.needs_postgresql
def test_text_sql_counts_as_a_write(postgresql):
    with postgresql.connect() as connection:
        connection.execute(text("SET search_path TO pg_catalog, public"))  # undone at rollback
        connection.rollback()
        assert connection.scalar(text("SHOW search_path")) != "pg_catalog, public"
        connection.rollback()


@pytest.mark.needs_postgresql
def test_a_write_through_the_session_is_still_rolled_back(postgresql, app):
    with app.app_context():
        db.session.add(Scheme(**SCHEME))
        db.session.flush()
        db.session.execute(select(Scheme.id)).all()  # a read after the write
        db.session.rollback()
        assert db.session.scalar(select(func.count(Scheme.id))) == 0
        db.session.remove()


@pytest.mark.needs_postgresql
def test_an_aborted_transaction_is_rolled_back_without_error(postgresql):
    with postgresql.connect() as connection:
        with pytest.raises(DataError):
            connection.execute(select(literal(1) / literal(0))).scalar()
        connection.rollback()
        assert connection.scalar(select(literal(2))) == 2
        connection.rollback()


@pytest.mark.needs_postgresql
def test_pages_keep_their_prepared_statements(postgresql, client, make_user):
    login_as(client, make_user())
    # One connection serves every request: with two left idle by earlier tests, the pool
    # hands them out in turn and neither runs the statement the five times psycopg waits for.
    postgresql.dispose()
    for _ in range(8):
        assert client.get("/notifications").status_code == 200
    pool = postgresql.pool
    connections = [postgresql.connect() for _ in range(max(1, pool.checkedin()))]
    try:
        kept = [s for c in connections for s in _prepared(c)]
    finally:
        for connection in connections:
            connection.close()
    assert any("FROM notifications" in statement for statement in kept)
