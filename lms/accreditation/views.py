"""My pathway, attestations, applying and nominating."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from lms import access
from lms.accreditation import services
from lms.accreditation.models import AccreditationRecord, Application, Attestation
from lms.accreditation.standards import load_standards
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.forms import EmptyForm
from lms.people.services import can_manage_person, get_person_or_404

bp = Blueprint("pathway", __name__, url_prefix="/accreditation")


def _render_pathway(person, *, own: bool):
    standards = load_standards()
    records = db.session.scalars(select(AccreditationRecord).where(
        AccreditationRecord.holder_id == person.id)
        .order_by(AccreditationRecord.issued_on.desc())).all()
    applications = db.session.scalars(select(Application).where(
        Application.applicant_id == person.id).order_by(Application.submitted_at.desc())).all()
    agreed = set(db.session.scalars(select(Attestation.key).where(
        Attestation.user_id == person.id)))
    return render_template(
        "accreditation/pathway.html", person=person, own=own, records=records,
        evaluations=services.pathway(person, standards), standards=standards,
        applications=applications, agreed=agreed, button=EmptyForm(),
        pending={a.level_key for a in applications if a.status == "submitted"},
        held={r.level_key for r in records if r.valid})


@bp.route("/pathway")
@access.signed_in
def pathway():
    return _render_pathway(current_user, own=True)


@bp.route("/pathway/<int:user_id>")
@access.lead_or_assessor
def pathway_of(user_id):
    person = _person_for_staff(user_id)
    return _render_pathway(person, own=False)


def _person_for_staff(user_id):
    if current_user.is_admin or current_user.is_assessor:
        return db.get_or_404(User, user_id)
    return get_person_or_404(user_id, for_=current_user)


@bp.route("/attestations", methods=["POST"])
@access.signed_in
def attest():
    standards = load_standards()
    if EmptyForm().validate_on_submit():
        chosen = set(request.form.getlist("attestation")) & set(standards.attestations)
        existing = {a.key: a for a in db.session.scalars(select(Attestation).where(
            Attestation.user_id == current_user.id))}
        for key in chosen - set(existing):
            db.session.add(Attestation(user_id=current_user.id, key=key))
        for key in set(existing) - chosen:
            db.session.delete(existing[key])
        db.session.flush()
        audit.record("attestations.updated", actor=current_user, object_type="user",
                     object_id=current_user.id, payload={"agreed": sorted(chosen)})
        db.session.commit()
        flash("Your statements are saved.", "success")
    return redirect(url_for("accreditation.pathway.pathway"))


@bp.route("/apply/<level_key>", methods=["POST"])
@access.signed_in
def apply(level_key):
    if EmptyForm().validate_on_submit():
        try:
            services.apply(current_user, level_key)
        except services.AccreditationError as refusal:
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash("Application sent. An assessor will decide it; you will be notified.",
                  "success")
    return redirect(url_for("accreditation.pathway.pathway"))


@bp.route("/nominate/<int:user_id>/<level_key>", methods=["POST"])
@access.lead_or_assessor
def nominate(user_id, level_key):
    person = _person_for_staff(user_id)
    if not (current_user.is_admin or can_manage_person(current_user, person)):
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            services.apply(person, level_key, nominated_by=current_user)
        except services.AccreditationError as refusal:
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(f"{person.display_name} has been nominated.", "success")
    return redirect(url_for("accreditation.pathway.pathway_of", user_id=person.id))
