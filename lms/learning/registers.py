"""Attendance registers: the printed sheet people sign at a session, and entering it in
bulk afterwards (where the session had no devices or no connection)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.learning.models import Enrolment, LiveSession, SessionBooking
from lms.learning.services import flush_or_refuse
from lms.learning.sessions import complete_attended
from lms.learning.training import could_be_username, parse_usernames
from lms.schemes.models import Membership


@dataclass
class RegisterEntry:
    attended: int
    walk_ins: int
    absent: int
    completed: int


def register_refusal(session: LiveSession) -> str | None:
    """Attendance is entered once the session has started."""
    if session.starts_at > clock.utcnow():
        return _("Attendance can be entered once the session has started.")
    return None


def resolve_register(session: LiveSession, text: str, by: User) -> tuple[list[User], str | None]:
    """The people named on a signed register, or what is wrong with the list."""
    names = list(dict.fromkeys(name for _line, name in parse_usernames(text)))
    if not names:
        return [], _("Enter the usernames of the people who attended.")
    users = {u.username.lower(): u for u in db.session.scalars(
        select(User).where(func.lower(User.username).in_(
            [n for n in names if could_be_username(n)])))}
    unknown = [n for n in names if n not in users]
    if unknown:
        return [], _("No account with the username: %(usernames)s.", usernames=", ".join(unknown))
    found = [users[n] for n in names]
    if any(u.id == by.id for u in found):
        return [], _("You cannot record your own attendance: remove your username.")
    enrolled = set(db.session.scalars(select(Enrolment.user_id).where(
        Enrolment.course_id == session.course_id, Enrolment.user_id.in_([u.id for u in found]))))
    members = set(db.session.scalars(select(Membership.user_id).where(
        Membership.scheme_id == session.scheme_id,
        Membership.user_id.in_([u.id for u in found]))))
    outside = [u.username for u in found if u.id not in enrolled or u.id not in members]
    if outside:
        return [], _("Not enrolled on this course in this session's scheme: %(usernames)s.",
                     usernames=", ".join(outside))
    return found, None


def enter_register(session: LiveSession, attenders: list[User], hours: float | None, *,
                   others_absent: bool, by: User) -> RegisterEntry:
    """Mark `attenders` as attended (booking walk-ins), and, if asked, everyone else booked
    as absent. Audited as one event."""
    hours = session.hours if hours is None else hours
    bookings = {b.user_id: b for b in session.bookings}
    walk_ins = 0
    for user in attenders:
        booking = bookings.get(user.id)
        if booking is None:
            booking = SessionBooking(session_id=session.id, user_id=user.id)
            flush_or_refuse(booking, _l("%(name)s was added to this session at the same moment by "
                                        "someone else. Check and enter again.",
                                        name=user.display_name))
            db.session.execute(update(LiveSession).where(LiveSession.id == session.id)
                               .values(booked_count=LiveSession.booked_count + 1)
                               .execution_options(synchronize_session=False))
            walk_ins += 1
        booking.attended, booking.hours_attended = True, hours
    named = {u.id for u in attenders}
    absent = [b for uid, b in bookings.items() if uid not in named] if others_absent else []
    for booking in absent:
        booking.attended, booking.hours_attended = False, 0.0
    db.session.flush()
    completed = complete_attended(session, list(named))
    audit.record("learning.attendance_entered", actor=by, object_type="live_session",
                 object_id=session.id,
                 payload={"attended": len(named), "walk_ins": walk_ins, "absent": len(absent),
                          "hours": hours})
    return RegisterEntry(len(named), walk_ins, len(absent), completed)
