"""A database built by any earlier release upgrades to exactly today's schema.

Every commit on main that changed the migrations is a schema some database may have been
built with. For each, the test builds a database with that commit's migrations, upgrades it
with today's, and checks the result against the models (what `flask db check` checks).
This is what catches a migration edited after it landed.
"""

import io
import os
import shutil
import subprocess
import tarfile
import uuid
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.extensions import db

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = "lms/migrations"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True,
                          capture_output=True, text=True).stdout


def _earlier_schemas() -> list[str]:
    """Commits on main that changed the migrations, oldest first."""
    # First parent only: commits that were main itself, not work merged in from a branch
    # (whose migrations are re-chained when merged, and were never deployed).
    commits = _git("log", "--first-parent", "--format=%H", "--reverse", "--",
                   MIGRATIONS).split()
    assert commits, "no git history of the migrations: the upgrade check cannot run"
    return commits


def _export_migrations(commit: str, into: Path) -> Path:
    """The migrations folder as it was at `commit`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, MIGRATIONS],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / MIGRATIONS


@pytest.fixture
def scratch_database_url(tmp_path):
    """A database of its own, on the engine the suite runs on."""
    url = os.environ.get("LMS_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'upgrade.db'}"
        return
    name = f"lms_upgrade_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("commit", _earlier_schemas())
def test_a_database_built_at_an_earlier_commit_upgrades_to_the_models(
        commit, tmp_path, scratch_database_url):
    old = _export_migrations(commit, tmp_path / "old")
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": scratch_database_url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(old))
        db.session.remove()
        flask_migrate.upgrade(directory=str(ROOT / MIGRATIONS))
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()
    shutil.rmtree(tmp_path / "old")
