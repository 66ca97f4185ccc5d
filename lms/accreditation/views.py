"""My pathway, attestations, applying and nominating, and the standards page."""

import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, load_only

from lms import access, clock
from lms.accreditation import applications, insurance, observations, standing
from lms.accreditation.attestations import set_attestations
from lms.accreditation.evidence import gather
from lms.accreditation.forms import EvidenceFileForm, InsuranceForm
from lms.accreditation.models import (
    AccreditationRecord,
    Application,
    StandardVersion,
)
from lms.accreditation.refusals import AccreditationError
from lms.accreditation.standard_versions import standards_text_shown
from lms.accreditation.standards import load_standards, local_level_name
from lms.auth.models import User
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.i18n import locale_name
from lms.people.services import can_manage_person, get_person_or_404

bp = Blueprint("pathway", __name__, url_prefix="/accreditation")


def _render_pathway(person, *, own: bool, insurance_form=None):
    standards = load_standards()
    records = db.session.scalars(_records_statement(), {"person": person.id}).all()
    applied = db.session.scalars(_applications_statement(), {"person": person.id}).all()
    evidence = gather(person.id)  # the statements agreed come with it
    evaluations = standing.pathway(person, standards, evidence)
    return render_template(
        "accreditation/pathway.html", person=person, own=own, records=records,
        evaluations=evaluations, standards=standards,
        applications=applied, agreed=evidence.attestations, button=EmptyForm(),
        observed=observations.observations_of(person.id),
        where_to_act=_where_to_act(evaluations, own),
        insured=(insured := insurance.current_policy(person.id)),
        insurance_files=insurance.documents(insured),
        # the forms only the holder sees, made only when shown
        file_form=EvidenceFileForm(formdata=None) if own and insured else None,
        insurance_form=insurance_form or (InsuranceForm(formdata=None) if own else None),
        pending={a.level_key for a in applied if a.status == "submitted"},
        held={r.level_key for r in records if r.valid})


# The pathway's own statements, built once (composing one costs about what running it does).

@functools.cache
def _records_statement():
    """What the list shows of each record: not the decision each keeps (the evaluation and
    the evidence summary it rested on, read as JSON)."""
    return (select(AccreditationRecord)
            .options(load_only(AccreditationRecord.public_id, AccreditationRecord.level_key,
                               AccreditationRecord.level_name, AccreditationRecord.status,
                               AccreditationRecord.expires_on))
            .where(AccreditationRecord.holder_id == bindparam("person"))
            .order_by(AccreditationRecord.issued_on.desc()))


@functools.cache
def _applications_statement():
    """What the list shows, with the level names of the version each was made under
    joined: not each application's frozen evidence, nor each version's whole standards
    text, which a lazy load of the version read for every version applied under."""
    return (select(Application).where(Application.applicant_id == bindparam("person"))
            .options(load_only(Application.level_key, Application.standard_version_id,
                               Application.status, Application.submitted_at,
                               Application.reasons),
                     joinedload(Application.standard_version).load_only(StandardVersion.levels))
            .order_by(Application.submitted_at.desc()))


def _where_to_act(evaluations, own: bool) -> dict[tuple[str, ...], Markup]:
    """Each requirement's "Where to act" cell by its kinds, for the template to look up
    (a dictionary lookup on each row, where a call from the template cost five times it)."""
    language, root = locale_name(), request.script_root
    return {kinds: _where_to_act_in(own, language, root, kinds)
            for kinds in {result.kinds for ev in evaluations for result in ev.results}}


@functools.lru_cache(maxsize=256)
def _where_to_act_in(own: bool, _language: str, _script_root: str,
                     kinds: tuple[str, ...]) -> Markup:
    """The "Where to act" cell for a requirement of `kinds` (its own and its alternatives'):
    for the person themselves, a link to each page where they act (or what to do, where no
    page is); for their lead or assessor, words about them. The same for every page in a
    language and under a script root, so made once for each."""
    if not own:
        cells = [escape(WHERE_TO_ACT[kind][2]) for kind in kinds if kind in WHERE_TO_ACT]
    else:
        cells = [Markup('<a href="%s">%s</a>') % (url_for(page), words) if page
                 else escape(words)
                 for page, words, _theirs in (WHERE_TO_ACT[kind] for kind in kinds
                                              if kind in WHERE_TO_ACT)]
    return Markup("<br>").join(cells)


#: Requirement kind -> (endpoint, words for the person, words for their lead or assessor):
#: where the person acts on it. The lead's view speaks of "them", never "you".
WHERE_TO_ACT = {
    "course_completed": ("learning.courses.catalogue", _l("Courses"), _l("Courses")),
    "practice_records": ("practice.records.index", _l("Practice log"),
                         _l("Their practice log")),
    "observations": (None, _l("Ask your supervisor or an assessor to observe you"),
                     _l("A supervisor or an assessor observes them")),
    "supervision_within": ("practice.supervision.index", _l("Supervision"),
                           _l("Their supervision sessions")),
    "supervision_caseload": ("practice.supervision.index", _l("Supervision"),
                             _l("Their supervision sessions")),
    "cpd_hours": ("practice.cpd.index", _l("CPD log"), _l("Their CPD log")),
    "attestation": ("accreditation.pathway.pathway", _l("Statements below"),
                    _l("They agree to the statements on their own pathway page")),
    "insurance_held": ("accreditation.pathway.pathway", _l("Insurance below"),
                       _l("Insurance below")),
}


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
    if EmptyForm().validate_on_submit():
        try:
            set_attestations(current_user, set(request.form.getlist("attestation")))
        except AccreditationError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("Your statements are saved."), "success")
    return redirect(url_for("accreditation.pathway.pathway"))


@bp.route("/insurance", methods=["POST"])
@access.signed_in
def record_insurance():
    form = InsuranceForm()
    if form.validate_on_submit():
        try:
            insurance.record_insurance(current_user, insurer=form.insurer.data,
                                       policy_number=form.policy_number.data,
                                       expires_on=form.expires_on.data,
                                       today=clock.today())
        except insurance.InsuranceError as problem:
            db.session.rollback()
            form.expires_on.errors.append(str(problem))
        else:
            db.session.commit()
            flash(_("Your insurance is recorded."), "success")
            return redirect(url_for("accreditation.pathway.pathway"))
    return _render_pathway(current_user, own=True, insurance_form=form), 422


@bp.route("/apply/<level_key>", methods=["POST"])
@access.signed_in
def apply(level_key):
    if EmptyForm().validate_on_submit():
        try:
            applications.apply(current_user, level_key)
        except AccreditationError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("Application sent. An assessor will decide it; you will be notified."),
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
            applications.apply(person, level_key, nominated_by=current_user)
        except AccreditationError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("%(name)s has been nominated.", name=person.display_name), "success")
    return redirect(url_for("accreditation.pathway.pathway_of", user_id=person.id))


@bp.route("/standards")
@access.signed_in
def standards():
    """The standards now in force and every earlier version, with their dates; for
    administrators, how many decisions were made under each version."""
    current = load_standards()
    versions = db.session.scalars(select(StandardVersion)
                                  .order_by(StandardVersion.loaded_at.desc())).all()
    decisions = {}
    if current_user.is_admin:
        decisions = dict(db.session.execute(
            select(AccreditationRecord.standard_version_id, func.count())
            .group_by(AccreditationRecord.standard_version_id)).all())
    return render_template("accreditation/standards.html", versions=versions,
                           current_hash=current.content_hash,
                           current=standards_text_shown(current), decisions=decisions,
                           local_level_name=local_level_name)
