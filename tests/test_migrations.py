"""The schema comes only from Alembic migrations, and they match the models."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lms import create_app
from lms.extensions import db


def test_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_upgrade_and_downgrade_an_empty_database(tmp_path):
    app = create_app({"ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}"})
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        flask_migrate.upgrade()
        assert {"users", "schemes", "memberships"} <= set(inspect(db.engine).get_table_names())
        flask_migrate.downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade()
        db.engine.dispose()


def test_the_app_does_not_create_tables_at_start(tmp_path):
    app = create_app({"ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'untouched.db'}"})
    app.test_client().get("/login")
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()
