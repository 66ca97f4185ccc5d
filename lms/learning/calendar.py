"""Live sessions as iCalendar (RFC 5545): one session as an .ics download, and a personal
feed behind a secret address for the sessions a person booked or runs.

The feed needs no sign-in (calendar apps cannot sign in), so its address is the secret: a
random token kept only as SHA-256, replaced when the person resets it. It carries nothing
about anyone beyond the session itself (no trainer's or learners' names).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar, Event
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lms import clock
from lms.auth.models import User
from lms.branding import product_name
from lms.extensions import db
from lms.i18n import gettext as _
from lms.learning.models import Course, LiveSession, SessionBooking
from lms.urls import absolute_url

#: How far back the feed reaches: calendars keep what they have already shown.
FEED_PAST_DAYS = 90
#: Bounds the feed however many sessions a long-serving trainer has run.
FEED_LIMIT = 500


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user: User) -> str:
    """A fresh secret for `user`'s feed, returned once; the previous address stops working."""
    token = secrets.token_urlsafe(32)
    user.calendar_feed_token_hash = token_hash(token)
    db.session.flush()
    return token


def feed_owner(token: str) -> User | None:
    user = db.session.scalar(select(User).where(
        User.calendar_feed_token_hash == token_hash(token)))
    return user if user is not None and user.active else None


def feed_sessions(user: User) -> list[LiveSession]:
    """Sessions `user` booked or runs, from FEED_PAST_DAYS ago on."""
    booked = select(SessionBooking.session_id).where(SessionBooking.user_id == user.id)
    return list(db.session.scalars(
        select(LiveSession)
        .where(or_(LiveSession.id.in_(booked), LiveSession.trainer_id == user.id),
               LiveSession.ends_at > clock.utcnow() - timedelta(days=FEED_PAST_DAYS))
        .order_by(LiveSession.starts_at).limit(FEED_LIMIT)
        .options(selectinload(LiveSession.course).selectinload(Course.current_version))))


def _event(session: LiveSession, stamp) -> Event:
    page = absolute_url("learning.sessions.show", session_id=session.id)
    event = Event()
    event.add("uid", page)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    title = session.course.current_version.title if session.course.current_version else ""
    event.add("summary", _("%(course)s: live session", course=title))
    where = session.location
    event.add("location", _("Online: %(details)s", details=where) if session.online else where)
    event.add("url", page)
    event.add("description", _("Details and your booking: %(link)s", link=page))
    return event


def to_ical(sessions: Iterable[LiveSession], name: str) -> bytes:
    """An RFC 5545 calendar (CRLF line endings, long lines folded, text escaped)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{product_name()}//Live sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = clock.utcnow().replace(microsecond=0)
    for session in sessions:
        calendar.add_component(_event(session, stamp))
    return calendar.to_ical()
