"""The public register: accredited practitioners who opted in to being listed."""

import functools

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager, load_only

from lms.accreditation.models import AccreditationRecord, RecordStatus, StandardVersion
from lms.accreditation.standards import local_level_name
from lms.accreditation.verification import normalise_identifier
from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Scheme, Sector

#: Statuses shown on the register (revoked and withdrawn records are not listed).
LISTED_STATUSES = (RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.LAPSED,
                   RecordStatus.SUSPENDED)
SECTORS = tuple(str(sector) for sector in Sector)
#: Words of a name search that are used (more only slow the query).
MAX_WORDS = 6


def name_contains(column, word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # ILIKE on PostgreSQL, which its trigram indexes serve; lower() LIKE lower() on SQLite.
    return column.ilike(f"%{escaped}%", escape="\\")


def search(*, q="", scheme="", level="", region="", status="", sector=""):
    """A query of records, joined to holder and scheme, filtered, in name order. A name
    matches by its parts in any order ("Price Gareth", "gar pri"); a certificate number
    matches with or without dashes."""
    query = _listed()
    words = q.split()[:MAX_WORDS]
    if words:
        # the name fixed on the record at issue, not the editable display name
        by_name = and_(*(name_contains(AccreditationRecord.holder_name, word) for word in words))
        number = normalise_identifier(q)
        query = query.where(or_(by_name, AccreditationRecord.public_id == number)
                            if number else by_name)
    if scheme.strip():
        query = query.where(name_contains(Scheme.name, scheme.strip()))
    if level:
        query = query.where(AccreditationRecord.level_key == level)
    if region:
        query = query.where(Scheme.region == region)
    if sector in SECTORS:
        query = query.where(Scheme.sector == Sector(sector))
    if status:
        query = query.where(AccreditationRecord.status == status)
    return query


@functools.cache  # built once; each search adds its filters to a copy
def _listed():
    """Every listed record, joined to holder and scheme, in name order."""
    return (select(AccreditationRecord)
            .join(AccreditationRecord.holder)  # to filter: the page shows the kept name
            .outerjoin(AccreditationRecord.scheme)
            # only what the register shows (not the decision, nor the holder's account)
            .options(load_only(AccreditationRecord.public_id, AccreditationRecord.holder_name,
                               AccreditationRecord.level_key, AccreditationRecord.level_name,
                               AccreditationRecord.status, AccreditationRecord.expires_on),
                     contains_eager(AccreditationRecord.scheme).load_only(Scheme.name,
                                                                          Scheme.region))
            .where(User.listed_publicly.is_(True), User.active.is_(True),
                   AccreditationRecord.status.in_(LISTED_STATUSES))
            .order_by(AccreditationRecord.holder_name, AccreditationRecord.level_key))


def level_names() -> dict[str, str]:
    """Every level a record can hold (key -> name in the page's language): those of each
    version of the standards, the few rows a record's level name is copied from at issue
    (not a DISTINCT over every record)."""
    names: dict[str, str] = {}
    for levels in db.session.scalars(_levels_statement()):
        for key, level in levels.items():
            names.setdefault(key, local_level_name(key, level["name"]))  # newest name wins
    return names


@functools.cache
def _levels_statement():
    return select(StandardVersion.levels).order_by(StandardVersion.id.desc())
