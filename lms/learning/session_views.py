"""Live training sessions: trainers schedule and record attendance, learners book."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.audit import services as audit
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.i18n import ngettext
from lms.learning import registers, sessions
from lms.learning.forms import AttendanceForm, RegisterEntryForm, SessionForm
from lms.learning.models import Course, LiveSession, SessionBooking
from lms.learning.services import LearningError
from lms.schemes.models import Role
from lms.schemes.services import schemes_with_role
from lms.timezones import to_utc

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


def get_session_or_404(session_id: int, *, for_, run=False) -> LiveSession:
    session = db.session.scalar(
        select(LiveSession).where(LiveSession.id == session_id).options(
            selectinload(LiveSession.course).selectinload(Course.current_version),
            selectinload(LiveSession.scheme),
            selectinload(LiveSession.bookings).selectinload(SessionBooking.user)))
    if session is None:
        abort(404)
    visible = for_.is_admin or bool(for_.roles_in(session.scheme))
    if not visible or (run and not sessions.can_run(for_, session)):
        abort(404)
    return session


@bp.route("/")
@access.signed_in
def index():
    return render_template(
        "learning/sessions.html", upcoming=sessions.upcoming_sessions_for(current_user),
        bookings=sessions.bookings_of(current_user), button=EmptyForm(),
        can_schedule=current_user.is_admin or current_user.has_role(*sessions.STAFF_ROLES),
    )


@bp.route("/new", methods=["GET", "POST"])
@access.role(Role.TRAINER, Role.LEAD)
def create():
    courses = db.session.scalars(select(Course).where(Course.current_version_id.is_not(None))
                                 .options(selectinload(Course.current_version))).all()
    schemes = schemes_with_role(current_user, *sessions.STAFF_ROLES)
    form = SessionForm(courses, schemes)
    if form.validate_on_submit():
        session = LiveSession(
            course_id=form.course.data, scheme_id=form.scheme.data, trainer_id=current_user.id,
            starts_at=to_utc(form.day.data, form.start.data),
            ends_at=to_utc(form.day.data, form.end.data), online=form.online.data,
            location=form.location.data.strip(), capacity=form.capacity.data,
        )
        db.session.add(session)
        db.session.flush()
        audit.record("session.scheduled", actor=current_user, object_type="live_session",
                     object_id=session.id, payload={"course_id": session.course_id,
                                                    "scheme_id": session.scheme_id})
        db.session.commit()
        flash(_("Session scheduled. Learners on the course can now book a place."), "success")
        return redirect(url_for("learning.sessions.show", session_id=session.id))
    return render_template("learning/session_form.html", form=form)


@bp.route("/<int:session_id>")
@access.signed_in
def show(session_id):
    return _render_session(get_session_or_404(session_id, for_=current_user))


def _render_session(session, attendance=None, status=200):
    can_run = sessions.can_run(current_user, session)
    booking = next((b for b in session.bookings if b.user_id == current_user.id), None)
    bookings = sorted(session.bookings, key=lambda b: b.user.display_name) if can_run else []
    refusal = sessions.booking_refusal(current_user, session)
    return render_template(
        "learning/session.html", session=session, can_run=can_run, booking=booking,
        can_book=refusal is None, refusal=refusal,
        button=EmptyForm(), bookings=bookings,
        attendance=attendance or AttendanceForm.for_bookings(bookings),
    ), status


@bp.route("/<int:session_id>/book", methods=["POST"])
@access.signed_in
def book(session_id):
    session = get_session_or_404(session_id, for_=current_user)
    refusal = sessions.booking_refusal(current_user, session)
    if refusal is not None:
        flash(refusal.message, "error")
    elif EmptyForm().validate_on_submit():
        try:
            sessions.book(session, current_user)
        except LearningError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("Your place is booked."), "success")
    return redirect(url_for("learning.sessions.show", session_id=session_id))


@bp.route("/<int:session_id>/cancel", methods=["POST"])
@access.signed_in
def cancel(session_id):
    session = get_session_or_404(session_id, for_=current_user)
    booking = next((b for b in session.bookings if b.user_id == current_user.id), None)
    if booking is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            sessions.cancel(booking)
        except LearningError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("Your booking is cancelled."), "success")
    return redirect(url_for("learning.sessions.show", session_id=session_id))


@bp.route("/<int:session_id>/attendance", methods=["POST"])
@access.role(Role.TRAINER, Role.LEAD)
def attendance(session_id):
    session = get_session_or_404(session_id, for_=current_user, run=True)
    form = AttendanceForm.for_bookings(session.bookings)
    if not form.validate_on_submit():
        return _render_session(session, form, 400)
    completed = sessions.record_attendance(session, form.marks(), by=current_user)
    db.session.commit()
    if completed:
        flash(ngettext("Attendance saved. %(num)d learner completed the course.",
                       "Attendance saved. %(num)d learners completed the course.", completed),
              "success")
    else:
        flash(_("Attendance saved."), "success")
    return redirect(url_for("learning.sessions.show", session_id=session_id))


@bp.route("/<int:session_id>/register")
@access.role(Role.TRAINER, Role.LEAD)
def register(session_id):
    """The attendance register to print and have signed at the session."""
    session = get_session_or_404(session_id, for_=current_user, run=True)
    return render_template("learning/register.html", session=session, blank_rows=8,
                           bookings=sorted(session.bookings, key=lambda b: b.user.display_name))


@bp.route("/<int:session_id>/register/enter", methods=["GET", "POST"])
@access.role(Role.TRAINER, Role.LEAD)
def enter_register(session_id):
    """Attendance from the signed register, for everyone at once, after the session."""
    session = get_session_or_404(session_id, for_=current_user, run=True)
    form = RegisterEntryForm()
    refusal = registers.register_refusal(session)
    if not refusal and form.validate_on_submit():
        attenders, problem = registers.resolve_register(session, form.usernames.data,
                                                        current_user)
        if problem:
            form.usernames.errors.append(problem)
        else:
            try:
                entry = registers.enter_register(session, attenders, form.hours_value,
                                                 others_absent=form.others_absent.data,
                                                 by=current_user)
            except LearningError as message:
                db.session.rollback()
                form.usernames.errors.append(str(message))
            else:
                db.session.commit()
                flash(_("Attendance saved: %(attended)d attended (%(walk_ins)d not booked), "
                        "%(absent)d marked absent, %(completed)d completed the course.",
                        attended=entry.attended, walk_ins=entry.walk_ins, absent=entry.absent,
                        completed=entry.completed), "success")
                return redirect(url_for("learning.sessions.show", session_id=session_id))
    return render_template("learning/register_entry.html", session=session, form=form,
                           refusal=refusal), (400 if form.errors else 200)
