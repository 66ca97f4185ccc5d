"""Courses, lessons and knowledge checks for learners."""

from typing import NamedTuple

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from lms import access
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.learning import languages, services
from lms.learning.access import (
    can_preview,
    can_see_answer_key,
    get_course_for_learner_or_404,
    get_course_or_404,
    get_lesson_or_404,
    get_module_or_404,
)
from lms.learning.forms import KnowledgeCheckForm
from lms.learning.loader import lesson_path
from lms.learning.models import PATHWAY_STAGE_LABELS, Course, CourseVersion, Enrolment, Module
from lms.learning.occupational_standards import course_mapping
from lms.learning.outline_html import outline_html
from lms.learning.papers import attempt_paper, stored_paper
from lms.learning.progress import outlines
from lms.learning.services import LearningError
from lms.learning.sessions import upcoming_sessions_for
from lms.yaml_files import default_courses_path

bp = Blueprint("courses", __name__)
languages.register(bp)  # shown(), shown_option(): content in the learner's language
#: Courses in the order of the training pathway (foundation first, trainer last).
PATHWAY_ORDER = case({key: n for n, key in enumerate(PATHWAY_STAGE_LABELS)},
                     value=CourseVersion.pathway_stage, else_=len(PATHWAY_STAGE_LABELS))


@bp.route("/courses/")
@access.signed_in
def catalogue():
    rows = db.session.execute(
        select(Course, CourseVersion)
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)
        .order_by(PATHWAY_ORDER, CourseVersion.title)
    ).all()
    enrolled = {e.course_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.user_id == current_user.id))}
    titles = {course.slug: version.title for course, version in rows}
    completed = services.completed_course_slugs(current_user.id)
    return render_template("learning/catalogue.html", rows=rows, enrolled=enrolled,
                           titles=titles, completed=completed)


@bp.route("/courses/<slug>")
@access.signed_in
def course(slug):
    course, version, enrolment = get_course_for_learner_or_404(slug, current_user.id)
    progress = services.progress_of(enrolment, version) if enrolment else None
    modules = progress.modules if progress else outlines([version]).get(version.id, [])
    standards = course_mapping(default_courses_path(), course.slug)
    answer_key = can_see_answer_key(current_user)
    return render_template(
        "learning/course.html", course=course, version=version, enrolment=enrolment,
        progress=progress, button=EmptyForm(), modules=modules,
        outline=outline_html(course.slug, version, modules, standards, answer_key=answer_key),
        lessons_shown=enrolment is not None or can_preview(current_user),
        answer_key=answer_key,
        missing=[] if enrolment else services.missing_prerequisites(current_user.id, version),
        sessions=upcoming_sessions_for(current_user, course_id=course.id) if version.live_required
        else [],
        standards=standards,
    )


@bp.route("/courses/<slug>/enrol", methods=["POST"])
@access.signed_in
def enrol(slug):
    course, _version = get_course_or_404(slug)
    if EmptyForm().validate_on_submit():
        try:
            services.enrol(current_user, course)
        except LearningError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("You are enrolled. Start with the first lesson below."), "success")
    return redirect(url_for("learning.courses.course", slug=slug))


@bp.route("/courses/<slug>/modules/<module_slug>")
@access.signed_in
def module(slug, module_slug):
    _course, version = get_course_or_404(slug)
    found = get_module_or_404(version, module_slug)
    first = found.lessons[0]
    return redirect(url_for("learning.courses.lesson", slug=slug, module_slug=module_slug,
                            lesson_slug=first.slug))


def _enrolment_or_redirect(course, enrolment):
    """The learner's enrolment; None for staff previewing; a redirect for anyone else."""
    if enrolment is None and not can_preview(current_user):
        flash(_("Enrol on the course to open its lessons."), "info")
        return None, redirect(url_for("learning.courses.course", slug=course.slug))
    return enrolment, None


@bp.app_template_global()
def lesson_url(course_slug: str, module_slug: str, lesson_slug: str) -> str:
    """url_for("learning.courses.lesson", ...) for pages listing every lesson of a course:
    the same address (a test holds them equal; slugs are [a-z0-9-] only) without building
    it through the routing map each time."""
    return request.script_root + lesson_path(course_slug, module_slug, lesson_slug)


@bp.route("/courses/<slug>/lessons/<module_slug>/<lesson_slug>")
@access.signed_in
def lesson(slug, module_slug, lesson_slug):
    course, version, enrolment = get_course_for_learner_or_404(slug, current_user.id)
    found_module, found_lesson = get_lesson_or_404(version, module_slug, lesson_slug)
    enrolment, refusal = _enrolment_or_redirect(course, enrolment)
    if refusal:
        return refusal
    progress = services.progress_of(enrolment, version) if enrolment else None
    sequence = _sequence(progress.modules if progress
                         else outlines([version]).get(version.id, []))
    position = next(i for i, step in enumerate(sequence) if step.lesson_id == found_lesson.id)
    return render_template(
        "learning/lesson.html", course=course, version=version, module=found_module,
        lesson=found_lesson, progress=progress, enrolment=enrolment, button=EmptyForm(),
        previous=sequence[position - 1] if position > 0 else None,
        next=sequence[position + 1] if position + 1 < len(sequence) else None,
        done=progress is not None and any(
            ref.done for m in progress.modules for ref in m.lessons if ref.id == found_lesson.id),
    )


