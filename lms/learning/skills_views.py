"""Trainers record assessed skills practice (role-play or live observation): pass or not yet
per skill, with feedback. Learners see the outcome on the course page."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lms import access
from lms.extensions import db
from lms.i18n import gettext as _
from lms.learning import paper_results, skills
from lms.learning.access import get_course_or_404
from lms.learning.progress import progress_for
from lms.learning.services import LearningError
from lms.learning.skills_forms import SkillAssessmentForm
from lms.schemes.models import Role

bp = Blueprint("skills_practice", __name__, url_prefix="/courses")


@bp.route("/<slug>/skills-practice", methods=["GET", "POST"])
@access.role(Role.TRAINER, Role.LEAD)
def record(slug):
    course, version = get_course_or_404(slug)
    if not version.skills:
        abort(404)
    learners = paper_results.learners_for(current_user, course)
    titles = {s["key"]: s["title"] for s in version.skills}
    form = SkillAssessmentForm(learners, version.skills)
    if form.validate_on_submit():
        enrolment = next(e for e in learners if e.id == form.learner.data)
        try:
            assessment = skills.record_assessment(
                enrolment, version, skill_key=form.skill.data, result=form.result.data,
                method=form.method.data, feedback=form.feedback.data,
                assessed_on=form.assessed_on.data, by=current_user)
        except LearningError as refusal:
            db.session.rollback()
            form.learner.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("Saved: %(skill)s for %(name)s, %(result)s.",
                    skill=titles[assessment.skill_key], name=enrolment.user.display_name,
                    result=skills.RESULTS[assessment.result]), "success")
            return redirect(url_for("learning.skills_practice.record", slug=slug))
    progress = progress_for(learners)
    return render_template(
        "learning/skills_practice.html", course=course, version=version, form=form,
        learners=learners, progress=progress, titles=titles,
        recent=skills.recent_assessments([e.id for e in learners]),
        names={e.id: e.user.display_name for e in learners},
        results=skills.RESULTS, methods=skills.METHODS,
    ), (400 if form.errors else 200)
