"""The public register: accredited practitioners who opted in to being listed."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from lms.accreditation.models import AccreditationRecord, RecordStatus
from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Scheme

#: Statuses shown on the register (revoked and withdrawn records are not listed).
LISTED_STATUSES = (RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.LAPSED,
                   RecordStatus.SUSPENDED)


def search(*, q="", scheme="", level="", region="", status=""):
    """A query of records, joined to holder and scheme, filtered, in name order."""
    query = (select(AccreditationRecord)
             .join(AccreditationRecord.holder)
             .outerjoin(AccreditationRecord.scheme)
             .options(contains_eager(AccreditationRecord.holder),
                      contains_eager(AccreditationRecord.scheme))
             .where(User.listed_publicly.is_(True), User.active.is_(True),
                    AccreditationRecord.status.in_(LISTED_STATUSES))
             .order_by(AccreditationRecord.holder_name, AccreditationRecord.level_key))
    if q:  # the name fixed on the record, not the editable display name
        pattern = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(AccreditationRecord.holder_name).like(pattern),
                                AccreditationRecord.public_id == q.strip().upper()))
    if scheme:
        query = query.where(func.lower(Scheme.name).like(f"%{scheme.strip().lower()}%"))
    if level:
        query = query.where(AccreditationRecord.level_key == level)
    if region:
        query = query.where(Scheme.region == region)
    if status:
        query = query.where(AccreditationRecord.status == status)
    return query


def level_names() -> dict[str, str]:
    return dict(db.session.execute(select(AccreditationRecord.level_key,
                                          AccreditationRecord.level_name).distinct()).all())
