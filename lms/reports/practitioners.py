"""Who is accredited: a scheme's practitioners with level, status, expiry and progress."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, or_, select

from lms.accreditation.evaluation import count_met
from lms.accreditation.evidence import gather_many
from lms.accreditation.models import VALID_STATUSES, AccreditationRecord, RecordStatus
from lms.accreditation.standards import load_standards
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import lazy_gettext as _l
from lms.reports.figures import Scope
from lms.schemes.models import Membership

STATUS_FILTERS = {
    "accredited": _l("Accredited now"),
    "expiring": _l("Expiring (within the notice period)"),
    "lapsed": _l("Lapsed"),
    "none": _l("Not accredited"),
}


def practitioners_query(scope: Scope, *, level="", status="", search=""):
    members = select(Membership.user_id).where(scope.where(Membership.scheme_id))
    query = (select(User).where(User.id.in_(members), User.active.is_(True))
             .order_by(User.display_name, User.id))
    valid = AccreditationRecord.status.in_(VALID_STATUSES)

    def holding(*conditions):
        return exists().where(AccreditationRecord.holder_id == User.id, *conditions)

    if level:
        query = query.where(holding(valid, AccreditationRecord.level_key == level))
    if status == "accredited":
        query = query.where(holding(valid))
    elif status == "expiring":
        query = query.where(holding(AccreditationRecord.status == RecordStatus.EXPIRING))
    elif status == "lapsed":
        query = query.where(holding(AccreditationRecord.status == RecordStatus.LAPSED),
                            ~holding(valid))
    elif status == "none":
        query = query.where(~holding(valid))
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(User.username.like(pattern), User.display_name.ilike(pattern)))
    return query


@dataclass
class PractitionerRow:
    user: Any  #: a User, or a row of its id, display name and username
    records: list[AccreditationRecord]
    next_level: str | None
    met: int
    total: int

    @property
    def highest(self) -> AccreditationRecord | None:
        valid = [r for r in self.records if r.valid]
        return valid[-1] if valid else None


def rows_for(users: Sequence[Any]) -> list[PractitionerRow]:
    """Level, status and pathway progress for a page of people (each with its id, name and
    username: a User, or a row of those columns): eight queries in all."""
    if not users:
        return []
    standards = load_standards()
    order = {key: n for n, key in enumerate(standards.levels)}
    records = defaultdict(list)
    for record in db.session.scalars(select(AccreditationRecord).where(
            AccreditationRecord.holder_id.in_([u.id for u in users]))):
        records[record.holder_id].append(record)
    evidence = gather_many([u.id for u in users])
    rows = []
    for user in users:
        mine = sorted(records[user.id], key=lambda r: order.get(r.level_key, 99))
        held = {r.level_key for r in mine if r.valid}
        upcoming = next((lvl for key, lvl in standards.levels.items() if key not in held), None)
        met, total = count_met(upcoming, evidence[user.id]) if upcoming else (0, 0)
        rows.append(PractitionerRow(user, mine, upcoming.name if upcoming else None, met, total))
    return rows
