"""A practitioner's practice log: record, edit while a draft, submit, ask for sign-off."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.extensions import db
from lms.forms import EmptyForm
from lms.practice import services
from lms.practice.forms import PracticeRecordForm, RequestSignOffForm
from lms.practice.models import (
    HARM_CATEGORIES,
    PRACTITIONER_ROLES,
    PROCESS_TYPES,
    RATINGS,
    STAGES,
    PracticeRecord,
    PracticeStatus,
)
from lms.views_helpers import commit_or_flash

REFUSED = (services.PracticeError,)

bp = Blueprint("records", __name__, url_prefix="/practice")


@bp.app_context_processor
def practice_vocabulary():
    """The words practice pages (logging, assessing, showing records) label things with."""
    return {"stages": STAGES, "process_types": PROCESS_TYPES,
            "practitioner_roles": PRACTITIONER_ROLES, "harm_categories": HARM_CATEGORIES,
            "ratings": RATINGS}


PAGE_SIZE = 25


def get_practice_record_or_404(record_id: int, *, for_, edit=False) -> PracticeRecord:
    record = db.session.scalar(select(PracticeRecord).where(PracticeRecord.id == record_id)
                               .options(selectinload(PracticeRecord.assessments),
                                        selectinload(PracticeRecord.scheme)))
    if record is None:
        abort(404)
    if not record.viewable(for_) or (edit and record.author_id != for_.id):
        abort(404)
    return record


def _my_schemes():
    return [m.scheme for m in current_user.memberships]


@bp.route("/")
@access.signed_in
def index():
    query = (select(PracticeRecord).where(PracticeRecord.author_id == current_user.id)
             .order_by(PracticeRecord.occurred_on.desc(), PracticeRecord.id.desc())
             .options(selectinload(PracticeRecord.supervisor)))
    page = db.paginate(query, per_page=PAGE_SIZE, error_out=False)
    return render_template("practice/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@access.signed_in
def create():
    schemes = _my_schemes()
    if not schemes:
        flash("You need a role in a scheme before you can log practice.", "info")
        return redirect(url_for("practice.records.index"))
    form = PracticeRecordForm({s.id: s for s in schemes}.values())
    if form.validate_on_submit():
        record = PracticeRecord()
        _fill(record, form)
        if commit_or_flash(lambda: services.create(record, current_user), refused=REFUSED,
                           success=lambda: f"Saved as a draft with case code "
                           f"{record.case_code}."):
            return redirect(url_for("practice.records.show", record_id=record.id))
    return render_template("practice/form.html", form=form, record=None)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@access.signed_in
def edit(record_id):
    record = get_practice_record_or_404(record_id, for_=current_user, edit=True)
    refusal = record.edit_refusal(current_user)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("practice.records.show", record_id=record.id))
    form = PracticeRecordForm({s.id: s for s in _my_schemes()}.values(),
                              data=_initial(record))
    if form.validate_on_submit():
        _fill(record, form)
        commit_or_flash(lambda: services.edited(record, current_user), success="Record saved.",
                        refused=REFUSED)
        return redirect(url_for("practice.records.show", record_id=record_id))
    return render_template("practice/form.html", form=form, record=record)


def _initial(record):
    """The record's values for the form (a POST's own values take precedence)."""
    fields = ("occurred_on", "sector", "process_type", "face_to_face", "sensitive",
              "harm_category", "practitioner_role", "co_facilitator_name", "stages",
              "reflection")
    return {name: getattr(record, name) for name in fields} | {
        "scheme": record.scheme_id,
        "communication": "direct" if record.direct else "indirect",
        "co_facilitator_username": record.co_facilitator.username
        if record.co_facilitator else "",
    }


def _fill(record, form):
    record.scheme_id = form.scheme.data
    record.occurred_on = form.occurred_on.data
    record.sector = form.sector.data
    record.process_type = form.process_type.data
    record.direct = form.communication.data == "direct"
    record.face_to_face = form.face_to_face.data
    record.sensitive = form.sensitive.data
    record.harm_category = form.harm_category.data
    record.practitioner_role = form.practitioner_role.data
    record.co_facilitator_id = form.co_facilitator.id if form.co_facilitator else None
    record.co_facilitator_name = (form.co_facilitator_name.data or "").strip() or None
    record.stages = [s for s in STAGES if s in form.stages.data]
    record.reflection = form.reflection.data.strip()


@bp.route("/<int:record_id>")
@access.signed_in
def show(record_id):
    record = get_practice_record_or_404(record_id, for_=current_user)
    is_author = record.author_id == current_user.id
    request_form = None
    if is_author and record.status == PracticeStatus.SUBMITTED:
        request_form = RequestSignOffForm(services.eligible_supervisors(record))
    return render_template(
        "practice/show.html", record=record, is_author=is_author, button=EmptyForm(),
        request_form=request_form, flag_sensitive=services.needs_sensitive_flag(record))


@bp.route("/<int:record_id>/submit", methods=["POST"])
@access.signed_in
def submit(record_id):
    record = get_practice_record_or_404(record_id, for_=current_user, edit=True)
    if EmptyForm().validate_on_submit():
        commit_or_flash(lambda: services.submit(record, current_user), refused=REFUSED,
                        success="Submitted. It can no longer be edited. Ask a supervisor to "
                        "sign it off.")
    return redirect(url_for("practice.records.show", record_id=record_id))


@bp.route("/<int:record_id>/request", methods=["POST"])
@access.signed_in
def request_sign_off(record_id):
    record = get_practice_record_or_404(record_id, for_=current_user, edit=True)
    supervisors = services.eligible_supervisors(record)
    form = RequestSignOffForm(supervisors)
    if form.validate_on_submit():
        supervisor = next(u for u in supervisors if u.id == form.supervisor.data)
        commit_or_flash(lambda: services.request_sign_off(record, supervisor, current_user),
                        success=f"{supervisor.display_name} has been asked to assess this "
                        "record.", refused=REFUSED)
    else:
        flash("Choose one of the supervisors listed.", "error")
    return redirect(url_for("practice.records.show", record_id=record_id))
