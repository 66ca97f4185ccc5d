"""Knowledge checks on paper, for learners without devices: printable papers, the staff's
answer key, and trainers entering the results."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.extensions import db
from lms.i18n import gettext as _
from lms.learning import paper_results
from lms.learning.access import get_course_or_404, get_module_or_404
from lms.learning.forms import PaperResultForm
from lms.learning.models import Module
from lms.learning.papers import printed_paper
from lms.learning.services import LearningError
from lms.schemes.models import Role

bp = Blueprint("paper_checks", __name__, url_prefix="/courses")
MAX_PAPER_SET = 999


@bp.route("/<slug>/answer-key")
@access.role(Role.TRAINER, Role.LEAD)
def answer_key(slug):
    course, version = get_course_or_404(slug)
    modules = db.session.scalars(
        select(Module).where(Module.version_id == version.id).order_by(Module.order)
        .options(selectinload(Module.questions))).all()
    return render_template("learning/answer_key.html", course=course, version=version,
                           modules=modules)


@bp.route("/<slug>/checks/<module_slug>/paper")
@access.role(Role.TRAINER, Role.LEAD)
def paper(slug, module_slug):
    course, version = get_course_or_404(slug)
    found_module = get_module_or_404(version, module_slug, questions=True)
    set_number = request.args.get("set", 1, type=int)
    set_number = min(max(set_number, 1), MAX_PAPER_SET)
    return render_template(
        "learning/paper.html", course=course, version=version, module=found_module,
        set_number=set_number, paper=printed_paper(found_module, set_number),
        with_answers=request.args.get("answers") == "1")


@bp.route("/<slug>/checks/<module_slug>/paper-results", methods=["GET", "POST"])
@access.role(Role.TRAINER, Role.LEAD)
def paper_results_entry(slug, module_slug):
    course, version = get_course_or_404(slug)
    found_module = get_module_or_404(version, module_slug, questions=True)
    learners = paper_results.learners_for(current_user, course)
    form = PaperResultForm(learners, paper_results.questions_per_paper(found_module))
    if form.validate_on_submit():
        enrolment = next(e for e in learners if e.id == form.learner.data)
        try:
            attempt = paper_results.record_paper_result(
                enrolment, found_module, version, correct=form.correct.data,
                taken_on=form.taken_on.data, by=current_user)
        except LearningError as refusal:
            db.session.rollback()
            form.learner.errors.append(str(refusal))
        else:
            db.session.commit()
            message = (_("Result saved for %(name)s: %(correct)d out of %(total)d, passed.",
                         name=enrolment.user.display_name, correct=attempt.correct,
                         total=attempt.total) if attempt.passed else
                       _("Result saved for %(name)s: %(correct)d out of %(total)d, not passed.",
                         name=enrolment.user.display_name, correct=attempt.correct,
                         total=attempt.total))
            flash(message, "success")
            return redirect(url_for("learning.paper_checks.paper_results_entry", slug=slug,
                                    module_slug=module_slug))
    results = paper_results.recent_paper_results(found_module, [e.id for e in learners])
    names = {e.id: e.user.display_name for e in learners}
    return render_template(
        "learning/paper_results.html", course=course, version=version, module=found_module,
        form=form, results=results, names=names,
    ), (400 if form.errors else 200)
