"""How much restorative work a scheme delivers, from the practice log, for a period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select

from lms.extensions import db
from lms.practice.models import HARM_CATEGORIES, PROCESS_TYPES, PracticeRecord, PracticeStatus
from lms.reports.figures import Scope
from lms.reports.snapshots import storable


@storable
@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def months(self) -> list[tuple[int, int]]:
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def _delivered(scope: Scope, period: Period):
    """Records of processes that took place in the period (drafts are not yet delivered).
    Counted by their process, so a co-facilitated process (a record per practitioner)
    counts once."""
    return (PracticeRecord.status != PracticeStatus.DRAFT,
            scope.where(PracticeRecord.scheme_id),
            PracticeRecord.occurred_on >= period.start, PracticeRecord.occurred_on <= period.end)


@storable
@dataclass(frozen=True)
class DeliveryFigures:
    by_type: dict[tuple[str, bool], int]   # (process type, direct) -> count
    by_harm: dict[str, int]
    by_month: dict[tuple[int, int], int]
    total: int

    def type_rows(self) -> list[tuple[str, int, int]]:
        """(process type label, direct, indirect) for every type, in the log's order."""
        return [(str(label), self.by_type.get((key, True), 0),
                 self.by_type.get((key, False), 0))
                for key, label in PROCESS_TYPES.items()]

    def harm_rows(self) -> list[tuple[str, int]]:
        rows = [(str(HARM_CATEGORIES.get(key, key)), count)
                for key, count in self.by_harm.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0]))


def delivery(scope: Scope, period: Period) -> DeliveryFigures:
    """One grouped scan of the practice log, folded three ways in Python. The records of
    one process share its type, harm and date (copied from the process), so each process
    falls in one group and is counted there once."""
    year = extract("year", PracticeRecord.occurred_on)
    month = extract("month", PracticeRecord.occurred_on)
    rows = db.session.execute(
        select(PracticeRecord.process_type, PracticeRecord.direct, PracticeRecord.harm_category,
               year, month, func.count(func.distinct(
                   # a record made without a process (before processes existed) is its own
                   func.coalesce(PracticeRecord.process_id, -PracticeRecord.id))))
        .where(*_delivered(scope, period))
        .group_by(PracticeRecord.process_type, PracticeRecord.direct,
                  PracticeRecord.harm_category, year, month))
    by_type: Counter = Counter()
    by_harm: Counter = Counter()
    by_month: Counter = Counter()
    for kind, direct, harm, y, m, n in rows:
        by_type[(kind, bool(direct))] += n
        by_harm[harm] += n
        by_month[(int(y), int(m))] += n
    return DeliveryFigures(dict(by_type), dict(by_harm), dict(by_month), sum(by_harm.values()))
