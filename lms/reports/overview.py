"""The admin's view across schemes: the same figures grouped by scheme and by sector."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lms.accreditation.models import VALID_STATUSES, AccreditationRecord
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.processes.models import RestorativeProcess
from lms.reports.delivery import Period
from lms.schemes.models import Membership, Scheme


@dataclass(frozen=True)
class OverviewRow:
    name: str
    members: int = 0
    accredited: int = 0
    expiring: int = 0
    enrolled: int = 0
    completed: int = 0
    processes: int = 0


def _rows(key, period: Period) -> list[OverviewRow]:
    groups: dict[str, dict[str, int]] = {}

    def add(figure, rows):
        for group, n in rows:
            groups.setdefault(str(group), {})[figure] = int(n or 0)

    add("members", db.session.execute(
        select(key, func.count(func.distinct(Membership.user_id)))
        .join(Membership, Membership.scheme_id == Scheme.id).group_by(key)))
    add("accredited", db.session.execute(
        select(key, func.count(func.distinct(AccreditationRecord.holder_id)))
        .join(AccreditationRecord, AccreditationRecord.scheme_id == Scheme.id)
        .where(AccreditationRecord.status.in_(VALID_STATUSES)).group_by(key)))
    add("expiring", db.session.execute(
        select(key, func.count()).join(AccreditationRecord,
                                       AccreditationRecord.scheme_id == Scheme.id)
        .where(AccreditationRecord.status == "expiring").group_by(key)))
    add("enrolled", db.session.execute(
        select(key, func.count()).join(Enrolment, Enrolment.scheme_id == Scheme.id)
        .group_by(key)))
    add("completed", db.session.execute(
        select(key, func.count()).join(Enrolment, Enrolment.scheme_id == Scheme.id)
        .where(Enrolment.completed_at.is_not(None)).group_by(key)))
    add("processes", db.session.execute(  # each process once, however many took part
        select(key, func.count(RestorativeProcess.id))
        .join(RestorativeProcess, RestorativeProcess.scheme_id == Scheme.id)
        .where(RestorativeProcess.occurred_on >= period.start,
               RestorativeProcess.occurred_on <= period.end).group_by(key)))
    names = db.session.scalars(select(key).distinct())
    return [OverviewRow(str(name), **groups.get(str(name), {})) for name in sorted(
        {str(n) for n in names})]


def by_scheme(period: Period) -> list[OverviewRow]:
    return _rows(Scheme.name, period)


def by_sector(period: Period) -> list[OverviewRow]:
    return _rows(Scheme.sector, period)
