"""Object-level access for learning: load a course, module or lesson or answer 404."""

from __future__ import annotations

import functools

from flask import abort
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment, Lesson, Module
from lms.schemes.models import Role


@functools.cache
def _course_statement():
    """Built once: every course, lesson and check page starts here (lms.auth.services says
    why statements on such paths are)."""
    return (select(Course).where(Course.slug == bindparam("slug"))
            .options(joinedload(Course.current_version)))


@functools.cache
def _course_and_enrolment_statement():
    return (select(Course, Enrolment).outerjoin(Enrolment, and_(
        Enrolment.course_id == Course.id, Enrolment.user_id == bindparam("user_id")))
        .where(Course.slug == bindparam("slug"))
        .options(joinedload(Course.current_version)))


def get_course_for_learner_or_404(
        slug: str, user_id: int) -> tuple[Course, CourseVersion, Enrolment | None]:
    """The course, its current version and the person's enrolment on it (None if not
    enrolled), in one query: the course, lesson and check pages all start here."""
    row = db.session.execute(_course_and_enrolment_statement(),
                             {"slug": slug, "user_id": user_id}).first()
    if row is None or row.Course.current_version is None:
        abort(404)
    return row.Course, row.Course.current_version, row.Enrolment


def get_course_or_404(slug: str) -> tuple[Course, CourseVersion]:
    course = db.session.scalar(_course_statement(), {"slug": slug})
    if course is None or course.current_version is None:
        abort(404)
    return course, course.current_version


def get_module_or_404(version: CourseVersion, module_slug: str, *, questions=False) -> Module:
    module = db.session.execute(_module_statement(questions),
                                {"version": version.id, "module": module_slug}
                                ).unique().scalar_one_or_none()
    if module is None:
        abort(404)
    return module


@functools.cache
def _module_statement(questions: bool):
    """The module, and with `questions` its question bank joined in the same query (a
    handful of rows: one round trip instead of a second query for them)."""
    query = select(Module).where(Module.version_id == bindparam("version"),
                                 Module.slug == bindparam("module"))
    return query.options(joinedload(Module.questions)) if questions else query


def get_lesson_or_404(version: CourseVersion, module_slug: str,
                      lesson_slug: str) -> tuple[Module, Lesson]:
    """A lesson of the course version and its module, in one query."""
    row = db.session.execute(_lesson_statement(), {
        "version": version.id, "module": module_slug, "lesson": lesson_slug}).first()
    if row is None:
        abort(404)
    return row.Module, row.Lesson


@functools.cache
def _lesson_statement():
    return (select(Module, Lesson).join(Lesson, Lesson.module_id == Module.id)
            .where(Module.version_id == bindparam("version"),
                   Module.slug == bindparam("module"), Lesson.slug == bindparam("lesson")))


def can_preview(user) -> bool:
    """Trainers, leads and admins may read any course without enrolling."""
    return user.is_admin or user.has_role(Role.TRAINER, Role.LEAD, Role.SUPERVISOR)


def can_see_answer_key(user) -> bool:
    """Trainers, leads and admins keep the answer key and print papers; learners never."""
    return user.is_admin or user.has_role(Role.TRAINER, Role.LEAD)
