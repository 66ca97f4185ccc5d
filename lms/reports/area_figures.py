"""Figures across schemes for a period: by scheme, police force area, sector or nationally.
Each figure is one grouped query, so the page costs the same for 2 schemes or 2,000."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accreditation.models import VALID_STATUSES, AccreditationRecord
from lms.areas.reference import force_area
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.learning.models import Course, CourseVersion, Enrolment, local_title_column
from lms.people.kinds import PERSON_KINDS
from lms.processes.figures import ProcessFigures, process_figures
from lms.processes.models import RestorativeProcess
from lms.reports.delivery import Period
from lms.reports.figures import Scope, level_names
from lms.reports.snapshots import materialised, storable
from lms.schemes.models import Scheme, Sector

#: How the breakdown table groups schemes: value -> label.
GROUPINGS = {"scheme": _l("Scheme"), "area": _l("Police force area"), "sector": _l("Sector")}
#: The kinds of person as table columns, then those not recorded.
KIND_COLUMNS = (*PERSON_KINDS, "")


def period_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's first moment and the moment after its last day, in UTC."""
    return (datetime.combine(period.start, time(), tzinfo=UTC),
            datetime.combine(period.end + timedelta(days=1), time(), tzinfo=UTC))


def _completed_in(period: Period):
    start, after = period_bounds(period)
    return Enrolment.completed_at >= start, Enrolment.completed_at < after


@storable
@dataclass(frozen=True)
class TrainedRow:
    course: str
    by_kind: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def trained_by_course_and_kind(scope: Scope, period: Period) -> list[TrainedRow]:
    # Counted first (covering indexes on enrolments and on users' kind), named after.
    counted = (
        select(Enrolment.course_id, User.person_kind.label("kind"),
               func.count().label("people"))
        .join(User, Enrolment.user_id == User.id)
        .where(scope.where(Enrolment.scheme_id), *_completed_in(period))
        .group_by(Enrolment.course_id, User.person_kind).subquery())
    rows = db.session.execute(
        select(Course.id, local_title_column(), counted.c.kind, counted.c.people)
        .join(counted, counted.c.course_id == Course.id)
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)
        .order_by(Course.id))
    courses: dict[int, TrainedRow] = {}
    for course_id, title, kind, count in rows:
        row = courses.setdefault(course_id, TrainedRow(title, dict.fromkeys(KIND_COLUMNS, 0)))
        key = kind if kind in PERSON_KINDS else ""
        row.by_kind[key] += count
    return list(courses.values())


def accredited_by_level(scope: Scope) -> list[tuple[str, int]]:
    """(level name, people) for every level anyone in scope currently holds."""
    rows = dict(db.session.execute(
        select(AccreditationRecord.level_key,
               func.count(func.distinct(AccreditationRecord.holder_id)))
        .where(scope.where(AccreditationRecord.scheme_id),
               AccreditationRecord.status.in_(VALID_STATUSES))
        .group_by(AccreditationRecord.level_key)).all())
    names = level_names()
    ordered = [key for key in names if key in rows] + sorted(set(rows) - set(names))
    return [(names.get(key, key), rows[key]) for key in ordered]


def accredited_people(scope: Scope) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(AccreditationRecord.holder_id)))
        .where(scope.where(AccreditationRecord.scheme_id),
               AccreditationRecord.status.in_(VALID_STATUSES))) or 0


@storable
@dataclass(frozen=True)
class GroupRow:
    name: str
    #: figure key ("trained", "accredited", "processes") -> count
    figures: dict[str, int]


def _group_key(grouping: str):
    return {"scheme": Scheme.name, "area": Scheme.police_force_code,
            "sector": Scheme.sector}[grouping]


def _group_name(grouping: str, value) -> str:
    if grouping == "area":
        area = force_area(value)
        return area.local_name() if area else _("No police force area recorded")
    if grouping == "sector":
        return Sector(value).label if value in Sector._value2member_map_ else str(value)
    return str(value)


def by_group(scope: Scope, period: Period, grouping: str) -> list[GroupRow]:
    """Trained and processes delivered in the period, and accredited now, per scheme, area
    or sector in scope (each process once, however many practitioners took part)."""
    key = _group_key(grouping)
    groups: dict[object, dict[str, int]] = {
        value: {"trained": 0, "accredited": 0, "processes": 0} for value in db.session.scalars(
            select(key).where(scope.where(Scheme.id)).distinct())}
    for value, count in db.session.execute(
            select(key, func.count(Enrolment.id)).join(Enrolment, Enrolment.scheme_id == Scheme.id)
            .where(scope.where(Scheme.id), *_completed_in(period)).group_by(key)):
        groups.setdefault(value, {})["trained"] = count
    for value, count in db.session.execute(
            select(key, func.count(func.distinct(AccreditationRecord.holder_id)))
            .join(AccreditationRecord, AccreditationRecord.scheme_id == Scheme.id)
            .where(scope.where(Scheme.id), AccreditationRecord.status.in_(VALID_STATUSES))
            .group_by(key)):
        groups.setdefault(value, {})["accredited"] = count
    for value, count in db.session.execute(
            select(key, func.count(RestorativeProcess.id))
            .join(RestorativeProcess, RestorativeProcess.scheme_id == Scheme.id)
            .where(scope.where(Scheme.id), RestorativeProcess.occurred_on >= period.start,
                   RestorativeProcess.occurred_on <= period.end)
            .group_by(key)):
        groups.setdefault(value, {})["processes"] = count
    rows = [GroupRow(_group_name(grouping, value), figures) for value, figures in groups.items()]
    return sorted(rows, key=lambda row: row.name)


def accredited_list_query(scope: Scope):
    """Current accreditation records in scope, by holder's name, each with its scheme (for
    a viewer's list of who is accredited: names, levels and dates, never case text)."""
    return (select(AccreditationRecord).options(selectinload(AccreditationRecord.scheme))
            .where(scope.where(AccreditationRecord.scheme_id),
                   AccreditationRecord.status.in_(VALID_STATUSES))
            .order_by(AccreditationRecord.holder_name, AccreditationRecord.id))


storable(ProcessFigures)


@storable
@dataclass(frozen=True)
class AreaFigures:
    """Everything the figures page shows for a scope, period and grouping."""
    trained: list[TrainedRow]
    by_level: list[tuple[str, int]]
    accredited: int
    group_rows: list[GroupRow]
    processes: ProcessFigures


@materialised("area-figures")
def area_figures(scope: Scope, period: Period, grouping: str) -> AreaFigures:
    return AreaFigures(trained_by_course_and_kind(scope, period), accredited_by_level(scope),
                       accredited_people(scope), by_group(scope, period, grouping),
                       process_figures(scope.scheme_ids, period.start, period.end))
