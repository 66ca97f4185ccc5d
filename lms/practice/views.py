"""A practitioner's practice log: record, edit while a draft, submit, ask for sign-off."""

import functools

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, selectinload

from lms import access
from lms.auth.models import User
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.practice import services
from lms.practice.forms import PracticeRecordForm, ReflectionForm, RequestSignOffForm
from lms.practice.models import (
    HARM_CATEGORIES,
    PRACTITIONER_ROLES,
    PROCESS_TYPES,
    RATINGS,
    STAGES,
    PracticeRecord,
    PracticeStatus,
)
from lms.processes import services as process_services
from lms.processes import views as process_views
from lms.processes.catalogue import INVOLVEMENTS, SETTINGS
from lms.processes.models import ProcessParticipant, RestorativeProcess
from lms.views_helpers import commit_or_flash

REFUSED = (services.PracticeError, process_services.ProcessError)

bp = Blueprint("records", __name__, url_prefix="/practice")


@bp.app_context_processor
def practice_vocabulary():
    """The words practice pages (logging, assessing, showing records) label things with."""
    return {"stages": STAGES, "process_types": PROCESS_TYPES,
            "practitioner_roles": PRACTITIONER_ROLES, "harm_categories": HARM_CATEGORIES,
            "ratings": RATINGS, "settings": SETTINGS, "involvements": INVOLVEMENTS}


PAGE_SIZE = 25


def get_practice_record_or_404(record_id: int, *, for_, edit=False) -> PracticeRecord:
    record = db.session.scalar(select(PracticeRecord).where(PracticeRecord.id == record_id)
                               .options(selectinload(PracticeRecord.assessments),
                                        selectinload(PracticeRecord.scheme),
                                        selectinload(PracticeRecord.process)
                                        .selectinload(RestorativeProcess.participants)
                                        .selectinload(ProcessParticipant.user)))
    if record is None:
        abort(404)
    if not record.viewable(for_) or (edit and record.author_id != for_.id):
        abort(404)
    return record


def _my_schemes():
    return list({m.scheme_id: m.scheme for m in current_user.memberships}.values())


def _colleagues(schemes):
    return process_services.scheme_members({s.id for s in schemes}, excluding=current_user)


@bp.route("/")
@access.signed_in
def index():
    rows, count = _log_statements()
    page = db.paginate_rows(rows, count, {"author": current_user.id}, per_page=PAGE_SIZE)
    return render_template("practice/index.html", page=page,
                           pending=process_views.pending_for(current_user),
                           unrecorded=process_views.without_a_record(current_user),
                           button=EmptyForm())


@functools.cache
def _log_statements():
    """A page of the log as rows of what it shows (each record's supervisor's name joined),
    and the count of the author's records: built once, run with the author bound. Each
    record as an object with its supervisor was a third of the page's own work."""
    supervisor = aliased(User)
    rows = (select(PracticeRecord.id, PracticeRecord.case_code, PracticeRecord.occurred_on,
                   PracticeRecord.process_type, PracticeRecord.sensitive,
                   PracticeRecord.practitioner_role, PracticeRecord.status,
                   supervisor.display_name.label("supervisor_name"))
            .outerjoin(supervisor, PracticeRecord.supervisor_id == supervisor.id)
            .where(PracticeRecord.author_id == bindparam("author"))
            .order_by(PracticeRecord.occurred_on.desc(), PracticeRecord.id.desc()))
    count = (select(func.count()).select_from(PracticeRecord)
             .where(PracticeRecord.author_id == bindparam("author")))
    return rows, count


@bp.route("/new", methods=["GET", "POST"])
@access.signed_in
def create():
    schemes = _my_schemes()
    if not schemes:
        flash(_("You need a role in a scheme before you can log practice."), "info")
        return redirect(url_for("practice.records.index"))
    form = PracticeRecordForm(schemes, _colleagues(schemes))
    if form.validate_on_submit():
        record = PracticeRecord()
        _fill(record, form)
        if commit_or_flash(lambda: _start(record, form), refused=REFUSED,
                           success=lambda: _("Saved as a draft with case code %(code)s.",
                                             code=record.case_code)):
            return redirect(url_for("practice.records.show", record_id=record.id))
    return render_template("practice/form.html", form=form, record=None)


