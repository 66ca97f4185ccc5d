"""The public register: accredited practitioners who opted in to being listed."""

import functools
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from markupsafe import Markup
from sqlalchemy import and_, func, or_, select

from lms.accreditation.models import AccreditationRecord, RecordStatus, StandardVersion
from lms.accreditation.standards import local_level_name
from lms.accreditation.verification import normalise_identifier
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext
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
    """A query of the shown fields of records (joined to holder and scheme), filtered, in
    name order. A name matches by its parts in any order ("Price Gareth", "gar pri"); a
    certificate number matches with or without dashes."""
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
    """Every listed record's shown fields, in name order: columns, not mapped objects (a
    page of 25 records is read as rows, without the ORM's work for each)."""
    return (select(AccreditationRecord.public_id, AccreditationRecord.holder_name,
                   AccreditationRecord.level_key, AccreditationRecord.level_name,
                   AccreditationRecord.status, AccreditationRecord.expires_on,
                   Scheme.name.label("scheme_name"), Scheme.region)
            .select_from(AccreditationRecord)
            .join(AccreditationRecord.holder)  # to filter: the page shows the kept name
            .outerjoin(AccreditationRecord.scheme)
            .where(User.listed_publicly.is_(True), User.active.is_(True),
                   AccreditationRecord.status.in_(LISTED_STATUSES))
            .order_by(AccreditationRecord.holder_name, AccreditationRecord.level_key))


class ListedRecord(NamedTuple):
    """A record as a register page shows it, in the page's language."""
    public_id: str
    holder_name: str
    level: str
    scheme: str
    region: str
    status: str
    expires_on: date | None


def shown(rows: Iterable) -> list[ListedRecord]:
    """Rows of `search` as the page shows them: each status's word looked up once a page,
    not once a row."""
    words: dict[str, str] = {}
    return [ListedRecord(row.public_id, row.holder_name,
                         local_level_name(row.level_key, row.level_name),
                         row.scheme_name or "", row.region or "",
                         words.get(row.status) or words.setdefault(row.status,
                                                                    gettext(row.status)),
                         row.expires_on)
            for row in rows]


#: Between scheme names in the one string the database gives them as.
_NAME_SEPARATOR = "\x1f"  # a control character: stripped from every name stored


def scheme_options() -> Markup:
    """The scheme filter's suggestions: an <option> for every scheme, in name order. The
    names come from the database as one string (one row, not a row a scheme), and the
    options are made once for each set of names."""
    return _options(db.session.scalar(_scheme_names_statement()) or "")


@functools.cache
def _scheme_names_statement():
    return select(func.aggregate_strings(Scheme.name, _NAME_SEPARATOR))


@functools.lru_cache(maxsize=4)  # the names as they are now (and as they just were)
def _options(names: str) -> Markup:
    return Markup("").join(Markup('<option value="{}">').format(name)
                           for name in sorted(filter(None, names.split(_NAME_SEPARATOR)),
                                              key=str.casefold))


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
