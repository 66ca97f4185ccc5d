"""Learning workflows: enrol, study, answer knowledge checks, complete. Flush, never commit."""

from __future__ import annotations

from sqlalchemy import func, select

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import (
    CheckAttempt,
    Course,
    CourseVersion,
    Enrolment,
    LessonCompletion,
    Module,
)
from lms.learning.progress import CourseProgress, progress_for
from lms.schemes.models import Scheme


class LearningError(Exception):
    """A rule refused the action; the message is shown to the person."""


def completed_course_slugs(user_id: int) -> set[str]:
    return set(db.session.scalars(
        select(Course.slug).join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None))
    ))


def missing_prerequisites(user_id: int, version: CourseVersion,
                          completed: set[str] | None = None) -> list[str]:
    """Titles of prerequisite courses the person has not completed, in the course's order."""
    completed = completed_course_slugs(user_id) if completed is None else completed
    missing = [slug for slug in version.prerequisites if slug not in completed]
    if not missing:
        return []
    titles = dict(db.session.execute(
        select(Course.slug, CourseVersion.title)
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)
        .where(Course.slug.in_(missing))
    ).all())
    return [titles.get(slug, slug) for slug in missing]


def find_enrolment(user_id: int, course_id: int) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(
        Enrolment.user_id == user_id, Enrolment.course_id == course_id))


def enrol(user: User, course: Course, *, by: User | None = None,
          scheme: Scheme | None = None) -> Enrolment:
    """Enrol `user` once prerequisites are met; `by` is the trainer or lead who did it."""
    if find_enrolment(user.id, course.id) is not None:
        raise LearningError(f"{user.display_name} is already enrolled on this course.")
    missing = missing_prerequisites(user.id, course.current_version)
    if missing:
        who = "You" if by is None or by.id == user.id else user.display_name
        raise LearningError(
            f"{who} must first complete: {', '.join(missing)}."
        )
    if scheme is None:
        scheme = default_scheme(user)
    enrolment = Enrolment(user_id=user.id, course_id=course.id, enrolled_by_id=by and by.id,
                          scheme_id=scheme and scheme.id)
    db.session.add(enrolment)
    db.session.flush()
    audit.record("learning.enrolled", actor=by or user, object_type="enrolment",
                 object_id=enrolment.id, payload={"user_id": user.id, "course_id": course.id})
    return enrolment


def default_scheme(user: User) -> Scheme | None:
    """The scheme a learner trains with: the first one where they are a trainee, else any."""
    memberships = sorted(user.memberships, key=lambda m: (m.role != "trainee", m.id))
    return memberships[0].scheme if memberships else None


def progress_of(enrolment: Enrolment) -> CourseProgress:
    return progress_for([enrolment])[enrolment.id]


def mark_lesson_done(enrolment: Enrolment, lesson) -> None:
    already = db.session.scalar(select(LessonCompletion.id).where(
        LessonCompletion.enrolment_id == enrolment.id,
        LessonCompletion.lesson_hash == lesson.content_hash))
    if already is None:
        db.session.add(LessonCompletion(enrolment_id=enrolment.id,
                                        lesson_hash=lesson.content_hash))
        audit.record("learning.lesson_done", actor=enrolment.user_id, object_type="enrolment",
                     object_id=enrolment.id, payload={"lesson_hash": lesson.content_hash})
    db.session.flush()
    record_completion_if_done(enrolment)


def attempts_used(enrolment: Enrolment, module: Module) -> int:
    return db.session.scalar(select(func.count()).select_from(CheckAttempt).where(
        CheckAttempt.enrolment_id == enrolment.id, CheckAttempt.check_hash == module.check_hash))


def check_passed(enrolment: Enrolment, module: Module) -> bool:
    return db.session.scalar(select(CheckAttempt.id).where(
        CheckAttempt.enrolment_id == enrolment.id, CheckAttempt.check_hash == module.check_hash,
        CheckAttempt.passed.is_(True)).limit(1)) is not None


def attempts_left(enrolment: Enrolment, module: Module, version: CourseVersion) -> int | None:
    if version.max_attempts is None:
        return None
    return max(0, version.max_attempts - attempts_used(enrolment, module))


def submit_check(enrolment: Enrolment, module: Module, version: CourseVersion,
                 answers: dict[int, set[int]]) -> CheckAttempt:
    """Score a knowledge check: a question counts when exactly its correct options are chosen."""
    if attempts_left(enrolment, module, version) == 0:
        raise LearningError("You have used every attempt at this knowledge check. "
                            "Speak to your trainer.")
    correct = sum(answers.get(q.id, set()) == q.correct_indices for q in module.questions)
    total = len(module.questions)
    attempt = CheckAttempt(
        enrolment_id=enrolment.id, module_id=module.id, check_hash=module.check_hash,
        correct=correct, total=total, passed=correct * 100 >= version.pass_mark * total,
        answers={str(qid): sorted(chosen) for qid, chosen in answers.items()},
    )
    db.session.add(attempt)
    db.session.flush()
    audit.record("learning.check_submitted", actor=enrolment.user_id, object_type="enrolment",
                 object_id=enrolment.id, payload={"attempt_id": attempt.id,
                                                  "module_id": module.id, "passed": attempt.passed})
    record_completion_if_done(enrolment)
    return attempt


def record_completion_if_done(enrolment: Enrolment) -> bool:
    """Mark the enrolment complete (with the version studied) once everything is done."""
    if enrolment.completed_at is not None:
        return False
    progress = progress_of(enrolment)
    if not progress.complete:
        return False
    enrolment.completed_at = clock.utcnow()
    enrolment.completed_version_id = progress.version.id
    db.session.flush()
    # Derived from lessons, checks and attendance: recorded as the system's doing.
    audit.record("learning.course_completed", actor=None, object_type="enrolment",
                 object_id=enrolment.id, payload={"version_id": progress.version.id})
    return True
