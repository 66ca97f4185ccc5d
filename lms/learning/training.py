"""What trainers and leads see of their learners, and enrolling learners in bulk."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from lms.audit import services as audit
from lms.auth.models import User
from lms.db_types import chunks
from lms.extensions import db
from lms.i18n import gettext as _
from lms.inputs.csv_files import csv_refusal
from lms.learning import services
from lms.learning.models import (
    CheckAttempt,
    Course,
    Enrolment,
    LessonCompletion,
    LiveSession,
    SessionBooking,
)
from lms.schemes.models import Membership, Scheme


def learners_query(scheme_ids: set[int] | None, *, course_id=None, scheme_id=None, status="",
                   search=""):
    """Enrolments in the given schemes (None: every scheme), filtered, in name order."""
    query = (select(Enrolment).join(Enrolment.user).join(Enrolment.course)
             .options(contains_eager(Enrolment.user), contains_eager(Enrolment.course),
                      selectinload(Enrolment.scheme))
             .order_by(User.display_name, Enrolment.id))
    if scheme_ids is not None:
        query = query.where(Enrolment.scheme_id.in_(scheme_ids))
    if scheme_id is not None:
        query = query.where(Enrolment.scheme_id == scheme_id)
    if course_id is not None:
        query = query.where(Enrolment.course_id == course_id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(User.username.like(pattern), User.display_name.ilike(pattern)))
    return _with_status(query, status)


def _with_status(query, status):
    started = or_(
        exists().where(LessonCompletion.enrolment_id == Enrolment.id),
        exists().where(CheckAttempt.enrolment_id == Enrolment.id),
        exists().where(and_(SessionBooking.user_id == Enrolment.user_id,
                            SessionBooking.attended.is_(True),
                            LiveSession.id == SessionBooking.session_id,
                            LiveSession.course_id == Enrolment.course_id)),
    )
    if status == "completed":
        return query.where(Enrolment.completed_at.is_not(None))
    if status == "in progress":
        return query.where(Enrolment.completed_at.is_(None), started)
    if status == "not started":
        return query.where(Enrolment.completed_at.is_(None), ~started)
    return query


@dataclass
class EnrolRow:
    line: int
    username: str
    user: User | None = None
    errors: list[str] = field(default_factory=list)


def parse_usernames(text: str) -> list[tuple[int, str]]:
    """(line, username) pairs from pasted text or a CSV file with a "username" column."""
    rows = [] if csv_refusal(text) else list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() == "username":
        return [(n, row[0].strip().lower()) for n, row in enumerate(rows[1:], start=2)
                if row and row[0].strip()]
    pairs = []
    for n, line in enumerate(text.splitlines(), start=1):
        pairs += [(n, name.lower()) for name in re.split(r"[,;\s]+", line) if name]
    return pairs


def could_be_username(name: str) -> bool:
    """Only such names are looked up: a NUL byte is an error on PostgreSQL, not a name."""
    return name.isprintable() and len(name) <= 64


def preview_enrolments(course: Course, scheme: Scheme, text: str) -> list[EnrolRow]:
    """Check every username: known, a member of the scheme, not enrolled, prerequisites met.
    Saves nothing; a fixed number of queries per 900 names."""
    rows = [EnrolRow(line, name) for line, name in parse_usernames(text)]
    users = _users_by_name({r.username for r in rows})
    members = _member_ids(scheme, [u.id for u in users.values()])
    enrolled = _enrolled_ids(course, [u.id for u in users.values()])
    completed = _completed_slugs([u.id for u in users.values()])
    seen = set()
    for row in rows:
        row.user = users.get(row.username)
        if row.user is None:
            row.errors.append(_("No account with this username."))
        elif row.username in seen:
            row.errors.append(_("Listed more than once."))
        elif row.user.id not in members:
            row.errors.append(_("Not a member of %(scheme)s.", scheme=scheme.name))
        elif row.user.id in enrolled:
            row.errors.append(_("Already enrolled on this course."))
        else:
            assert course.current_version is not None  # a course is loaded with its version
            missing = services.missing_prerequisites(
                row.user.id, course.current_version, completed.get(row.user.id, set()))
            if missing:
                row.errors.append(_("Must first complete: %(courses)s.",
                                     courses=", ".join(missing)))
        seen.add(row.username)
    return rows


def _users_by_name(names) -> dict[str, User]:
    found = {}
    for chunk in chunks([n for n in names if could_be_username(n)]):
        found.update({u.username: u for u in db.session.scalars(
            select(User).where(User.username.in_(chunk), User.active.is_(True)))})
    return found


def _member_ids(scheme, user_ids) -> set[int]:
    found: set[int] = set()
    for chunk in chunks(user_ids):
        found.update(db.session.scalars(select(Membership.user_id).where(
            Membership.scheme_id == scheme.id, Membership.user_id.in_(chunk))))
    return found


def _enrolled_ids(course, user_ids) -> set[int]:
    found: set[int] = set()
    for chunk in chunks(user_ids):
        found.update(db.session.scalars(select(Enrolment.user_id).where(
            Enrolment.course_id == course.id, Enrolment.user_id.in_(chunk))))
    return found


def _completed_slugs(user_ids) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for chunk in chunks(user_ids):
        for user_id, slug in db.session.execute(
            select(Enrolment.user_id, Course.slug).join(Enrolment.course)
            .where(Enrolment.user_id.in_(chunk), Enrolment.completed_at.is_not(None))
        ):
            found.setdefault(user_id, set()).add(slug)
    return found


def save_enrolments(course, scheme, rows: list[EnrolRow], by: User) -> int:
    users = [r.user for r in rows if r.user is not None]
    if not rows or any(r.errors for r in rows) or len(users) != len(rows):
        raise ValueError("only a clean preview, naming an account on every row, can be saved")
    db.session.add_all(Enrolment(user_id=user.id, course_id=course.id, scheme_id=scheme.id,
                                 enrolled_by_id=by.id) for user in users)
    db.session.flush()
    # One event for the batch (ids only), so a large enrolment is one append, not hundreds.
    audit.record("learning.enrolled_in_bulk", actor=by, object_type="course",
                 object_id=course.id, payload={"scheme_id": scheme.id,
                                               "user_ids": [user.id for user in users]})
    return len(rows)