#: The role a named co-facilitator is asked to confirm, by the role of who logged it.
PARTNER_ROLE = {"lead": "co_facilitator", "co_facilitator": "lead", "observer": "lead"}


def _start(record, form):
    """The record, its process (with the practitioner confirmed) and the invitation to a
    co-facilitator named in the form."""
    services.create(record, current_user)
    process = process_services.start(form.facts(), current_user,
                                     role=record.practitioner_role, case_code=record.case_code)
    record.process_id = process.id
    _invite_named(process, form, record.practitioner_role)


def _invite_named(process, form, role):
    chosen = db.session.get(User, form.co_facilitator.data or 0)
    if chosen is not None and process.participant(chosen) is None:
        process_services.invite(process, chosen,
                                role=PARTNER_ROLE.get(role, "co_facilitator"),
                                by=current_user)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@access.signed_in
def edit(record_id):
    record = get_practice_record_or_404(record_id, for_=current_user, edit=True)
    refusal = record.edit_refusal(current_user)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("practice.records.show", record_id=record.id))
    process = record.process
    if process is not None and process.created_by_id != current_user.id:
        return _edit_reflection(record)
    schemes = _my_schemes()
    form = PracticeRecordForm(schemes, _colleagues(schemes), data=_initial(record))
    if form.validate_on_submit():
        _fill(record, form)

        def save():
            if process is None:
                started = process_services.start(form.facts(), current_user,
                                                 role=record.practitioner_role,
                                                 case_code=record.case_code)
                record.process_id = started.id
                _invite_named(started, form, record.practitioner_role)
            else:
                process_services.update_facts(process, form.facts(), current_user)
                mine = process.participant(current_user)
                if mine is not None:
                    mine.role = record.practitioner_role
                _invite_named(process, form, record.practitioner_role)
            services.edited(record, current_user)

        commit_or_flash(save, success=_("Record saved."), refused=REFUSED)
        return redirect(url_for("practice.records.show", record_id=record_id))
    return render_template("practice/form.html", form=form, record=record)


def _edit_reflection(record):
    """A co-facilitator's own account: the facts are the process's, logged once."""
    form = ReflectionForm(data={"stages": record.stages, "reflection": record.reflection})
    if form.validate_on_submit():
        record.stages = [s for s in STAGES if s in form.stages.data]
        record.reflection = form.reflection.data.strip()
        commit_or_flash(lambda: services.edited(record, current_user),
                        success=_("Record saved."), refused=REFUSED)
        return redirect(url_for("practice.records.show", record_id=record.id))
    return render_template("practice/reflection_form.html", form=form, record=record)


def _initial(record):
    """The record's values for the form (a POST's own values take precedence)."""
    fields = ("occurred_on", "sector", "process_type", "face_to_face", "sensitive",
              "practitioner_role", "co_facilitator_name", "stages", "reflection")
    process = record.process
    return {name: getattr(record, name) for name in fields} | {
        "scheme": record.scheme_id,
        "communication": "direct" if record.direct else "indirect",
        "co_facilitator": record.co_facilitator_id or 0,
        "involvement": process.involvement if process else "",
        "harm_category": process.harm_keys if process else [record.harm_category],
    }


def _fill(record, form):
    record.scheme_id = form.scheme.data
    record.occurred_on = form.occurred_on.data
    record.sector = form.sector.data
    record.process_type = form.process_type.data
    record.direct = form.communication.data == "direct"
    record.face_to_face = form.face_to_face.data
    record.sensitive = form.sensitive.data
    record.harm_category = form.facts().harms[0]
    record.practitioner_role = form.practitioner_role.data
    record.co_facilitator_id = form.co_facilitator.data or record.co_facilitator_id
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
                        success=_("Submitted. It can no longer be edited. Ask a supervisor "
                                  "to sign it off."))
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
                        success=_("%(name)s has been asked to assess this record.",
                                  name=supervisor.display_name), refused=REFUSED)
    else:
        flash(_("Choose one of the supervisors listed."), "error")
    return redirect(url_for("practice.records.show", record_id=record_id))
