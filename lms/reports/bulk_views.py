"""Bulk actions on selected practitioners: a preview of who is affected, then the action."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.i18n import ngettext
from lms.inputs.converters import database_id
from lms.learning import training
from lms.learning.models import Course
from lms.notify import services as notify
from lms.reports.forms import BulkReminderForm
from lms.schemes.models import Membership, Role
from lms.schemes.services import get_scheme_or_404

DEFAULT_REMINDER = _l("A reminder from your scheme lead: please check your accreditation "
                      "pathway and keep your practice log, supervision and CPD up to date.")
MAX_SELECTED = 1000

#: Nested under the reports blueprint, so its URLs start /reports and its endpoints reports.bulk.
bp = Blueprint("bulk", __name__)


def _selected(scheme) -> list[User]:
    """The chosen people who belong to the scheme; anything else is ignored."""
    ids = [i for i in map(database_id, request.form.getlist("user")) if i][:MAX_SELECTED]
    members = select(Membership.user_id).where(Membership.scheme_id == scheme.id)
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.id.in_(members))
                                   .order_by(User.display_name)))


def _courses():
    return db.session.scalars(select(Course).where(Course.current_version_id.is_not(None))
                              .options(selectinload(Course.current_version))
                              .order_by(Course.id)).all()


@bp.route("/schemes/<slug>/bulk", methods=["POST"])
@access.role(Role.LEAD)
def preview(slug):
    scheme = get_scheme_or_404(slug, for_=current_user, manage=True)
    people = _selected(scheme)
    if not people:
        flash(_("Select at least one person first."), "error")
        return redirect(url_for("reports.practitioners", slug=slug))
    action = request.form.get("action", "remind")
    courses = _courses()
    course = next((c for c in courses if str(c.id) == request.form.get("course")), None)
    checks = (training.preview_enrolments(course, scheme, "\n".join(p.username for p in people))
              if action == "enrol" and course else None)
    form = BulkReminderForm()
    form.validate()  # a message carried back from a refused confirm shows its problem
    form.message.data = form.message.data or str(DEFAULT_REMINDER)
    return render_template("reports/bulk.html", scheme=scheme, people=people, action=action,
                           courses=courses, course=course, checks=checks, form=form)


@bp.route("/schemes/<slug>/bulk/confirm", methods=["POST"])
@access.role(Role.LEAD)
def confirm(slug):
    scheme = get_scheme_or_404(slug, for_=current_user, manage=True)
    people = _selected(scheme)
    action = request.form.get("action")
    if not people or action not in ("remind", "enrol"):
        flash(_("Nothing was done: select people and an action."), "error")
        return redirect(url_for("reports.practitioners", slug=slug))
    if action == "remind":
        form = BulkReminderForm()
        if not form.validate_on_submit():  # nothing is sent: the lead sees why
            return render_template("reports/bulk.html", scheme=scheme, people=people,
                                   action=action, courses=[], course=None, checks=None,
                                   form=form), 422
        message = (form.message.data or str(DEFAULT_REMINDER)).strip()
        for person in people:
            notify.notify(person, message, "/accreditation/pathway")
        audit.record("reminders.sent", actor=current_user, object_type="scheme",
                     object_id=scheme.id, payload={"user_ids": [p.id for p in people]})
        db.session.commit()
        flash(ngettext("Reminder sent to %(num)d person.", "Reminder sent to %(num)d people.",
                       len(people)), "success")
        return redirect(url_for("reports.practitioners", slug=slug))
    course = next((c for c in _courses() if str(c.id) == request.form.get("course")), None)
    rows = training.preview_enrolments(course, scheme, "\n".join(p.username for p in people)) \
        if course else []
    ready = [r for r in rows if not r.errors]
    if ready:
        training.save_enrolments(course, scheme, ready, current_user)
        db.session.commit()
    flash(ngettext("%(num)d person enrolled; %(skipped)d skipped (see the preview).",
                   "%(num)d people enrolled; %(skipped)d skipped (see the preview).",
                   len(ready), skipped=len(rows) - len(ready)), "success" if ready else "error")
    return redirect(url_for("reports.practitioners", slug=slug))
