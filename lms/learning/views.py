"""Courses, lessons and knowledge checks for learners."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from lms import access
from lms.extensions import db
from lms.forms import EmptyForm
from lms.inputs.converters import whole_number
from lms.learning import services
from lms.learning.access import (
    can_preview,
    get_course_or_404,
    get_lesson_or_404,
    get_module_or_404,
)
from lms.learning.models import LEVEL_LABELS, Course, CourseVersion, Enrolment, Module
from lms.learning.services import LearningError
from lms.learning.sessions import upcoming_sessions_for

bp = Blueprint("learning", __name__)
#: Courses in the order of the training pathway (foundation first, trainer last).
PATHWAY_ORDER = case({level: n for n, level in enumerate(LEVEL_LABELS)},
                     value=CourseVersion.level, else_=len(LEVEL_LABELS))


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
    course, version = get_course_or_404(slug)
    enrolment = services.find_enrolment(current_user.id, course.id)
    progress = services.progress_of(enrolment) if enrolment else None
    return render_template(
        "learning/course.html", course=course, version=version, enrolment=enrolment,
        progress=progress, modules=_modules_with_lessons(version), button=EmptyForm(),
        missing=[] if enrolment else services.missing_prerequisites(current_user.id, version),
        sessions=upcoming_sessions_for(current_user, course_id=course.id) if version.live_required
        else [],
    )


@bp.route("/courses/<slug>/enrol", methods=["POST"])
@access.signed_in
def enrol(slug):
    course, _version = get_course_or_404(slug)
    if EmptyForm().validate_on_submit():
        try:
            services.enrol(current_user, course)
        except LearningError as refusal:
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash("You are enrolled. Start with the first lesson below.", "success")
    return redirect(url_for("learning.course", slug=slug))


@bp.route("/courses/<slug>/modules/<module_slug>")
@access.signed_in
def module(slug, module_slug):
    _course, version = get_course_or_404(slug)
    found = get_module_or_404(version, module_slug)
    first = found.lessons[0]
    return redirect(url_for("learning.lesson", slug=slug, module_slug=module_slug,
                            lesson_slug=first.slug))


def _enrolment_or_redirect(course):
    """The learner's enrolment; None for staff previewing; a redirect for anyone else."""
    enrolment = services.find_enrolment(current_user.id, course.id)
    if enrolment is None and not can_preview(current_user):
        flash("Enrol on the course to open its lessons.", "info")
        return None, redirect(url_for("learning.course", slug=course.slug))
    return enrolment, None


@bp.route("/courses/<slug>/lessons/<module_slug>/<lesson_slug>")
@access.signed_in
def lesson(slug, module_slug, lesson_slug):
    course, version = get_course_or_404(slug)
    found_module = get_module_or_404(version, module_slug)
    found_lesson = get_lesson_or_404(found_module, lesson_slug)
    enrolment, refusal = _enrolment_or_redirect(course)
    if refusal:
        return refusal
    progress = services.progress_of(enrolment) if enrolment else None
    sequence = _sequence(progress.modules if progress else _modules_with_lessons(version))
    position = next(i for i, step in enumerate(sequence) if step[2] == found_lesson.id)
    return render_template(
        "learning/lesson.html", course=course, version=version, module=found_module,
        lesson=found_lesson, progress=progress, enrolment=enrolment, button=EmptyForm(),
        previous=sequence[position - 1] if position > 0 else None,
        next=sequence[position + 1] if position + 1 < len(sequence) else None,
        done=progress is not None and any(
            ref.done for m in progress.modules for ref in m.lessons if ref.id == found_lesson.id),
    )


def _modules_with_lessons(version):
    return db.session.scalars(select(Module).where(Module.version_id == version.id)
                              .order_by(Module.order)
                              .options(selectinload(Module.lessons))).all()


