"""Supervisors: the queue of records to assess, and the assessment itself."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from lms import access
from lms.extensions import db
from lms.practice import services
from lms.practice.forms import AssessmentForm
from lms.practice.models import RATINGS, STAGES, PracticeRecord, RecordStatus
from lms.practice.views import get_record_or_404
from lms.privacy.validators import identifying_data_refusal
from lms.schemes.models import Role

bp = Blueprint("assess", __name__)
ALREADY_ASSESSED = ("Another supervisor assessed this record while you were working on it. "
                    "Their outcome has been kept; yours was not saved.")


@bp.route("/supervision/queue")
@access.role(Role.SUPERVISOR)
def queue():
    scheme_ids = current_user.scheme_ids_with(Role.SUPERVISOR)
    records = db.session.scalars(
        select(PracticeRecord)
        .where(PracticeRecord.status == RecordStatus.AWAITING_SIGN_OFF,
               PracticeRecord.scheme_id.in_(scheme_ids))
        .order_by(PracticeRecord.requested_at, PracticeRecord.id)
        .options(selectinload(PracticeRecord.author), selectinload(PracticeRecord.scheme))
    ).all()
    mine = [r for r in records if r.supervisor_id == current_user.id]
    others = [r for r in records if r.supervisor_id != current_user.id]
    return render_template("practice/queue.html", mine=mine, others=others)


@bp.route("/practice/<int:record_id>/assess", methods=["GET", "POST"])
@access.role(Role.SUPERVISOR)
def assess(record_id):
    record = get_record_or_404(record_id, for_=current_user)
    if not services.can_assess(current_user, record):
        flash(_why_not(record), "error")
        return redirect(url_for("practice.show", record_id=record.id))
    form = AssessmentForm(data={"version": record.version})
    ratings, rating_errors = _read_ratings(record)
    if form.validate_on_submit() and not rating_errors:
        if form.version.data != record.version:
            flash(ALREADY_ASSESSED, "error")
            return redirect(url_for("practice.show", record_id=record.id))
        try:
            services.assess(record, current_user, outcome=form.outcome.data, ratings=ratings,
                            feedback=(form.feedback.data or "").strip())
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            flash(ALREADY_ASSESSED, "error")
        else:
            flash(f"Record {record.case_code} {form.outcome.data}.", "success")
        return redirect(url_for("assess.queue"))
    return render_template(
        "practice/assess.html", record=record, form=form, stages=STAGES, ratings=RATINGS,
        chosen=ratings, rating_errors=rating_errors if request.method == "POST" else {},
        flag_sensitive=services.needs_sensitive_flag(record),
    ), 400 if request.method == "POST" else 200


def _read_ratings(record):
    """{stage: {"rating", "comment"}} for the stages the record evidences."""
    ratings, errors = {}, {}
    for stage in record.stages:
        rating = request.form.get(f"rating-{stage}", "")
        comment = request.form.get(f"comment-{stage}", "").strip()[:2000]
        if rating not in RATINGS:
            errors[stage] = "Choose a rating for this stage."
        elif refusal := identifying_data_refusal(comment, f"the comment on {STAGES[stage]}"):
            errors[stage] = refusal
        ratings[stage] = {"rating": rating, "comment": comment}
    return ratings, errors


def _why_not(record):
    if record.author_id == current_user.id:
        return "You cannot sign off your own practice."
    if record.co_facilitator_id == current_user.id:
        return "You co-facilitated this process, so another supervisor must assess it."
    if record.status != RecordStatus.AWAITING_SIGN_OFF:
        return f"This record is {record.status}; it is not waiting for an assessment."
    return "Only a recognised supervisor of this scheme can assess this record."
