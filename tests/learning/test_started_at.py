"""An enrolment notes when the learner started (first lesson done or check taken), so the
training pipeline counts "in progress" without reading the progress tables; enrolments made
before the column existed get it from their earliest progress (the migration's backfill)."""

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text, update

from lms.extensions import db
from lms.learning.models import CheckAttempt, Enrolment, LessonCompletion, Module
from tests.helpers import login_as
from tests.learning.conftest import right_answers

MIGRATION = next((Path(__file__).parents[2] / "lms/migrations/versions")
                 .glob("*_3f6b2a9c8d14_enrolments_started_at.py"))


def _backfill_sql() -> str:
    spec = importlib.util.spec_from_file_location("started_at_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # alembic's `op` is imported but not used on import
    return module.BACKFILL


def _started(app, user_id):
    with app.app_context():
        return db.session.scalar(select(Enrolment.started_at)
                                 .where(Enrolment.user_id == user_id))


def test_started_is_noted_at_the_first_lesson_and_kept(app, client, catalogue, make_scheme,
                                                        make_user):
    trainee = make_user(role="trainee", scheme=make_scheme())
    login_as(client, trainee)
    client.post("/courses/basics/enrol")
    assert _started(app, trainee.id) is None
    client.post("/courses/basics/lessons/listening/why-listening-matters/done")
    first = _started(app, trainee.id)
    assert first is not None
    client.post("/courses/basics/checks/listening",
                data=right_answers(client, "/courses/basics/checks/listening"))
    assert _started(app, trainee.id) == first


def test_a_check_taken_first_also_starts_the_course(app, client, catalogue, make_scheme,
                                                     make_user):
    trainee = make_user(role="trainee", scheme=make_scheme())
    login_as(client, trainee)
    client.post("/courses/basics/enrol")
    client.post("/courses/basics/checks/listening",
                data=right_answers(client, "/courses/basics/checks/listening"))
    assert _started(app, trainee.id) is not None


def test_the_backfill_takes_the_earliest_progress(app, catalogue, make_scheme, make_user):
    scheme = make_scheme()
    people = [make_user(role="trainee", scheme=scheme) for _ in range(3)]
    early, later = datetime(2026, 3, 1, 9, tzinfo=UTC), datetime(2026, 3, 2, 9, tzinfo=UTC)
    with app.app_context():
        module = db.session.scalars(select(Module)).first()
        both, lesson_only, none = (Enrolment(user_id=p.id, course_id=catalogue.ids["basics"],
                                             scheme_id=scheme.id) for p in people)
        db.session.add_all([both, lesson_only, none])
        db.session.flush()
        db.session.add_all([
            LessonCompletion(enrolment_id=both.id, lesson_hash="a", completed_at=later),
            CheckAttempt(enrolment_id=both.id, module_id=module.id, check_hash="k", number=1,
                         correct=1, total=1, passed=True, answers={}, submitted_at=early),
            LessonCompletion(enrolment_id=lesson_only.id, lesson_hash="a", completed_at=later)])
        db.session.commit()
        db.session.execute(update(Enrolment).values(started_at=None))
        db.session.execute(text(_backfill_sql()))
        db.session.commit()
        found = dict(db.session.execute(select(Enrolment.user_id, Enrolment.started_at)).all())
    assert found == {people[0].id: early, people[1].id: later, people[2].id: None}
