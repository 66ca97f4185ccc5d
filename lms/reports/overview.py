"""The admin's view across schemes: the same figures grouped by scheme and by sector."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields

from sqlalchemy import func, select

from lms.accreditation.models import VALID_STATUSES, AccreditationRecord
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.processes.models import RestorativeProcess
from lms.reports.delivery import Period
from lms.reports.snapshots import storable
from lms.schemes.models import Membership, Scheme


@storable
@dataclass(frozen=True)
class OverviewRow:
    name: str
    members: int = 0
    accredited: int = 0
    expiring: int = 0
    enrolled: int = 0
    completed: int = 0
    processes: int = 0


#: Figures that count people: a person in two schemes of one sector is one person there,
#: so a sector's figure is counted again rather than added up from its schemes.
_PEOPLE = ("members", "accredited")


#: Every figure of a row.
_COUNTS = tuple(f.name for f in fields(OverviewRow) if f.name != "name")


@storable
@dataclass(frozen=True)
class Overview:
    by_scheme: list[OverviewRow]
    by_sector: list[OverviewRow]


def overview(period: Period) -> Overview:
    """Each figure grouped once by scheme; sectors add up their schemes, except the two
    counts of people, grouped by sector in a query each."""
    schemes = db.session.execute(select(Scheme.id, Scheme.name, Scheme.sector)).all()
    per_scheme = _figures(Scheme.id, period, _COUNTS)
    per_sector_people = _figures(Scheme.sector, period, _PEOPLE)
    sector_totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for scheme_id, _name, sector in schemes:
        for figure, n in per_scheme.get(scheme_id, {}).items():
            if figure not in _PEOPLE:
                sector_totals[str(sector)][figure] += n
    for sector, people in per_sector_people.items():
        sector_totals[str(sector)].update(people)
    by_scheme = sorted((OverviewRow(name, **per_scheme.get(scheme_id, {}))
                        for scheme_id, name, _sector in schemes), key=lambda row: row.name)
    by_sector = [OverviewRow(sector, **sector_totals.get(sector, {}))
                 for sector in sorted({str(sector) for _id, _name, sector in schemes})]
    return Overview(by_scheme, by_sector)


def _figures(key, period: Period, wanted) -> dict:
    """{group: {figure: count}} for the figures in `wanted`, grouped by `key`."""
    queries = {
        "members": select(key, func.count(func.distinct(Membership.user_id)))
        .join(Membership, Membership.scheme_id == Scheme.id),
        "accredited": select(key, func.count(func.distinct(AccreditationRecord.holder_id)))
        .join(AccreditationRecord, AccreditationRecord.scheme_id == Scheme.id)
        .where(AccreditationRecord.status.in_(VALID_STATUSES)),
        "expiring": select(key, func.count())
        .join(AccreditationRecord, AccreditationRecord.scheme_id == Scheme.id)
        .where(AccreditationRecord.status == "expiring"),
        "enrolled": select(key, func.count()).join(Enrolment, Enrolment.scheme_id == Scheme.id),
        "completed": select(key, func.count()).join(Enrolment, Enrolment.scheme_id == Scheme.id)
        .where(Enrolment.completed_at.is_not(None)),
        "processes": select(key, func.count(RestorativeProcess.id))  # each process once
        .join(RestorativeProcess, RestorativeProcess.scheme_id == Scheme.id)
        .where(RestorativeProcess.occurred_on >= period.start,
               RestorativeProcess.occurred_on <= period.end),
    }
    groups: dict = defaultdict(dict)
    for figure in wanted:
        for group, n in db.session.execute(queries[figure].group_by(key)):
            groups[group][figure] = int(n or 0)
    return groups
