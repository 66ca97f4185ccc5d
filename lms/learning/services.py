"""Learning workflows: enrol, study, answer knowledge checks, complete. Flush, never commit."""

from __future__ import annotations

import functools
from typing import NamedTuple

from flask_babel.speaklater import LazyString
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.learning.models import (
    CheckAttempt,
    Course,
    CourseVersion,
    Enrolment,
    LessonCompletion,
    Module,
)
from lms.learning.papers import PaperQuestion, as_stored
from lms.learning.progress import CourseProgress, progress_for
from lms.schemes.models import Scheme


class LearningError(Exception):
    """A rule refused the action; the message is shown to the person. The view rolls back."""


ALREADY_SUBMITTED = _l("That attempt had already been submitted (perhaps from another window), "
                        "so it was not stored again. Here is the check as it stands now.")


def flush_or_refuse(row, message: str | LazyString) -> None:
    """Add and flush `row`; a unique constraint hit by a simultaneous request becomes a
    refusal with `message` instead of an error page. The message is put in the person's
    language before the flush: after a failed flush the session cannot load their preference."""
    refusal = str(message)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as err:
        raise LearningError(refusal) from err


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


@functools.cache
def _enrolment_statement():
    return select(Enrolment).where(Enrolment.user_id == bindparam("user_id"),
                                   Enrolment.course_id == bindparam("course_id"))


def find_enrolment(user_id: int, course_id: int) -> Enrolment | None:
    """The person's enrolment on the course, if any. Its statement is built once: every
    course, lesson and check page asks (lms.auth.services says why)."""
    return db.session.scalar(_enrolment_statement(),
                             {"user_id": user_id, "course_id": course_id})


def enrol(user: User, course: Course, *, by: User | None = None,
          scheme: Scheme | None = None) -> Enrolment:
    """Enrol `user` once prerequisites are met; `by` is the trainer or lead who did it."""
    if find_enrolment(user.id, course.id) is not None:
        raise LearningError(_("%(name)s is already enrolled on this course.",
                              name=user.display_name))
    assert course.current_version is not None  # a course is loaded with its version
    missing = missing_prerequisites(user.id, course.current_version)
    if missing:
        if by is None or by.id == user.id:
            raise LearningError(_("You must first complete: %(courses)s.",
                                  courses=", ".join(missing)))
        raise LearningError(_("%(name)s must first complete: %(courses)s.",
                              name=user.display_name, courses=", ".join(missing)))
    if scheme is None:
        scheme = default_scheme(user)
    enrolment = Enrolment(user_id=user.id, course_id=course.id, enrolled_by_id=by and by.id,
                          scheme_id=scheme and scheme.id)
    flush_or_refuse(enrolment, _l("%(name)s is already enrolled on this course.",
                                  name=user.display_name))
    audit.record("learning.enrolled", actor=by or user, object_type="enrolment",
                 object_id=enrolment.id, payload={"user_id": user.id, "course_id": course.id})
    return enrolment


def default_scheme(user: User) -> Scheme | None:
    """The scheme a learner trains with: the first one where they are a trainee, else any."""
    memberships = sorted(user.memberships, key=lambda m: (m.role != "trainee", m.id))
    return memberships[0].scheme if memberships else None


def progress_of(enrolment: Enrolment, version: CourseVersion | None = None) -> CourseProgress:
    """Progress of one enrolment; `version`, the course's current version, when the caller
    has loaded it already."""
    versions = {enrolment.course_id: version} if version else None
    return progress_for([enrolment], versions)[enrolment.id]


def mark_lesson_done(enrolment: Enrolment, lesson) -> None:
    already = db.session.scalar(select(LessonCompletion.id).where(
        LessonCompletion.enrolment_id == enrolment.id,
        LessonCompletion.lesson_hash == lesson.content_hash))
    if already is None:
        flush_or_refuse(LessonCompletion(enrolment_id=enrolment.id,
                                         lesson_hash=lesson.content_hash),
                        _l("This lesson was already marked as done."))
        audit.record("learning.lesson_done", actor=enrolment.user_id, object_type="enrolment",
                     object_id=enrolment.id, payload={"lesson_hash": lesson.content_hash})
        record_progress(enrolment)
    else:  # stored before (perhaps a moment ago, by a second click): nothing new to note
        record_completion_if_done(enrolment)


class CheckTally(NamedTuple):
    """One enrolment's attempts at one module's knowledge check."""
    used: int
    last_number: int  #: 0 before the first attempt
    passed: bool

    @property
    def next_number(self) -> int:
        return self.last_number + 1

    def left(self, version: CourseVersion) -> int | None:
        """Attempts left under the course's limit; None when there is no limit."""
        return None if version.max_attempts is None else max(0, version.max_attempts - self.used)


