"""The migration that renames course_versions.level to pathway_stage keeps every row: the
value moves to the new column and nothing that hangs off a version is lost."""

import flask_migrate
from sqlalchemy import inspect, text

from lms import create_app
from lms.extensions import db

BEFORE, RENAME = "8b4f2d6e1a37", "c62af7754ed4"
ROWS = [
    "INSERT INTO courses (id, slug, created_at) VALUES (1, 'c', '2026-01-01')",
    "INSERT INTO course_versions (id, course_id, number, content_hash, title, summary, level, "
    "prerequisites, estimated_hours, pass_mark, live_required, live_hours, loaded_at) VALUES "
    "(1, 1, 1, 'h', 'C', 'S', 'supervision', '[]', 1, 80, 0, 0, '2026-01-01')",
    "UPDATE courses SET current_version_id = 1 WHERE id = 1",
    "INSERT INTO modules (id, version_id, slug, \"order\", title, outcomes, check_hash) "
    "VALUES (1, 1, 'm', 1, 'M', '[]', 'k')",
]


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_the_pathway_stage_column_keeps_each_version_and_what_hangs_off_it(tmp_path):
    app = create_app({"ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for row in ROWS:
                conn.execute(text(row))
        flask_migrate.upgrade(revision=RENAME)
        assert {"pathway_stage"} <= _columns("course_versions")
        assert "level" not in _columns("course_versions")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT pathway_stage FROM course_versions")).all() == [
                ("supervision",)]
            assert conn.execute(text("SELECT current_version_id FROM courses")).all() == [(1,)]
            assert conn.execute(text("SELECT count(*) FROM modules")).scalar() == 1
        flask_migrate.downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT level FROM course_versions")).all() == [
                ("supervision",)]
            assert conn.execute(text("SELECT count(*) FROM modules")).scalar() == 1
        db.engine.dispose()
