"""Assessors: applications waiting for a decision, and deciding them."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from lms import access
from lms.accreditation.decisions import decide, decide_refusal, unmet_now
from lms.accreditation.forms import DecisionForm, DiscussionForm
from lms.accreditation.models import (
    Application,
    ApplicationStatus,
    evidence_word,
    status_label,
)
from lms.accreditation.refusals import AccreditationError
from lms.extensions import db
from lms.i18n import gettext as _

bp = Blueprint("decisions", __name__, url_prefix="/accreditation/applications")


@bp.route("/")
@access.assessor
def index():
    applications = db.session.scalars(
        select(Application).where(Application.status == ApplicationStatus.SUBMITTED)
        .order_by(Application.submitted_at)
        .options(selectinload(Application.applicant), selectinload(Application.nominated_by),
                 selectinload(Application.standard_version)).limit(500)).all()
    return render_template("accreditation/applications.html", applications=applications)


@bp.route("/<int:application_id>", methods=["GET", "POST"])
@access.assessor
def show(application_id):
    application = db.session.scalar(select(Application).where(
        Application.id == application_id).options(selectinload(Application.applicant)))
    if application is None:
        abort(404)
    form = DecisionForm()
    refusal = decide_refusal(current_user, application)
    unmet = unmet_now(application) if refusal is None else []
    if form.validate_on_submit():
        if refusal:
            abort(403)
        try:
            record = decide(
                application, current_user, form.outcome.data, form.reasons.data.strip(),
                discretion_reason=form.discretion_reason.data if form.discretion.data
                else None)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            flash(_("Another assessor decided this application first; their decision stands."),
                  "error")
            return redirect(url_for("accreditation.decisions.show", application_id=application_id))
        except AccreditationError as problem:
            db.session.rollback()
            form.form_errors.append(str(problem))
            return render_template("accreditation/application.html", application=application,
                                   form=form, refusal=refusal, unmet=unmet,
                                   discussion_form=DiscussionForm(formdata=None),
                           evidence_word=evidence_word), 422
        if record:
            flash(_("Approved: accreditation %(number)s issued.", number=record.public_id),
                  "success")
            return redirect(url_for("accreditation.records.show", public_id=record.public_id))
        flash(_("Decision saved: %(outcome)s.", outcome=status_label(form.outcome.data)),
              "success")
        return redirect(url_for("accreditation.decisions.index"))
    return render_template("accreditation/application.html", application=application,
                           form=form, refusal=refusal, unmet=unmet,
                           discussion_form=DiscussionForm(formdata=None),
                           evidence_word=evidence_word)
