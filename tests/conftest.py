"""Shared fixtures: one app per test session, a clean database for every test, and
factories that create what a test needs (returned as plain records, so no test holds an
application context across requests)."""

import itertools
import os
from types import SimpleNamespace

import flask_migrate
import pytest
from sqlalchemy import MetaData, event, text

from lms import create_app
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db, limiter
from lms.learning import outline_html
from lms.learning.progress import forget_kept_outlines
from lms.schemes.models import Membership, Role, Scheme, Sector

DEFAULT_PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory):
    url = os.environ.get("LMS_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def drop_everything():
    """Remove every table (ours and Alembic's), so migrations start from nothing."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    meta.drop_all(bind=db.engine)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({"ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory)})
    with app.app_context():
        drop_everything()
        flask_migrate.upgrade()  # the schema comes from the migrations, as in production
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(app):
    yield
    limiter.reset()  # throttling counts live in the rate-limit store, not the database
    forget_kept_outlines()  # the next test's course versions start again from id 1
    outline_html.forget()
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_scheme(app):
    def make(name=None, slug=None, sector=Sector.PRISON, region="North West"):
        n = next(_counter)
        with app.app_context():
            scheme = Scheme(name=name or f"Scheme {n}", slug=slug or f"scheme-{n}",
                            sector=sector, region=region)
            db.session.add(scheme)
            db.session.commit()
            return SimpleNamespace(id=scheme.id, slug=scheme.slug, name=scheme.name)

    return make


@pytest.fixture
def make_user(app):
    """make_user(role="lead", scheme=s) -> a record with id, username and password."""

    def make(username=None, *, role=None, scheme=None, roles=(), password=DEFAULT_PASSWORD,
             is_admin=False, email=None, active=True, display_name=None):
        n = next(_counter)
        username = username or f"user{n}"
        with app.app_context():
            user = User(username=username, display_name=display_name or f"Person {n}",
                        email=email, is_admin=is_admin, active=active)
            auth_services.set_password(user, password)
            for scheme_record, role_name in [*roles, *([(scheme, role)] if role else [])]:
                user.memberships.append(
                    Membership(scheme_id=scheme_record.id, role=Role(role_name))
                )
            db.session.add(user)
            db.session.commit()
            return SimpleNamespace(id=user.id, username=user.username, password=password,
                                   display_name=user.display_name)

    return make


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ...; counter.count is the SQL statements issued."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = SimpleNamespace(count=0, statements=[])

        def before(conn, cursor, statement, *args):
            counter.count += 1
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


_REDIS_LEFT_OUT: list[str] = []
_POSTGRESQL_LEFT_OUT: list[int] = []


def _redis_answers(url: str) -> bool:
    try:
        import redis

        with redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2) as store:
            return bool(store.ping())
    except Exception:  # no server, refused, or a timeout: all mean "not here"
        return False


def pytest_collection_modifyitems(config, items):
    """The two-node tests need a Redis. Without one they are left out, and the summary says
    so in capitals (.ci/run always starts one, so CI never leaves them out). Tests of
    PostgreSQL's own behaviour are left out of a run on SQLite, and the summary says so."""
    wanting = [item for item in items if item.get_closest_marker("needs_redis")]
    url = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if wanting and not _redis_answers(url):
        _REDIS_LEFT_OUT.append(url)
        config.hook.pytest_deselected(items=wanting)
        items[:] = [item for item in items if item not in wanting]
    # PostgreSQL's own behaviour (.ci/run's second pass): left out of a SQLite run, and said.
    wanting = [item for item in items if item.get_closest_marker("needs_postgresql")]
    if wanting and not os.environ.get("LMS_TEST_DATABASE_URL", "").startswith("postgresql"):
        _POSTGRESQL_LEFT_OUT.append(len(wanting))
        config.hook.pytest_deselected(items=wanting)
        items[:] = [item for item in items if item not in wanting]


def pytest_terminal_summary(terminalreporter):
    if _REDIS_LEFT_OUT:
        terminalreporter.write_line(
            f"TWO-NODE TESTS LEFT OUT: no Redis answers at {_REDIS_LEFT_OUT[0]} "
            "(start redis-server, or set LMS_TEST_REDIS_URL)", red=True, bold=True)
    if _POSTGRESQL_LEFT_OUT:
        terminalreporter.write_line(
            f"{_POSTGRESQL_LEFT_OUT[0]} PostgreSQL-only tests left out of this SQLite run "
            "(LMS_TEST_DATABASE_URL=postgresql+psycopg://... runs them, as .ci/run does)")
