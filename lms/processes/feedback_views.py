"""The participant's questionnaire: public, on a phone, by a one-time code. Nothing about
who answers is kept: no account, no code, no time finer than the day."""

from flask import Blueprint, current_app, redirect, render_template, url_for

from lms import access
from lms.extensions import db, limiter
from lms.i18n import gettext as _
from lms.processes import services
from lms.processes.forms import EnterCodeForm, FeedbackForm

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


def _limit():
    return current_app.config.get("FEEDBACK_RATE_LIMIT") or "10 per minute"


@bp.route("/", methods=["GET", "POST"])
@access.public
@limiter.limit(_limit, methods=["POST"])
def enter_code():
    form = EnterCodeForm()
    if form.validate_on_submit():
        if services.feedback_code(form.code.data) is not None:
            return redirect(url_for("processes.feedback.answer", code=form.code.data.strip()))
        form.code.errors.append(_("This code is not known or has been used. Check it, or ask "
                                  "your facilitator for a paper form."))
    return render_template("processes/feedback_code.html", form=form)


@bp.route("/<code>", methods=["GET", "POST"])
@access.public
@limiter.limit(_limit, methods=["POST"])
def answer(code):
    found = services.feedback_code(code[:40])
    if found is None:
        return render_template("processes/feedback_used.html"), 404
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            services.answer_feedback(
                found, satisfaction=int(form.satisfaction.data) if form.satisfaction.data
                else None, recommend=form.recommend.data or None,
                comment=form.comment.data or "")
        except services.ProcessError:
            db.session.rollback()
            return render_template("processes/feedback_used.html"), 404
        db.session.commit()
        return render_template("processes/feedback_thanks.html")
    return render_template("processes/feedback_answer.html", form=form)
