"""A practitioner's CPD log; trainers and admins approve entries."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from lms import access
from lms.accreditation.standing import cpd_standing
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.practice import cpd
from lms.practice.forms import CpdForm
from lms.practice.models import CpdEntry
from lms.schemes.models import Role
from lms.views_helpers import commit_or_flash

bp = Blueprint("cpd", __name__, url_prefix="/cpd")


@bp.route("/", methods=["GET", "POST"])
@access.signed_in
def index():
    form = CpdForm()
    if form.validate_on_submit():
        entry = CpdEntry(done_on=form.done_on.data, hours=float(form.hours.data),
                         activity=form.activity.data.strip(), provider=form.provider.data.strip())
        if commit_or_flash(lambda: cpd.add(entry, current_user), success=_("CPD entry added.")):
            return redirect(url_for("practice.cpd.index"))
    entries = cpd.entries_of(current_user)
    return render_template("practice/cpd.html", form=form, entries=entries,
                           totals=cpd.yearly_totals(entries),
                           standing=cpd_standing(current_user))


@bp.route("/to-approve")
@access.role(Role.TRAINER)
def to_approve():
    query = cpd.waiting_for(current_user).options(selectinload(CpdEntry.user))
    return render_template("practice/cpd_approve.html",
                           entries=db.session.scalars(query.limit(500)).all(),
                           button=EmptyForm())


@bp.route("/<int:entry_id>/approve", methods=["POST"])
@access.role(Role.TRAINER)
def approve(entry_id):
    entry = db.get_or_404(CpdEntry, entry_id)
    if entry.user_id != current_user.id and not entry.approvable(current_user):
        abort(404)  # someone else's entry outside the schemes you train in
    if EmptyForm().validate_on_submit():
        commit_or_flash(lambda: cpd.approve(entry, current_user), success=_("CPD entry approved."),
                        refused=(cpd.CpdError,))
    return redirect(url_for("practice.cpd.to_approve"))
