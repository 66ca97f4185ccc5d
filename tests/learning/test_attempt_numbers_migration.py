"""The migration that numbers knowledge-check attempts numbers the ones already stored."""

import flask_migrate
from sqlalchemy import text

from lms import create_app
from lms.extensions import db

BEFORE = "caf61ea8cb0d"
ROWS = [
    "INSERT INTO users (id, username, display_name, active, is_admin, preferred_language, "
    "created_at, is_assessor, listed_publicly) VALUES (1, 'a', 'A', 1, 0, 'en', "
    "'2026-01-01', 0, 0), (2, 'b', 'B', 1, 0, 'en', '2026-01-01', 0, 0)",
    "INSERT INTO courses (id, slug, created_at) VALUES (1, 'c', '2026-01-01')",
    "INSERT INTO course_versions (id, course_id, number, content_hash, title, summary, level, "
    "prerequisites, estimated_hours, pass_mark, live_required, live_hours, loaded_at) VALUES "
    "(1, 1, 1, 'h', 'C', 'S', 'foundation', '[]', 1, 80, 0, 0, '2026-01-01')",
    "INSERT INTO modules (id, version_id, slug, \"order\", title, outcomes, check_hash) "
    "VALUES (1, 1, 'm', 1, 'M', '[]', 'k')",
    "INSERT INTO enrolments (id, user_id, course_id, enrolled_at) VALUES "
    "(1, 1, 1, '2026-01-01'), (2, 2, 1, '2026-01-01')",
]
ATTEMPT = ("INSERT INTO check_attempts (id, enrolment_id, module_id, check_hash, correct, total, "
           "passed, answers, submitted_at) VALUES ({id}, {enrolment}, 1, '{check}', 0, 5, 0, "
           "'{{}}', '2026-01-01')")


def test_existing_attempts_are_numbered_in_the_order_they_were_stored(tmp_path):
    app = create_app({"ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        # four attempts (beyond a limit of three, as the race allowed) and two other checks
        attempts = [(1, 1, "k"), (2, 2, "k"), (3, 1, "k"), (4, 1, "old"), (5, 1, "k"),
                    (6, 1, "k")]
        with db.engine.begin() as conn:
            for row in ROWS:
                conn.execute(text(row))
            for attempt_id, enrolment, check in attempts:
                conn.execute(text(ATTEMPT.format(id=attempt_id, enrolment=enrolment,
                                                 check=check)))
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            numbers = dict(conn.execute(text(
                "SELECT id, number FROM check_attempts WHERE attempt_limit IS NULL "
                "AND source = 'online'")).all())
        assert numbers == {1: 1, 2: 1, 3: 2, 4: 1, 5: 3, 6: 4}
        db.engine.dispose()
