"""An accreditation record: its page, lifecycle actions, certificate and credential."""

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.accreditation import issuing, lifecycle
from lms.accreditation.forms import LegalNameForm, LifecycleForm
from lms.accreditation.legal_names import change_legal_name, legal_name_refusal
from lms.accreditation.models import AccreditationRecord, StatusChange
from lms.accreditation.refusals import AccreditationError
from lms.accreditation.signing_keys import SigningKeyError
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.i18n import ngettext
from lms.people.services import can_manage_person

bp = Blueprint("records", __name__, url_prefix="/accreditation/records")


def get_record_or_404(public_id: str, *, for_) -> AccreditationRecord:
    record = db.session.scalar(
        select(AccreditationRecord).where(AccreditationRecord.public_id == public_id)
        .options(selectinload(AccreditationRecord.holder),
                 selectinload(AccreditationRecord.history).selectinload(StatusChange.actor)))
    if record is None:
        abort(404)
    allowed = (record.holder_id == for_.id or for_.is_admin or for_.is_assessor
               or can_manage_person(for_, record.holder))
    if not allowed:
        abort(404)
    return record


@bp.route("/<public_id>")
@access.signed_in
def show(public_id):
    record = get_record_or_404(public_id, for_=current_user)
    return render_template("accreditation/record.html", record=record, form=LifecycleForm(),
                           actions=lifecycle.allowed_actions(record, current_user),
                           verify_url=issuing.verify_url(record),
                           credential_refusal=issuing.credential_refusal(record),
                           may_rename=legal_name_refusal(current_user,
                                                                  record.holder) is None)


#: What a lifecycle action did, as said to the person who did it.
DONE = {"withdraw": _l("Record withdrawn."), "return": _l("Record returned."),
        "suspend": _l("Record suspended."), "reinstate": _l("Record reinstated."),
        "revoke": _l("Record revoked."), "renew": _l("Record renewed.")}


@bp.route("/<public_id>/<action>", methods=["POST"])
@access.signed_in
def act(public_id, action):
    record = get_record_or_404(public_id, for_=current_user)
    if action not in lifecycle.TRANSITIONS:
        abort(404)
    form = LifecycleForm()
    if not form.validate_on_submit():
        flash(form.reason.errors[0] if form.reason.errors else _("Try again."), "error")
        return redirect(url_for("accreditation.records.show", public_id=public_id))
    try:
        note = lifecycle.act(record, action, actor=current_user, reason=form.reason.data)
    except AccreditationError as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(str(DONE[action]), "success")
        if note:
            flash(note, "error")
    return redirect(url_for("accreditation.records.show", public_id=public_id))


@bp.route("/<public_id>/legal-name", methods=["GET", "POST"])
@access.lead_or_assessor
def legal_name(public_id):
    """A legal name change, made by a lead or an administrator on evidence: every record
    of the holder shows the new name and valid ones are reissued."""
    record = get_record_or_404(public_id, for_=current_user)
    if refusal := legal_name_refusal(current_user, record.holder):
        abort(403, refusal)
    form = LegalNameForm()
    if form.validate_on_submit():
        try:
            count = change_legal_name(record.holder, form.legal_name.data,
                                               actor=current_user, reason=form.reason.data)
        except AccreditationError as problem:
            db.session.rollback()
            form.form_errors.append(str(problem))
        else:
            db.session.commit()
            flash(ngettext("Legal name changed on %(num)d record.",
                           "Legal name changed on %(num)d records.", count), "success")
            return redirect(url_for("accreditation.records.show", public_id=public_id))
    return render_template("accreditation/legal_name.html", record=record, form=form)


def _provable(public_id: str, *, holder_only: bool):
    """The record to issue proof for, or (record, a redirect saying why not). Credentials
    go only to their holder (or an admin); certificates to whoever may see the record."""
    record = get_record_or_404(public_id, for_=current_user)
    if holder_only and record.holder_id != current_user.id and not current_user.is_admin:
        abort(404)
    refusal = issuing.credential_refusal(record)
    if refusal:
        flash(refusal, "error")
        return record, redirect(url_for("accreditation.records.show", public_id=public_id))
    return record, None


@bp.route("/<public_id>/certificate.pdf")
@access.signed_in
def certificate(public_id):
    record, refused = _provable(public_id, holder_only=False)
    if refused:
        return refused
    return Response(issuing.certificate_pdf(record), mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=accreditation-{public_id}.pdf"})


@bp.route("/<public_id>/credential.jwt")
@access.signed_in
def credential(public_id):
    record, refused = _provable(public_id, holder_only=True)
    if refused:
        return refused
    try:
        token = issuing.signed_credential(record)
    except SigningKeyError as problem:
        return _cannot_sign(public_id, problem)
    db.session.commit()  # a first signing key or status list index, if this created one
    return Response(token, mimetype="application/jwt", headers={
        "Content-Disposition": f"attachment; filename=accreditation-{public_id}.jwt"})


@bp.route("/<public_id>/credential.json")
@access.signed_in
def credential_json(public_id):
    """The same credential with an embedded Data Integrity proof (for wallets)."""
    record, refused = _provable(public_id, holder_only=True)
    if refused:
        return refused
    try:
        document = issuing.credential_with_proof(record)
    except SigningKeyError as problem:
        return _cannot_sign(public_id, problem)
    db.session.commit()  # a first signing key or status list index, if this created one
    return Response(json.dumps(document, ensure_ascii=False, indent=2),
                    mimetype="application/ld+json", headers={
                        "Content-Disposition":
                        f"attachment; filename=accreditation-{public_id}.json"})


def _cannot_sign(public_id: str, problem: Exception):
    """The signing key is unusable (e.g. the secret key changed): say so, log why."""
    db.session.rollback()
    current_app.logger.error("credential signing failed: %s", problem)
    flash(_("Credentials cannot be signed at the moment; an administrator needs to rotate "
            "the signing key. The certificate and the public check still work."), "error")
    return redirect(url_for("accreditation.records.show", public_id=public_id))