class Step(NamedTuple):
    """One step of a course: a lesson, or a module's knowledge check (no lesson)."""
    kind: str  # "lesson" or "check"
    module_slug: str
    lesson_id: int | None
    lesson_slug: str | None
    title: str
    title_cy: str | None = None  # a lesson's Welsh title (see languages.shown)


def _sequence(modules) -> list[Step]:
    """Every step of the course in order."""
    steps = []
    for m in modules:
        steps += [Step("lesson", m.slug, ref.id, ref.slug, ref.title, ref.title_cy)
                  for ref in m.lessons]
        steps.append(Step("check", m.slug, None, None, _(
            "Knowledge check: %(module)s", module=str(languages.shown(m, "title")))))
    return steps


@bp.route("/courses/<slug>/lessons/<module_slug>/<lesson_slug>/done", methods=["POST"])
@access.signed_in
def lesson_done(slug, module_slug, lesson_slug):
    _course, version, enrolment = get_course_for_learner_or_404(slug, current_user.id)
    _module, found_lesson = get_lesson_or_404(version, module_slug, lesson_slug)
    if enrolment is None:
        flash(_("Enrol on the course to record your progress."), "info")
        return redirect(url_for("learning.courses.course", slug=slug))
    if EmptyForm().validate_on_submit():
        try:
            services.mark_lesson_done(enrolment, found_lesson)
        except LearningError:
            db.session.rollback()  # a simultaneous request recorded it: it is done
        else:
            db.session.commit()
    target = request.form.get("then")
    if target == "next":
        return _go_to_next(slug, version, enrolment, found_lesson.id)
    return redirect(url_for("learning.courses.lesson", slug=slug, module_slug=module_slug,
                            lesson_slug=lesson_slug))


def _go_to_next(slug, version, enrolment, lesson_id):
    sequence = _sequence(services.progress_of(enrolment, version).modules)
    position = next(i for i, step in enumerate(sequence) if step.lesson_id == lesson_id)
    following = sequence[position + 1]
    if following.kind == "check":
        return redirect(url_for("learning.courses.check", slug=slug,
                                module_slug=following.module_slug))
    return redirect(url_for("learning.courses.lesson", slug=slug,
                            module_slug=following.module_slug,
                            lesson_slug=following.lesson_slug))


@bp.route("/courses/<slug>/checks/<module_slug>", methods=["GET", "POST"])
@access.signed_in
def check(slug, module_slug):
    course, version, enrolment = get_course_for_learner_or_404(slug, current_user.id)
    found_module = get_module_or_404(version, module_slug, questions=True)
    enrolment, refusal = _enrolment_or_redirect(course, enrolment)
    if refusal:
        return refusal
    page = {"course": course, "version": version, "module": found_module,
            "enrolment": enrolment, "attempt": None, "form": None}
    if enrolment is None:  # staff previewing
        return render_template("learning/check.html", **page)
    tally = services.check_tally(enrolment, found_module)
    number = tally.next_number
    form = page["form"] = KnowledgeCheckForm.for_paper(
        attempt_paper(enrolment.id, found_module, number), number, found_module.check_hash)
    refusal = form.is_submitted() and services.submission_refusal(
        enrolment, found_module, version, form.attempt.data)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("learning.courses.check", slug=slug, module_slug=module_slug))
    if form.validate_on_submit():
        try:
            page["attempt"] = services.submit_check(enrolment, found_module, version,
                                                    form.attempt.data, form.paper,
                                                    form.answers())
        except LearningError as refusal_message:
            db.session.rollback()
            flash(str(refusal_message), "error")
            return redirect(url_for("learning.courses.check", slug=slug, module_slug=module_slug))
        db.session.commit()
        tally = services.check_tally(enrolment, found_module)  # with the attempt just made
    left = tally.left(version)
    attempt = page["attempt"]
    return render_template(
        "learning/check.html", **page, attempts_left=left,
        review=stored_paper(attempt, found_module) if attempt else None,
        revealed=attempt is not None and services.reveals_answers(attempt, left),
        passed_before=tally.passed,
    ), (400 if form.errors else 200)


@bp.route("/courses/<slug>/print")
@access.signed_in
def print_course(slug):
    course, version = get_course_or_404(slug)
    modules = db.session.scalars(
        select(Module).where(Module.version_id == version.id).order_by(Module.order)
        .options(selectinload(Module.lessons), selectinload(Module.questions))
    ).all()
    return render_template("learning/print.html", course=course, version=version,
                           modules=modules, answer_key=can_see_answer_key(current_user))
