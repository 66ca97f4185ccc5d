"""Load the course catalogue into the database. Idempotent: an unchanged course is left
alone; a changed one gets a new version and becomes current. Functions flush, never commit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.learning.content import read_catalogue
from lms.learning.content_specs import CourseSpec, ModuleSpec
from lms.learning.models import Course, CourseVersion, Lesson, Module, Question
from lms.learning.rendering import render_lesson


def lesson_path(course_slug: str, module_slug: str, lesson_slug: str) -> str:
    """The address of a lesson page (the route in learning.views has the same shape)."""
    return f"/courses/{course_slug}/lessons/{module_slug}/{lesson_slug}"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def load_catalogue(specs: list[CourseSpec]) -> LoadReport:
    report = LoadReport()
    existing = {
        c.slug: c
        for c in db.session.scalars(
            select(Course).options(selectinload(Course.current_version))
        )
    }
    for spec in specs:
        course = existing.get(spec.slug)
        if course is None:
            course = Course(slug=spec.slug)
            db.session.add(course)
            report.created.append(spec.slug)
        elif course.current_version and course.current_version.content_hash == spec.content_hash:
            report.unchanged.append(spec.slug)
            continue
        else:
            report.updated.append(spec.slug)
        _add_version(course, spec)
    db.session.flush()
    return report


def _add_version(course: Course, spec: CourseSpec) -> None:
    previous = db.session.scalar(
        select(CourseVersion).where(
            CourseVersion.course_id == course.id, CourseVersion.content_hash == spec.content_hash
        )
    ) if course.id else None
    if previous is not None:  # the files went back to an earlier state: reuse that version
        course.current_version = previous
        return
    last_number = max((v.number for v in _versions(course)), default=0)
    version = CourseVersion(
        course=course, number=last_number + 1, content_hash=spec.content_hash,
        title=spec.title, summary=spec.summary, pathway_stage=spec.pathway_stage,
        prerequisites=list(spec.prerequisites), estimated_hours=spec.estimated_hours,
        pass_mark=spec.pass_mark, max_attempts=spec.max_attempts,
        live_required=spec.live_required, live_hours=spec.live_hours,
        welsh=spec.welsh, title_cy=spec.cy.title if spec.cy else None,
        summary_cy=spec.cy.summary if spec.cy else None,
        skills_practice=spec.skills_practice.as_stored() if spec.skills_practice else None,
        modules=[_module(spec, m) for m in spec.modules],
    )
    db.session.add(version)
    db.session.flush()
    course.current_version = version


def _versions(course: Course) -> list[CourseVersion]:
    if course.id is None:
        return []
    return list(db.session.scalars(select(CourseVersion).where(
        CourseVersion.course_id == course.id)))


def _scoped(course_slug: str, module_slug: str, check_hash: str) -> str:
    """A module's check identity: the same questions in two modules are two checks."""
    return hashlib.sha256(f"{course_slug}/{module_slug}/{check_hash}".encode()).hexdigest()


def _module(course: CourseSpec, spec: ModuleSpec) -> Module:
    def resolve(course_slug, module_file, anchor):
        target_course = course_slug or course.slug
        module_slug = module_file.split("-", 1)[1]
        return lesson_path(target_course, module_slug, anchor) if anchor else (
            f"/courses/{target_course}/modules/{module_slug}")

    return Module(
        slug=spec.slug, order=spec.order, title=spec.title, outcomes=list(spec.outcomes),
        check_hash=_scoped(course.slug, spec.slug, spec.check_hash),
        questions_per_attempt=spec.questions_per_attempt,
        title_cy=spec.cy_title, outcomes_cy=list(spec.cy_outcomes) if spec.cy_outcomes else None,
        lessons=[
            Lesson(slug=lesson.slug, order=lesson.order, title=lesson.title,
                   body_html=render_lesson(lesson.body, resolve),
                   content_hash=lesson.content_hash,
                   title_cy=lesson.cy.title if lesson.cy else None,
                   body_html_cy=render_lesson(lesson.cy.body, resolve) if lesson.cy else None)
            for lesson in spec.lessons
        ],
        questions=[
            Question(order=n, prompt=q.prompt, kind=q.type, explanation=q.explanation,
                     options=[{"text": o.text, "correct": o.correct} for o in q.options],
                     prompt_cy=q.cy.prompt if q.cy else None,
                     options_cy=list(q.cy.options) if q.cy else None,
                     explanation_cy=q.cy.explanation if q.cy else None)
            for n, q in enumerate(spec.questions, start=1)
        ],
    )


def load_from(root) -> tuple[LoadReport | None, list]:
    """Read and load the catalogue under `root`. Nothing is loaded if any file has a problem,
    so the database never holds half a catalogue."""
    courses, problems = read_catalogue(root)
    if problems:
        return None, problems
    return load_catalogue(courses), []
