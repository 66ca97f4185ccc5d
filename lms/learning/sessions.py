"""Live training sessions: scheduling, booking without overbooking, attendance."""

from __future__ import annotations

import functools
from typing import NamedTuple

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.learning.models import Course, Enrolment, LiveSession, SessionBooking
from lms.learning.services import (
    LearningError,
    find_enrolment,
    flush_or_refuse,
    record_completion_if_done,
)
from lms.schemes.models import Role

STAFF_ROLES = (Role.TRAINER, Role.LEAD)


def _shown_with():
    """What a list of sessions shows with each one, loaded in the same query (one row each)."""
    return (joinedload(LiveSession.course).joinedload(Course.current_version),
            joinedload(LiveSession.scheme), joinedload(LiveSession.trainer))


def upcoming_sessions_for(user: User, course_id: int | None = None) -> list[LiveSession]:
    """Sessions yet to start in the schemes `user` belongs to (all schemes for admins).
    For one course (its page lists when and where, nothing more), without the course,
    scheme and trainer a list of every course's sessions shows."""
    values: dict = {"now": clock.utcnow()}
    if not user.is_admin:
        values["schemes"] = list({m.scheme_id for m in user.memberships})
    if course_id is not None:
        values["course"] = course_id
    return list(db.session.scalars(
        _upcoming_statement(every_scheme=user.is_admin, one_course=course_id is not None),
        values))


@functools.cache  # built once: the course page asks on every view
def _upcoming_statement(*, every_scheme: bool, one_course: bool):
    query = (select(LiveSession).where(LiveSession.ends_at > bindparam("now"))
             .order_by(LiveSession.starts_at).limit(100))
    if not one_course:
        query = query.options(*_shown_with())
    if not every_scheme:
        query = query.where(
            LiveSession.scheme_id.in_(bindparam("schemes", expanding=True)))
    if one_course:
        query = query.where(LiveSession.course_id == bindparam("course"))
    return query


def booked_sessions_of(user: User) -> list[LiveSession]:
    """Sessions `user` has a place on that have not ended yet, soonest first."""
    return list(db.session.scalars(
        select(LiveSession).join(SessionBooking)
        .where(SessionBooking.user_id == user.id, LiveSession.ends_at > clock.utcnow())
        .order_by(LiveSession.starts_at).options(*_shown_with())))


def bookings_of(user: User) -> dict[int, SessionBooking]:
    """{session id: booking} for `user`."""
    return {b.session_id: b for b in db.session.scalars(
        select(SessionBooking).where(SessionBooking.user_id == user.id))}


def can_run(user: User, session: LiveSession) -> bool:
    """Trainers and leads of the session's scheme, and admins, run it."""
    return user.is_admin or user.has_role(*STAFF_ROLES, scheme=session.scheme)


class BookingRefusal(NamedTuple):
    #: already_booked, past, not_member, not_enrolled or full: the page says what to do.
    reason: str
    message: str


def booking_refusal(user: User, session: LiveSession) -> BookingRefusal | None:
    """Why `user` cannot book `session` now, or None if they can. The session page and the
    booking itself both use it, so they never disagree."""
    if any(b.user_id == user.id for b in session.bookings):
        return BookingRefusal("already_booked", _("You already have a place on this session."))
    if session.starts_at <= clock.utcnow():
        return BookingRefusal("past", _("This session has already started, so it can no "
                                        "longer be booked."))
    if not user.roles_in(session.scheme):
        return BookingRefusal("not_member", _("Only members of %(scheme)s can book this "
                                              "session.", scheme=session.scheme.name))
    if find_enrolment(user.id, session.course_id) is None:
        return BookingRefusal("not_enrolled", _("Enrol on the course before booking a "
                                                "session."))
    if session.places_left <= 0:
        return BookingRefusal("full", _("Sorry, this session is full."))
    return None


def book(session: LiveSession, user: User) -> SessionBooking:
    """Take a place. The count and the capacity are compared in one UPDATE, so two people
    booking the last place at once cannot both get it."""
    existing = db.session.scalar(select(SessionBooking).where(
        SessionBooking.session_id == session.id, SessionBooking.user_id == user.id))
    if existing is not None:
        raise LearningError(_("You already have a place on this session."))
    taken = db.session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(LiveSession)
        .where(LiveSession.id == session.id, LiveSession.booked_count < LiveSession.capacity)
        .values(booked_count=LiveSession.booked_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise LearningError(_("Sorry, this session is full."))
    booking = SessionBooking(session_id=session.id, user_id=user.id)
    # a simultaneous second booking by the same person hits the unique constraint
    flush_or_refuse(booking, _l("You already have a place on this session."))
    audit.record("session.booked", actor=user, object_type="live_session",
                 object_id=session.id, payload={"booking_id": booking.id})
    db.session.refresh(session)
    return booking


def cancel(booking: SessionBooking) -> None:
    if booking.attended is not None:
        raise LearningError(_("Attendance has been recorded for this booking; it cannot be "
                              "cancelled."))
    # Deleted by a conditional DELETE first, so two cancellations at once free one place.
    deleted = db.session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        delete(SessionBooking).where(SessionBooking.id == booking.id,
                                     SessionBooking.attended.is_(None))
        .execution_options(synchronize_session=False)
    ).rowcount
    if deleted != 1:
        raise LearningError(_("This booking has already been cancelled."))
    db.session.execute(
        update(LiveSession).where(LiveSession.id == booking.session_id)
        .values(booked_count=LiveSession.booked_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expunge(booking)
    db.session.flush()
    audit.record("session.booking_cancelled", actor=booking.user_id, object_type="live_session",
                 object_id=booking.session_id, payload={"booking_id": booking.id})


def record_attendance(session: LiveSession, marks: dict[int, tuple[bool, float | None]],
                      by: User | None = None) -> int:
    """Save attendance for bookings of `session`: {booking id: (attended, hours)}.
    Returns how many learners completed their course as a result."""
    bookings = {b.id: b for b in session.bookings}
    for booking_id, (attended, hours) in marks.items():
        booking = bookings.get(booking_id)
        if booking is None:
            continue
        booking.attended = attended
        booking.hours_attended = (hours if hours is not None else session.hours) if attended \
            else 0.0
    db.session.flush()
    audit.record("session.attendance_recorded", actor=by, object_type="live_session",
                 object_id=session.id, payload={"bookings": sorted(marks)})
    return complete_attended(session, [b.user_id for b in bookings.values() if b.attended])


def complete_attended(session: LiveSession, user_ids: list[int]) -> int:
    """Record completion for attenders now done; how many completed."""
    enrolments = db.session.scalars(select(Enrolment).where(
        Enrolment.course_id == session.course_id, Enrolment.user_id.in_(user_ids)))
    return sum(record_completion_if_done(enrolment) for enrolment in enrolments)
