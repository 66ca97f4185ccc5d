"""The postcode lottery: how much restorative capacity each police force area has, per
100,000 people (population from lms/areas/data): accredited practitioners today, and
restorative processes delivered in a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date
from sqlalchemy import func, select

from lms.accreditation.models import VALID_STATUSES, AccreditationRecord
from lms.areas.reference import ForceArea, force_areas, population_year
from lms.extensions import db
from lms.i18n import gettext as _
from lms.processes.models import RestorativeProcess
from lms.reports.delivery import Period
from lms.reports.figures import Scope
from lms.reports.snapshots import materialised, storable
from lms.schemes.models import Scheme

PER = 100_000


def per_100k(count: int, population: int) -> float:
    """`count` per 100,000 people, unrounded (pages show two decimals: one practitioner
    in 8.9 million people is 0.01, not zero)."""
    return count * PER / population


def rate_text(rate: float) -> str:
    return f"{rate:,.2f}"


@dataclass(frozen=True)
class AreaMetric:
    """One figure counted per police force area."""

    key: str
    label: str
    #: What is counted and over which dates, shown next to the figure.
    definition: str
    counts: dict[str, int]  # force area code -> count


@dataclass(frozen=True)
class AreaRow:
    area: ForceArea
    counts: dict[str, int]  # metric key -> count

    def rate(self, key: str) -> float:
        return per_100k(self.counts.get(key, 0), self.area.population)


@dataclass(frozen=True)
class Coverage:
    metrics: list[AreaMetric]
    rows: list[AreaRow]
    population_year: int
    computed_at: datetime  # when the counts were computed (they are kept)

    def metric(self, key: str) -> AreaMetric:
        return next((m for m in self.metrics if m.key == key), self.metrics[0])

    def without(self, key: str) -> list[AreaRow]:
        """Areas where the figure is zero: no accredited practitioner, no process."""
        return [row for row in self.rows if not row.counts.get(key)]


@storable
@dataclass(frozen=True)
class AreaCounts:
    """Each metric's count by police force area code (kept: lms/reports/snapshots.py)."""
    accredited: dict[str, int]
    processes: dict[str, int]


@materialised("coverage")
def area_counts(scope: Scope, period: Period) -> AreaCounts:
    """People holding a current accreditation with a scheme in each area (once per area),
    and restorative processes that took place in the period with a scheme in the area (each
    process once, however many practitioners took part): one query each."""
    accredited = db.session.execute(
        select(Scheme.police_force_code,
               func.count(func.distinct(AccreditationRecord.holder_id)))
        .join(AccreditationRecord, AccreditationRecord.scheme_id == Scheme.id)
        .where(scope.where(Scheme.id), Scheme.police_force_code.is_not(None),
               AccreditationRecord.status.in_(VALID_STATUSES))
        .group_by(Scheme.police_force_code))
    processes = db.session.execute(
        select(Scheme.police_force_code, func.count(RestorativeProcess.id))
        .join(RestorativeProcess, RestorativeProcess.scheme_id == Scheme.id)
        .where(scope.where(Scheme.id), Scheme.police_force_code.is_not(None),
               RestorativeProcess.occurred_on >= period.start,
               RestorativeProcess.occurred_on <= period.end)
        .group_by(Scheme.police_force_code))
    return AreaCounts({code: n for code, n in accredited if code},
                      {code: n for code, n in processes if code})


def _metrics(counts: AreaCounts, period: Period) -> list[AreaMetric]:
    return [
        AreaMetric(
            "accredited", _("Accredited practitioners"),
            _("People who hold a current (active or expiring) accreditation today with a "
              "scheme in the area, counted once per area whatever their level; the rate "
              "divides by the area's population (ONS mid-%(year)d estimate).",
              year=population_year()),
            counts.accredited),
        AreaMetric(
            "processes", _("Processes delivered"),
            _("Restorative processes (instant resolutions, meetings, conferences, indirect "
              "processes and circles) that took place from %(start)s to %(end)s with a scheme "
              "in the area, each counted once however many practitioners took part; the rate "
              "divides by the area's population (ONS mid-%(year)d estimate).",
              start=format_date(period.start), end=format_date(period.end),
              year=population_year()),
            counts.processes),
    ]


def coverage(scope: Scope, period: Period, codes: set[str] | None = None) -> Coverage:
    """Every police force area (or those in `codes`), with each metric's count."""
    kept = area_counts(scope, period)
    metrics = _metrics(kept.figures, period)
    areas = [a for a in force_areas().values() if codes is None or a.code in codes]
    rows = [AreaRow(area, {m.key: m.counts.get(area.code, 0) for m in metrics})
            for area in areas]
    return Coverage(metrics, rows, population_year(), kept.computed_at)
