"""The yearly CPD audit: who was sampled and the outcome (leads for their schemes,
assessors and admins for all), drawing the sample (admins) and checking CPD (assessors)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access, clock
from lms.accreditation import cpd_audit
from lms.accreditation.forms import CpdAuditForm
from lms.accreditation.models import CpdAudit
from lms.accreditation.refusals import AccreditationError
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.i18n import ngettext
from lms.people.services import can_manage_person
from lms.practice.models import CpdEntry
from lms.schemes.models import Membership, Role

bp = Blueprint("cpd_audits", __name__, url_prefix="/accreditation/cpd-audits")


def _year() -> int:
    year = request.args.get("year", type=int)
    this_year = clock.utcnow().year
    return year if year and this_year - 50 <= year <= this_year + 1 else this_year


@bp.route("/")
@access.lead_or_assessor
def index():
    year = _year()
    query = (select(CpdAudit).where(CpdAudit.year == year)
             .options(selectinload(CpdAudit.user), selectinload(CpdAudit.checked_by))
             .order_by(CpdAudit.id))
    if not (current_user.is_admin or current_user.is_assessor):
        query = query.where(CpdAudit.user_id.in_(select(Membership.user_id).where(
            Membership.scheme_id.in_(current_user.scheme_ids_with(Role.LEAD)))))
    return render_template("accreditation/cpd_audits.html", year=year,
                           audits=db.session.scalars(query.limit(1000)).all(),
                           button=EmptyForm())


@bp.route("/draw", methods=["POST"])
@access.admin
def draw():
    year = _year()
    if EmptyForm().validate_on_submit():
        try:
            audits = cpd_audit.draw(year, actor=current_user)
        except AccreditationError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(ngettext("%(num)d practitioner drawn for the %(year)s CPD audit.",
                           "%(num)d practitioners drawn for the %(year)s CPD audit.",
                           len(audits), year=year), "success")
    return redirect(url_for("accreditation.cpd_audits.index", year=year))


@bp.route("/<int:audit_id>", methods=["GET", "POST"])
@access.lead_or_assessor
def show(audit_id):
    row = db.session.get(CpdAudit, audit_id)
    if row is None or not (current_user.is_admin or current_user.is_assessor
                           or can_manage_person(current_user, row.user)):
        abort(404)
    refusal = cpd_audit.check_refusal(current_user, row)
    form = CpdAuditForm()
    if form.validate_on_submit():
        if refusal:
            abort(403)
        cpd_audit.record_outcome(row, current_user, outcome=form.outcome.data,
                                 notes=form.notes.data)
        db.session.commit()
        flash(_("CPD audit outcome saved."), "success")
        return redirect(url_for("accreditation.cpd_audits.index", year=row.year))
    entries = db.session.scalars(select(CpdEntry).where(CpdEntry.user_id == row.user_id)
                                 .order_by(CpdEntry.done_on.desc()).limit(200)).all()
    return render_template("accreditation/cpd_audit.html", row=row, form=form,
                           entries=entries, refusal=refusal)
