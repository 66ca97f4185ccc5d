"""Supervisors: the queue of records to assess, and the assessment itself."""

import functools

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.sql.elements import BindParameter

from lms import access
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.practice import services
from lms.practice.forms import assessment_form
from lms.practice.models import PracticeRecord, PracticeStatus
from lms.practice.views import get_practice_record_or_404
from lms.schemes.models import Role, Scheme
from lms.views_helpers import commit_or_flash

bp = Blueprint("assess", __name__)
#: Records per page of "waiting for other supervisors".
QUEUE_PAGE_SIZE = 50
ALREADY_ASSESSED = _l("Another supervisor assessed this record while you were working on it. "
                      "Their outcome has been kept; yours was not saved.")


@bp.route("/supervision/queue")
@access.role(Role.SUPERVISOR)
def queue():
    """Records waiting in the supervisor's schemes: those asked of them in full, the rest a
    page at a time (that list grows with the scheme). Nobody is offered a record they
    wrote or took part in: the same rule as PracticeRecord.conflict_refusal, in SQL, so the
    counts and pages are right."""
    mine, others, others_count = _queue_statements()
    params = {"me": current_user.id,
              "schemes": sorted(current_user.scheme_ids_with(Role.SUPERVISOR))}
    return render_template(
        "practice/queue.html", mine=db.session.execute(mine, params).all(),
        page=db.paginate_rows(others, others_count, params, per_page=QUEUE_PAGE_SIZE))


@functools.cache
def _queue_statements():
    """(asked of me, waiting for others, how many wait for others), for the supervisor
    `me` in the schemes `schemes`: built once (composing them cost about what running them
    does). Rows of the columns the lists show, with the author's and scheme's names
    joined, not records: a page of 50 records loaded as objects was two fifths of the
    page's instructions."""
    me: BindParameter[int] = bindparam("me")
    waiting = (PracticeRecord.status == PracticeStatus.AWAITING_SIGN_OFF,
               PracticeRecord.scheme_id.in_(bindparam("schemes", expanding=True)),
               PracticeRecord.not_in_conflict(me))
    for_others = or_(PracticeRecord.supervisor_id.is_(None), PracticeRecord.supervisor_id != me)
    listed = (select(PracticeRecord.id, PracticeRecord.case_code, PracticeRecord.sensitive,
                     PracticeRecord.requested_at, User.display_name.label("author_name"),
                     Scheme.name.label("scheme_name"))
              .join(User, User.id == PracticeRecord.author_id)
              .join(Scheme, Scheme.id == PracticeRecord.scheme_id)
              .where(*waiting).order_by(PracticeRecord.requested_at, PracticeRecord.id))
    # the count reads only the waiting records' index (no join): see migration 7c3e5a9d2f41
    return (listed.where(PracticeRecord.supervisor_id == me), listed.where(for_others),
            select(func.count()).select_from(PracticeRecord).where(*waiting, for_others))


@bp.route("/practice/<int:record_id>/assess", methods=["GET", "POST"])
@access.role(Role.SUPERVISOR)
def assess(record_id):
    record = get_practice_record_or_404(record_id, for_=current_user)
    refusal = record.sign_off_refusal(current_user)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("practice.records.show", record_id=record.id))
    form = assessment_form(record, data={"version": record.version})
    if form.validate_on_submit():
        if form.version.data != record.version:
            flash(str(ALREADY_ASSESSED), "error")
            return redirect(url_for("practice.records.show", record_id=record.id))
        outcome = form.outcome.data
        done = commit_or_flash(
            lambda: services.assess(record, current_user, outcome=outcome,
                                    ratings=form.stage_ratings(),
                                    feedback=(form.feedback.data or "").strip()),
            success=(_("Record %(code)s signed off.", code=record.case_code)
                     if outcome == PracticeStatus.SIGNED_OFF else
                     _("Record %(code)s returned.", code=record.case_code)),
            refused=(services.PracticeError,), conflict=str(ALREADY_ASSESSED))
        return redirect(url_for("practice.assess.queue") if done
                        else url_for("practice.records.show", record_id=record_id))
    return render_template(
        "practice/assess.html", record=record, form=form,
        flag_sensitive=services.needs_sensitive_flag(record),
    ), 400 if request.method == "POST" else 200
