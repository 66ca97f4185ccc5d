"""A practitioner's practice log: record, edit while a draft, submit, ask for sign-off."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access, clock
from lms.audit import services as audit
from lms.extensions import db
from lms.forms import EmptyForm
from lms.practice import services
from lms.practice.forms import PracticeRecordForm, RequestSignOffForm
from lms.practice.models import STAGES, PracticeRecord
from lms.schemes.models import Role

bp = Blueprint("practice", __name__, url_prefix="/practice")
PAGE_SIZE = 25


def get_record_or_404(record_id: int, *, for_, edit=False) -> PracticeRecord:
    record = db.session.scalar(select(PracticeRecord).where(PracticeRecord.id == record_id)
                               .options(selectinload(PracticeRecord.assessments),
                                        selectinload(PracticeRecord.scheme)))
    if record is None:
        abort(404)
    is_author = record.author_id == for_.id
    may_view = is_author or for_.is_admin or for_.has_role(
        Role.SUPERVISOR, Role.LEAD, scheme=record.scheme)
    if not may_view or (edit and not is_author):
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
        return redirect(url_for("practice.index"))
    form = PracticeRecordForm({s.id: s for s in schemes}.values())
    if form.validate_on_submit():
        record = PracticeRecord(author_id=current_user.id,
                                case_code=services.new_case_code(clock.utcnow().date()))
        _fill(record, form)
        db.session.add(record)
        db.session.flush()
        audit.record("practice.created", actor=current_user, object_type="practice_record",
                     object_id=record.id)
        db.session.commit()
        flash(f"Saved as a draft with case code {record.case_code}.", "success")
        return redirect(url_for("practice.show", record_id=record.id))
    return render_template("practice/form.html", form=form, record=None)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@access.signed_in
def edit(record_id):
    record = get_record_or_404(record_id, for_=current_user, edit=True)
    if not record.editable:
        flash("A submitted record cannot be edited.", "error")
        return redirect(url_for("practice.show", record_id=record.id))
    form = PracticeRecordForm({s.id: s for s in _my_schemes()}.values(),
                              data=_initial(record))
    if form.validate_on_submit():
        _fill(record, form)
        audit.record("practice.edited", actor=current_user, object_type="practice_record",
                     object_id=record.id)
        db.session.commit()
        flash("Record saved.", "success")
        return redirect(url_for("practice.show", record_id=record.id))
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
    record = get_record_or_404(record_id, for_=current_user)
    is_author = record.author_id == current_user.id
    request_form = None
    if is_author and record.status == "submitted":
        request_form = RequestSignOffForm(services.eligible_supervisors(record))
    return render_template(
        "practice/show.html", record=record, is_author=is_author, button=EmptyForm(),
        request_form=request_form, flag_sensitive=services.needs_sensitive_flag(record),
        can_assess=services.can_assess(current_user, record))


@bp.route("/<int:record_id>/submit", methods=["POST"])
@access.signed_in
def submit(record_id):
    record = get_record_or_404(record_id, for_=current_user, edit=True)
    if EmptyForm().validate_on_submit():
        try:
            services.submit(record, current_user)
        except services.PracticeError as refusal:
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash("Submitted. It can no longer be edited. Ask a supervisor to sign it off.",
                  "success")
    return redirect(url_for("practice.show", record_id=record.id))


@bp.route("/<int:record_id>/request", methods=["POST"])
@access.signed_in
def request_sign_off(record_id):
    record = get_record_or_404(record_id, for_=current_user, edit=True)
    supervisors = services.eligible_supervisors(record)
    form = RequestSignOffForm(supervisors)
    if form.validate_on_submit():
        supervisor = next(u for u in supervisors if u.id == form.supervisor.data)
        try:
            services.request_sign_off(record, supervisor, current_user)
        except services.PracticeError as refusal:
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(f"{supervisor.display_name} has been asked to assess this record.", "success")
    else:
        flash("Choose one of the supervisors listed.", "error")
    return redirect(url_for("practice.show", record_id=record.id))