def _sequence(modules):
    """Every step of the course in order: ("lesson", module slug, lesson id, lesson slug,
    title) and ("check", module slug, None, None, title)."""
    steps = []
    for m in modules:
        steps += [("lesson", m.slug, ref.id, ref.slug, ref.title) for ref in m.lessons]
        steps.append(("check", m.slug, None, None, f"Knowledge check: {m.title}"))
    return steps


@bp.route("/courses/<slug>/lessons/<module_slug>/<lesson_slug>/done", methods=["POST"])
@access.signed_in
def lesson_done(slug, module_slug, lesson_slug):
    course, version = get_course_or_404(slug)
    found_module = get_module_or_404(version, module_slug)
    found_lesson = get_lesson_or_404(found_module, lesson_slug)
    enrolment = services.find_enrolment(current_user.id, course.id)
    if enrolment is None:
        flash("Enrol on the course to record your progress.", "info")
        return redirect(url_for("learning.course", slug=slug))
    if EmptyForm().validate_on_submit():
        services.mark_lesson_done(enrolment, found_lesson)
        db.session.commit()
    target = request.form.get("then")
    if target == "next":
        return _go_to_next(slug, version, enrolment, found_lesson.id)
    return redirect(url_for("learning.lesson", slug=slug, module_slug=module_slug,
                            lesson_slug=lesson_slug))


def _go_to_next(slug, version, enrolment, lesson_id):
    sequence = _sequence(services.progress_of(enrolment).modules)
    position = next(i for i, step in enumerate(sequence) if step[2] == lesson_id)
    kind, module_slug, _id, lesson_slug, _title = sequence[position + 1]
    if kind == "check":
        return redirect(url_for("learning.check", slug=slug, module_slug=module_slug))
    return redirect(url_for("learning.lesson", slug=slug, module_slug=module_slug,
                            lesson_slug=lesson_slug))


@bp.route("/courses/<slug>/checks/<module_slug>", methods=["GET", "POST"])
@access.signed_in
def check(slug, module_slug):
    course, version = get_course_or_404(slug)
    found_module = get_module_or_404(version, module_slug, questions=True)
    enrolment, refusal = _enrolment_or_redirect(course)
    if refusal:
        return refusal
    chosen, errors, attempt = {}, {}, None
    if request.method == "POST" and enrolment is not None and EmptyForm().validate_on_submit():
        chosen, errors = _read_answers(found_module)
        if not errors:
            try:
                attempt = services.submit_check(enrolment, found_module, version, chosen)
            except LearningError as refusal_message:
                flash(str(refusal_message), "error")
            else:
                db.session.commit()
    return render_template(
        "learning/check.html", course=course, version=version, module=found_module,
        enrolment=enrolment, chosen=chosen, errors=errors, attempt=attempt, button=EmptyForm(),
        attempts_left=services.attempts_left(enrolment, found_module, version)
        if enrolment else None,
        passed_before=enrolment is not None and services.check_passed(enrolment, found_module),
    ), (400 if errors else 200)


def _read_answers(module):
    """{question id: chosen option indices} and {question id: error} for unanswered ones."""
    chosen, errors = {}, {}
    for question in module.questions:
        picked = set()
        for raw in request.form.getlist(f"q{question.id}"):
            index = whole_number(raw, len(question.options) - 1)
            if index is not None:
                picked.add(index)
        if question.kind == "single" and len(picked) > 1:
            picked = set()
        chosen[question.id] = picked
        if not picked:
            errors[question.id] = ("Choose one answer." if question.kind == "single"
                                   else "Choose at least one answer.")
    return chosen, errors


@bp.route("/courses/<slug>/print")
@access.signed_in
def print_course(slug):
    course, version = get_course_or_404(slug)
    modules = db.session.scalars(
        select(Module).where(Module.version_id == version.id).order_by(Module.order)
        .options(selectinload(Module.lessons), selectinload(Module.questions))
    ).all()
    return render_template("learning/print.html", course=course, version=version,
                           modules=modules)
