"""Recording observed practice (supervisors and assessors)."""

from collections.abc import Sequence

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from lms import access
from lms.accreditation import observations
from lms.accreditation.forms import ObservationForm
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.practice.services import is_recognised_supervisor
from lms.schemes.models import Membership, Role

bp = Blueprint("observations", __name__, url_prefix="/accreditation/observations")


@bp.route("/")
@access.signed_in
def index():
    """The practitioners of the schemes the person supervises, to choose whom to observe."""
    scheme_ids = current_user.scheme_ids_with(Role.SUPERVISOR)
    people: Sequence[User] = []
    if scheme_ids and is_recognised_supervisor(current_user):
        people = db.session.scalars(
            select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.scheme_id.in_(scheme_ids), User.id != current_user.id,
                   User.active.is_(True))
            .order_by(User.display_name).limit(500)).unique().all()
    return render_template("accreditation/observations.html", people=people)


@bp.route("/new/<int:user_id>", methods=["GET", "POST"])
@access.signed_in
def new(user_id):
    practitioner = db.session.get(User, user_id)
    if practitioner is None:
        abort(404)
    refusal = observations.observer_refusal(current_user, practitioner)
    if refusal:
        abort(403, refusal)
    form = ObservationForm()
    if form.validate_on_submit():
        try:
            observations.record_observation(
                practitioner, current_user, observed_on=form.observed_on.data,
                mode=form.mode.data, stages=form.stages.data, outcome=form.outcome.data,
                feedback=form.feedback.data)
        except observations.ObservationError as problem:
            db.session.rollback()
            form.form_errors.append(str(problem))
        else:
            db.session.commit()
            flash(_("Observation of %(name)s recorded.", name=practitioner.display_name),
                  "success")
            return redirect(url_for("accreditation.observations.index"))
    return render_template("accreditation/observation_form.html", form=form,
                           practitioner=practitioner)
