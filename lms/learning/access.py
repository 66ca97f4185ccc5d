"""Object-level access for learning: load a course, module or lesson or answer 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Lesson, Module
from lms.schemes.models import Role


def get_course_or_404(slug: str) -> tuple[Course, CourseVersion]:
    course = db.session.scalar(
        select(Course).where(Course.slug == slug).options(joinedload(Course.current_version))
    )
    if course is None or course.current_version is None:
        abort(404)
    return course, course.current_version


def get_module_or_404(version: CourseVersion, module_slug: str, *, questions=False) -> Module:
    query = select(Module).where(Module.version_id == version.id, Module.slug == module_slug)
    if questions:
        query = query.options(selectinload(Module.questions))
    return db.first_or_404(query)


def get_lesson_or_404(module: Module, lesson_slug: str) -> Lesson:
    return db.first_or_404(select(Lesson).where(Lesson.module_id == module.id,
                                                Lesson.slug == lesson_slug))


def can_preview(user) -> bool:
    """Trainers, leads and admins may read any course without enrolling."""
    return user.is_admin or user.has_role(Role.TRAINER, Role.LEAD, Role.SUPERVISOR)


def can_see_answer_key(user) -> bool:
    """Trainers, leads and admins keep the answer key and print papers; learners never."""
    return user.is_admin or user.has_role(Role.TRAINER, Role.LEAD)
