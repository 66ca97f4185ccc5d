"""The figures a scheme lead needs, each from one aggregate query, so a dashboard costs the
same number of queries for 50 practitioners or 5,000."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, case, func, literal, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import BindParameter

from lms import clock
from lms.accreditation.models import (
    VALID_STATUSES,
    AccreditationRecord,
    Application,
    ApplicationStatus,
)
from lms.accreditation.standards import load_standards
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import (
    Course,
    CourseVersion,
    Enrolment,
    LiveSession,
    local_title_column,
)
from lms.practice import supervision
from lms.practice.models import PracticeRecord, PracticeStatus

LIST_LIMIT = 50


@dataclass(frozen=True)
class Scope:
    """Which schemes a figure covers: a set of ids, or None for every scheme (admins)."""

    scheme_ids: frozenset[int] | None

    def where(self, column):
        return literal(True) if self.scheme_ids is None else column.in_(self.scheme_ids)

    def params(self) -> dict:
        """The values a statement built for bound(self) runs with."""
        return {} if self.scheme_ids is None else {"scheme_ids": sorted(self.scheme_ids)}


class _BoundScope(Scope):
    """The scope of a statement built once: its schemes are the `scheme_ids` parameter
    (Scope.params), bound each time it runs."""

    def where(self, column):
        if self.scheme_ids is None:
            return literal(True)
        return column.in_(bindparam("scheme_ids", expanding=True))


_SOME_SCHEMES, _EVERY_SCHEME = _BoundScope(frozenset()), _BoundScope(None)


def bound(scope: Scope) -> Scope:
    """The scope to build a statement once for, for statements of `scope`'s kind: some
    schemes (as a parameter) or every scheme."""
    return _EVERY_SCHEME if scope.scheme_ids is None else _SOME_SCHEMES


def today() -> date:
    return clock.today()


def accredited_by_level_and_status(scope: Scope) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(AccreditationRecord.level_key, AccreditationRecord.status, func.count())
        .where(scope.where(AccreditationRecord.scheme_id))
        .group_by(AccreditationRecord.level_key, AccreditationRecord.status))
    return {(level, status): count for level, status, count in rows}


def expiring_notice_days() -> int:
    """How far ahead 'expiring' looks: the standards' notice period, the same one the
    sweep uses to mark records expiring."""
    return load_standards().expiring_notice_days


def expiring_query(scope: Scope, until=None):
    """Valid records that expire by `until` (a date or a bound parameter; by default the
    end of the notice period from today)."""
    if until is None:
        until = expiring_until()
    return (select(AccreditationRecord).join(AccreditationRecord.holder)
            .where(scope.where(AccreditationRecord.scheme_id),
                   AccreditationRecord.status.in_(VALID_STATUSES),
                   AccreditationRecord.expires_on <= until)
            .order_by(AccreditationRecord.expires_on, User.display_name))


def expiring_until() -> date:
    """The last expiry date that counts as expiring today."""
    return today() + timedelta(days=expiring_notice_days())


#: expiring_query's `until`, for statements built once.
EXPIRING_UNTIL: BindParameter[date] = bindparam("expiring_until")


def supervision_overdue_query(scope: Scope):
    return supervision.overdue_query(scope.scheme_ids)


def awaiting_sign_off_query(scope: Scope):
    return (select(PracticeRecord).join(PracticeRecord.author)
            .where(scope.where(PracticeRecord.scheme_id),
                   PracticeRecord.status == PracticeStatus.AWAITING_SIGN_OFF)
            .order_by(PracticeRecord.requested_at))


def applications_query(scope: Scope):
    return (select(Application).join(Application.applicant)
            .where(scope.where(Application.scheme_id),
                   Application.status == ApplicationStatus.SUBMITTED)
            .order_by(Application.submitted_at))


def discretion_query(scope: Scope):
    """Approvals given at the assessor's discretion although a requirement was unmet."""
    return (select(Application.id)
            .where(scope.where(Application.scheme_id),
                   Application.status == ApplicationStatus.APPROVED,
                   Application.discretion_reason.is_not(None)))


def count_of(query) -> int:
    return db.session.scalar(count_statement(query)) or 0


def count_statement(query):
    """How many rows `query` gives."""
    return select(func.count()).select_from(query.order_by(None).subquery())


@dataclass(frozen=True)
class PipelineRow:
    course: str
    enrolled: int
    not_started: int
    in_progress: int
    completed: int


def training_pipeline(scope: Scope) -> list[PipelineRow]:
    title_column = local_title_column()
    started = Enrolment.started_at.is_not(None)
    done = Enrolment.completed_at.is_not(None)
    rows = db.session.execute(
        select(title_column, func.count(Enrolment.id),
               func.sum(case((done, 1), else_=0)),
               func.sum(case((and_(~done, started), 1), else_=0)))
        .select_from(Enrolment).join(Course, Enrolment.course_id == Course.id)
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)
        .where(scope.where(Enrolment.scheme_id))
        .group_by(title_column, Course.id).order_by(Course.id))
    return [PipelineRow(title, total, total - (completed or 0) - (progressing or 0),
                        progressing or 0, completed or 0)
            for title, total, completed, progressing in rows]


def upcoming_sessions(scope: Scope) -> list[LiveSession]:
    return list(db.session.scalars(_upcoming_sessions(bound(scope)),
                                   {**scope.params(), "now": clock.utcnow()}))


@functools.cache  # for some schemes and for every scheme, built once
def _upcoming_sessions(scope: Scope):
    return (select(LiveSession).where(scope.where(LiveSession.scheme_id),
                                      LiveSession.starts_at > bindparam("now"))
            .order_by(LiveSession.starts_at).limit(10)
            .options(selectinload(LiveSession.course).selectinload(Course.current_version)))


def level_names() -> dict[str, str]:
    """Each level's name in the page's language, in the standards' order."""
    return {key: level.local_name for key, level in load_standards().levels.items()}