def check_tally(enrolment: Enrolment, module: Module) -> CheckTally:
    """Attempts used, the last attempt's number and whether one passed, in one query."""
    used, last, passed = db.session.execute(_tally_statement(), {
        "enrolment": enrolment.id, "check": module.check_hash}).one()
    return CheckTally(used, last, bool(passed))


@functools.cache  # built once: the check page asks on every view
def _tally_statement():
    return (select(func.count(), func.coalesce(func.max(CheckAttempt.number), 0),
                   func.coalesce(func.sum(case((CheckAttempt.passed.is_(True), 1), else_=0)), 0))
            .where(CheckAttempt.enrolment_id == bindparam("enrolment"),
                   CheckAttempt.check_hash == bindparam("check")))


def next_attempt_number(enrolment: Enrolment, module: Module) -> int:
    return check_tally(enrolment, module).next_number


def attempts_left(enrolment: Enrolment, module: Module, version: CourseVersion) -> int | None:
    return check_tally(enrolment, module).left(version)


NO_ATTEMPT_LEFT = _l("Every attempt at this knowledge check has been used. Speak to your "
                     "trainer.")


def attempt_refusal(enrolment: Enrolment, module: Module, version: CourseVersion) -> str | None:
    """Why `enrolment` may not sit `module`'s check again, or None."""
    return str(NO_ATTEMPT_LEFT) if attempts_left(enrolment, module, version) == 0 else None


def submission_refusal(enrolment: Enrolment, module: Module, version: CourseVersion,
                       number: int | None) -> str | None:
    """Why answers to attempt `number` may not be stored, or None."""
    tally = check_tally(enrolment, module)
    if tally.left(version) == 0:
        return str(NO_ATTEMPT_LEFT)
    return str(ALREADY_SUBMITTED) if number != tally.next_number else None


def reveals_answers(attempt: CheckAttempt, attempts_left: int | None) -> bool:
    """Correct answers are shown once passed or when no attempt is left, never to copy from
    into the next attempt."""
    return attempt.passed or attempts_left == 0


def is_pass(correct: int, total: int, version: CourseVersion) -> bool:
    return correct * 100 >= version.pass_mark * total


def submit_check(enrolment: Enrolment, module: Module, version: CourseVersion, number: int,
                 paper: list[PaperQuestion], answers: dict[int, set[int]]) -> CheckAttempt:
    """Score attempt `number` on `paper`: a question counts when exactly its correct options
    are chosen. The attempt number is unique per check and within the limit in the
    database, so simultaneous submissions store one attempt."""
    refusal = submission_refusal(enrolment, module, version, number)
    if refusal:
        raise LearningError(refusal)
    questions = [item.question for item in paper]
    correct = sum(answers.get(q.id, set()) == q.correct_indices for q in questions)
    attempt = CheckAttempt(
        enrolment_id=enrolment.id, module_id=module.id, check_hash=module.check_hash,
        number=number, attempt_limit=version.max_attempts, correct=correct,
        total=len(questions), passed=is_pass(correct, len(questions), version),
        answers={str(q.id): sorted(answers.get(q.id, set())) for q in questions},
        paper=as_stored(paper),
    )
    flush_or_refuse(attempt, ALREADY_SUBMITTED)
    audit.record("learning.check_submitted", actor=enrolment.user_id, object_type="enrolment",
                 object_id=enrolment.id, payload={"attempt_id": attempt.id,
                                                  "module_id": module.id, "passed": attempt.passed})
    record_progress(enrolment)
    return attempt


def record_progress(enrolment: Enrolment) -> None:
    """After a lesson done or a check taken is stored (and audited): note when the learner
    started (kept on the enrolment, so the training pipeline counts without reading the
    progress tables), then complete the course if everything is done."""
    if enrolment.started_at is None:
        enrolment.started_at = clock.utcnow()
    record_completion_if_done(enrolment)


def record_completion_if_done(enrolment: Enrolment) -> bool:
    """Mark the enrolment complete (with the version studied) once everything is done."""
    if enrolment.completed_at is not None:
        return False
    # Lock the enrolment (PostgreSQL; SQLite writers are serialised anyway), so that when a
    # learner's last two steps are stored at once, the later one sees the earlier and the
    # course is not left incomplete. FOR NO KEY UPDATE: the step just inserted holds a key
    # share on this row (its foreign key), and a plain FOR UPDATE would deadlock with the
    # other step's.
    db.session.execute(select(Enrolment.id).where(Enrolment.id == enrolment.id)
                       .with_for_update(key_share=True))
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
