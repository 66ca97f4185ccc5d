"""Column types shared by the models, the dialect's INSERT for upserts, and a helper for
large IN (...) lookups."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator

from lms.extensions import db


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database.

    Stored without a zone (SQLite has none), always converted to UTC on the way in and
    marked UTC on the way out, so comparisons never mix naive and aware values.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


#: Keeps IN (...) lists well inside every database's limit on bound parameters.
IN_CHUNK = 900


def chunks(values, size: int = IN_CHUNK):
    """The distinct values, sorted, in lists of at most `size`."""
    ordered = sorted(set(values))
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def conflict_insert(model) -> postgresql.Insert | sqlite.Insert:
    """INSERT for `model` in the running database's dialect, which takes
    on_conflict_do_nothing() and on_conflict_do_update() (PostgreSQL and SQLite alike)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)
