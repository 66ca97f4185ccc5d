"""Case supervision sessions, and admins recognising supervisors."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lms import access
from lms.auth.services import find_user_by_username
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.practice import services, supervision
from lms.practice.forms import RecogniseSupervisorForm, SupervisionForm
from lms.practice.models import RecognisedSupervisor, SupervisionSession
from lms.schemes.models import Role
from lms.views_helpers import commit_or_flash

bp = Blueprint("supervision", __name__)


@bp.route("/supervision/")
@access.signed_in
def index():
    sessions = db.session.scalars(
        select(SupervisionSession)
        .where(or_(SupervisionSession.practitioner_id == current_user.id,
                   SupervisionSession.supervisor_id == current_user.id))
        .order_by(SupervisionSession.held_on.desc())
        .options(selectinload(SupervisionSession.supervisor),
                 selectinload(SupervisionSession.practitioner))
        .limit(200)).all()
    status = supervision.status_for([current_user.id])[current_user.id]
    return render_template("practice/supervision.html", sessions=sessions, status=status,
                           button=EmptyForm(), interval=supervision.interval().days // 7,
                           is_supervisor=current_user.has_role(Role.SUPERVISOR))


@bp.route("/supervision/new", methods=["GET", "POST"])
@access.role(Role.SUPERVISOR)
def create():
    form = SupervisionForm()
    if form.validate_on_submit():
        practitioner = find_user_by_username(form.practitioner.data)
        refusal = supervision.record_refusal(current_user, practitioner)
        if refusal:
            form.practitioner.errors.append(refusal)
        elif practitioner is not None and commit_or_flash(  # always found when not refused
                lambda: supervision.record_session(
                    supervisor=current_user, practitioner=practitioner,
                    held_on=form.held_on.data, duration_minutes=form.duration_minutes.data,
                    notes=(form.notes.data or "").strip()),
                success=_("Supervision recorded. %(name)s is asked to confirm it.",
                          name=practitioner.display_name),
                refused=(supervision.SupervisionError,)):
            return redirect(url_for("practice.supervision.index"))
    return render_template("practice/supervision_form.html", form=form)


@bp.route("/supervision/<int:session_id>")
@access.signed_in
def show(session_id):
    session = db.get_or_404(SupervisionSession, session_id)
    if current_user.id not in (session.practitioner_id, session.supervisor_id) \
            and not current_user.is_admin:
        abort(404)
    return render_template("practice/supervision_show.html", session=session,
                           button=EmptyForm())


@bp.route("/supervision/<int:session_id>/confirm", methods=["POST"])
@access.signed_in
def confirm(session_id):
    session = db.get_or_404(SupervisionSession, session_id)
    if current_user.id not in (session.practitioner_id, session.supervisor_id):
        abort(404)
    if EmptyForm().validate_on_submit():
        commit_or_flash(lambda: supervision.confirm(session, current_user),
                        success=_("Thank you: the supervision session is confirmed."),
                        refused=(supervision.SupervisionError,))
    return redirect(url_for("practice.supervision.show", session_id=session_id))


@bp.route("/admin/supervisors", methods=["GET", "POST"])
@access.admin
def recognised():
    form = RecogniseSupervisorForm()
    if form.validate_on_submit():
        user = find_user_by_username(form.username.data)
        if user is None:
            form.username.errors.append(_("No account has this username."))
        else:
            refusal = services.recognition_refusal(user, current_user)
            if refusal:
                form.username.errors.append(refusal)
            elif commit_or_flash(
                    lambda: services.recognise_supervisor(user, by=current_user,
                                                          reason=form.reason.data.strip()),
                    success=_("%(name)s is now a recognised supervisor.", name=user.display_name),
                    refused=(services.PracticeError,)):
                return redirect(url_for("practice.supervision.recognised"))
    people = db.session.scalars(select(RecognisedSupervisor)
                                .options(selectinload(RecognisedSupervisor.user))
                                .order_by(RecognisedSupervisor.created_at.desc())).all()
    return render_template("practice/recognised.html", form=form, people=people)
