"""The audit trail for administrators: events filtered and paged, and a check of the
whole chain from the page (the same check as `flask audit verify`)."""

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import Select, select

from lms import access
from lms.audit.forms import TrailFilterForm
from lms.audit.models import AuditEvent
from lms.audit.services import verify_chain
from lms.auth.models import User
from lms.auth.services import normalise_username
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.timezones import LOCAL

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PER_PAGE = 50


def _filtered(form: TrailFilterForm) -> Select:
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if form.errors:
        return query
    if form.person.data:
        query = query.where(AuditEvent.actor_id.in_(select(User.id).where(
            User.username == normalise_username(form.person.data))))
    if form.action.data:
        action = form.action.data.strip()
        # "practice." means every practice action; a whole name matches exactly.
        query = query.where(AuditEvent.action.startswith(action, autoescape=True)
                            if action.endswith(".") else AuditEvent.action == action)
    if form.object_type.data:
        query = query.where(AuditEvent.object_type == form.object_type.data.strip())
    if form.object_id.data:
        query = query.where(AuditEvent.object_id == form.object_id.data.strip())
    if form.start.data:
        query = query.where(AuditEvent.occurred_at >= _utc_midnight(form.start.data))
    if form.end.data:
        query = query.where(AuditEvent.occurred_at < _utc_midnight(
            form.end.data + timedelta(days=1)))
    return query


def _utc_midnight(day) -> datetime:
    """The start of `day` in UK time, in UTC (events are stored in UTC)."""
    return datetime.combine(day, time(), tzinfo=LOCAL).astimezone(UTC)


@bp.route("/")
@access.admin
def trail():
    form = TrailFilterForm(request.args)
    form.validate()
    return _render(form, EmptyForm(), None)


def _render(form: TrailFilterForm, verify: EmptyForm, result):
    page = db.paginate(_filtered(form), per_page=PER_PAGE, max_per_page=PER_PAGE)
    actor_ids = {event.actor_id for event in page.items if event.actor_id is not None}
    usernames = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_(actor_ids))).all()) if actor_ids else {}
    return render_template("audit/trail.html", form=form, page=page, verify=verify,
                           result=result, usernames=usernames)


@bp.route("/verify", methods=["POST"])
@access.admin
def verify():
    """Checks every event with the audit key; stores nothing."""
    form = TrailFilterForm(request.args)
    form.validate()
    verify = EmptyForm()
    result = None
    if verify.validate_on_submit():
        checked, broken = verify_chain()
        if broken is None:
            result = ("success", _("The audit chain is intact: %(count)d events checked.",
                                   count=checked))
        else:
            where = (_("at event %(seq)d", seq=broken.seq) if broken.seq is not None
                     else _("at its head"))
            result = ("error", _("The audit chain is BROKEN %(where)s: %(reason)s. "
                                 "%(count)d events before it are intact.",
                                 where=where, reason=broken.reason, count=checked))
    return _render(form, verify, result)
