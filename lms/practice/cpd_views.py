"""A practitioner's CPD log; trainers and admins approve entries."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access, policy
from lms.audit import services as audit
from lms.extensions import db
from lms.forms import EmptyForm
from lms.practice import cpd
from lms.practice.forms import CpdForm
from lms.practice.models import CpdEntry
from lms.schemes.models import Membership, Role

bp = Blueprint("cpd", __name__, url_prefix="/cpd")


@bp.route("/", methods=["GET", "POST"])
@access.signed_in
def index():
    form = CpdForm()
    if form.validate_on_submit():
        entry = CpdEntry(user_id=current_user.id, done_on=form.done_on.data,
                         hours=float(form.hours.data), activity=form.activity.data.strip(),
                         provider=form.provider.data.strip())
        db.session.add(entry)
        db.session.flush()
        audit.record("cpd.added", actor=current_user, object_type="cpd_entry",
                     object_id=entry.id, payload={"hours": entry.hours})
        db.session.commit()
        flash("CPD entry added.", "success")
        return redirect(url_for("cpd.index"))
    entries = cpd.entries_of(current_user)
    return render_template("practice/cpd.html", form=form, entries=entries,
                           totals=cpd.yearly_totals(entries),
                           min_share=policy.practice("approved_cpd_min_share"))


@bp.route("/to-approve")
@access.role(Role.TRAINER)
def to_approve():
    query = (select(CpdEntry).where(CpdEntry.approved.is_(False),
                                    CpdEntry.user_id != current_user.id)
             .options(selectinload(CpdEntry.user)).order_by(CpdEntry.done_on))
    if not current_user.is_admin:
        members = select(Membership.user_id).where(
            Membership.scheme_id.in_(current_user.scheme_ids_with(Role.TRAINER)))
        query = query.where(CpdEntry.user_id.in_(members))
    return render_template("practice/cpd_approve.html",
                           entries=db.session.scalars(query.limit(500)).all(),
                           button=EmptyForm())


@bp.route("/<int:entry_id>/approve", methods=["POST"])
@access.role(Role.TRAINER)
def approve(entry_id):
    entry = db.get_or_404(CpdEntry, entry_id)
    if not cpd.can_approve(current_user, entry):
        abort(404)
    if EmptyForm().validate_on_submit() and not entry.approved:
        cpd.approve(entry, current_user)
        db.session.commit()
        flash("CPD entry approved.", "success")
    return redirect(url_for("cpd.to_approve"))
