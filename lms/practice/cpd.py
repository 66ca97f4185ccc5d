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


class CpdError(Exception):
    """A rule refused the action; the message is shown to the person."""


def add(entry: CpdEntry, author: User) -> None:
    entry.user_id = author.id
    db.session.add(entry)
    db.session.flush()
    audit.record("cpd.created", actor=author, object_type="cpd_entry", object_id=entry.id,
                 payload={"hours": entry.hours})


def waiting_for(user: User):
    """Query: unapproved entries `user` may approve, oldest first."""
    return (select(CpdEntry).where(CpdEntry.approved.is_(False), CpdEntry.approvable_by(user))
            .order_by(CpdEntry.done_on, CpdEntry.id))


def approve(entry: CpdEntry, by: User) -> None:
    """Raises StaleDataError (via the entry's version) when approved at the same moment."""
    refusal = entry.approval_refusal(by)
    if refusal:
        raise CpdError(refusal)
    entry.approved, entry.approved_by_id, entry.approved_at = True, by.id, clock.utcnow()
    db.session.flush()
    audit.record("cpd.approved", actor=by, object_type="cpd_entry", object_id=entry.id,
                 payload={"hours": entry.hours})
