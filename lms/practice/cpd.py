"""Continuing professional development: entries, yearly totals and the approved share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.practice.models import CpdEntry
from lms.schemes.models import Role


@dataclass
class YearTotal:
    year: int
    hours: float = 0.0
    approved_hours: float = 0.0

    @property
    def approved_share(self) -> float:
        return self.approved_hours / self.hours if self.hours else 0.0


def entries_of(user: User) -> list[CpdEntry]:
    return list(db.session.scalars(select(CpdEntry).where(CpdEntry.user_id == user.id)
                                   .order_by(CpdEntry.done_on.desc(), CpdEntry.id.desc())))


def yearly_totals(entries: list[CpdEntry]) -> list[YearTotal]:
    totals: dict[int, YearTotal] = defaultdict(lambda: YearTotal(0))
    for entry in entries:
        total = totals[entry.done_on.year]
        total.year = entry.done_on.year
        total.hours += entry.hours
        total.approved_hours += entry.hours if entry.approved else 0.0
    return sorted(totals.values(), key=lambda t: t.year, reverse=True)


def can_approve(user: User, entry: CpdEntry) -> bool:
    """Admins, and trainers in a scheme the entry's author belongs to; never one's own."""
    if user.id == entry.user_id:
        return False
    if user.is_admin:
        return True
    author_schemes = {m.scheme_id for m in entry.user.memberships}
    return bool(author_schemes & user.scheme_ids_with(Role.TRAINER))


def approve(entry: CpdEntry, by: User) -> None:
    entry.approved, entry.approved_by_id, entry.approved_at = True, by.id, clock.utcnow()
    db.session.flush()
    audit.record("cpd.approved", actor=by, object_type="cpd_entry", object_id=entry.id,
                 payload={"hours": entry.hours})
